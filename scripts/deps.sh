#!/bin/sh
# Install every Debian package the build, tests and benchmarks need, and
# fetch the lwIP source. Idempotent: a second run finds everything present
# and does no heavy work. Run as root (or with sudo available).
set -eu

packages="clang-19 lld-19 llvm-19-dev libclang-rt-19-dev libuv1-dev
qemu-system-x86 newlib-source wasi-libc libclang-rt-19-dev-wasm32 wabt
curl wrk dpkg-dev xz-utils make git nodejs python3"

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

# lwIP comes from Debian's source package: make sure a deb-src entry exists.
have_src() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -qE '^(deb-src|Types:.*deb-src)'
}
need_update=
if ! have_src; then
	echo "deps: adding a deb-src entry for bookworm"
	printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
		$sudo tee /etc/apt/sources.list.d/mewz-src.sources >/dev/null
	need_update=1
fi

if [ -n "$missing" ] || [ -n "$need_update" ]; then
	$sudo apt-get update -q
fi
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi

# lwIP 2.1.3 source, unpacked under build/ (never committed).
lwip_dir=build/src/lwip
if [ ! -f "$lwip_dir/.done" ]; then
	mkdir -p build/src
	rm -rf "$lwip_dir" build/src/lwip-*
	(cd build/src && apt-get source -q lwip >/dev/null)
	src=$(ls -d build/src/lwip-*/ | head -n 1)
	mv "$src" "$lwip_dir"
	touch "$lwip_dir/.done"
fi
echo "deps: all present"
