#!/bin/bash
# build-zlib.sh OUT_DIR RT_DIR - zlib from Debian's source package
# (apt-get source zlib, unpacked under OUT_DIR/src, never committed) linked
# with our driver zbench.c, three ways from the same sources and flags:
# OUT_DIR/zlib.native (gcc -O2), OUT_DIR/zlib.wasm (clang-19 wasm32-wasi
# -O2) and OUT_DIR/zlib.wasm2c.  Only the in-memory part of zlib is built
# (no gz* file functions), so no patch or shim is needed.
# Exit status 3 means "skipped"; the reason is printed on stderr.
set -euo pipefail
out=$1 rt=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -x "$out/zlib.native" ] && [ -s "$out/zlib.wasm" ] && [ -x "$out/zlib.wasm2c" ] &&
	[ "$out/zlib.wasm" -nt "$here/build-zlib.sh" ] && [ "$out/zlib.wasm" -nt "$here/zbench.c" ]; then
	exit 0
fi

src=$(ls -d "$out"/src/zlib-*/ 2>/dev/null | head -n 1 || true)
if [ -z "$src" ]; then
	mkdir -p "$out/src"
	if ! (cd "$out/src" && apt-get source -q zlib >"$out/src/apt.log" 2>&1); then
		echo "zlib: 'apt-get source zlib' failed (see $out/src/apt.log; a deb-src entry is needed, 'make deps' adds one): skipped" >&2
		exit 3
	fi
	src=$(ls -d "$out"/src/zlib-*/ | head -n 1)
fi

srcs=("$here/zbench.c")
for f in adler32 compress crc32 deflate inffast inflate inftrees trees uncompr zutil; do
	srcs+=("$src/$f.c")
done
# -w: zlib 1.2.13 uses K&R definitions, which clang 19 warns about.
flags=(-O2 -w -I"$src")
gcc "${flags[@]}" -o "$out/zlib.native" "${srcs[@]}"
clang-19 --target=wasm32-wasi "${flags[@]}" -o "$out/zlib.wasm" "${srcs[@]}"
"$here/../runners/build-wasm2c.sh" "$out/zlib.wasm" "$out/zlib.wasm2c" "$rt"
