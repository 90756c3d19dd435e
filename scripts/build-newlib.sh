#!/bin/sh
# Build newlib 3.3 for bare-metal x86-64 (the guest's libc) and install it into
# a cache directory keyed by the tarball's hash and the flags, so later builds
# and CI runs on the same machine reuse it. A fresh machine rebuilds it.
#
# usage: build-newlib.sh OUT_LINK
#   OUT_LINK becomes a symlink to the cached prefix (with include/ and lib/).
set -eu

# Absolute: the build below runs in a temporary directory.
out_link=$(realpath -m "$1")
tarball=${NEWLIB_TARBALL:-/usr/src/newlib/newlib-3.3.0.tar.xz}
cc=${NEWLIB_CC:-clang-19}
ar=${NEWLIB_AR:-llvm-ar-19}
ranlib=${NEWLIB_RANLIB:-llvm-ranlib-19}
# Kernel code model, no red zone (interrupts run on the same stack), no stack
# protector (the kernel has no canary). SSE stays enabled: printf of floats needs it.
# Size over speed (-Os, PREFER_SIZE_OVER_SPEED: plain loops in the string
# functions): the kernel's bulk copies are newlib's x86-64 assembly memcpy and
# memset, which this leaves alone, and under TCG every distinct block of an
# unrolled strlen is translated at boot (hello: 12 blocks fewer).
# No -D_POSIX_C_SOURCE: it hides the BSD types (u_int, u_char) that newlib's
# own stdlib, search, stdio and time sources use, and those sub-libraries then
# fail to build (llvm-ar later reports their lib.a missing).
cflags="--target=x86_64-unknown-elf -Os -DPREFER_SIZE_OVER_SPEED -g -ffreestanding -mno-red-zone -fno-stack-protector -fno-pic -mcmodel=kernel -ffunction-sections -fdata-sections -Wno-error=implicit-function-declaration -Wno-int-conversion -Wno-implicit-int -Wno-incompatible-function-pointer-types -DMISSING_SYSCALL_NAMES -DHAVE_INITFINI_ARRAY"

if [ ! -r "$tarball" ]; then
	echo "build-newlib: $tarball missing; run 'make deps' (package newlib-source)" >&2
	exit 1
fi

key=$( { sha256sum "$tarball" | cut -d' ' -f1; echo "$cc $cflags"; cat "$0"; } | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mewz/newlib-$key
if [ -f "$cache/.done" ]; then
	ln -sfn "$cache" "$out_link"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mewz-newlib.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "build-newlib: building newlib into $cache (takes a few minutes)"
tar -C "$work" -xJf "$tarball"
src=$(ls -d "$work"/newlib-* | head -n 1)
mkdir "$work/build"
cd "$work/build"
rm -rf "$cache"
"$src/configure" --target=x86_64-elf --prefix="$cache" \
	--disable-multilib --disable-newlib-supplied-syscalls \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--disable-newlib-fvwrite-in-streamio --disable-nls \
	CC_FOR_TARGET="$cc" AR_FOR_TARGET="$ar" RANLIB_FOR_TARGET="$ranlib" \
	CFLAGS_FOR_TARGET="$cflags" >"$work/configure.log" 2>&1 ||
	{ tail -n 30 "$work/configure.log" >&2; exit 1; }
# At most two jobs: the build machines are small and shared.
jobs=$(nproc); [ "$jobs" -gt 2 ] && jobs=2
if ! make -j"$jobs" all-target-newlib >"$work/make.log" 2>&1; then
	# Keep the whole log: the first compiler error is what matters, and the
	# work directory is deleted on exit.
	mkdir -p "$(dirname "$cache")"
	cp "$work/make.log" "$cache.failed.log"
	grep -n -m 20 -E 'error:|Error [0-9]' "$work/make.log" | grep -v 'Wno-error' >&2
	echo "build-newlib: failed; full log in $cache.failed.log" >&2
	exit 1
fi
make install-target-newlib >"$work/install.log" 2>&1 ||
	{ tail -n 20 "$work/install.log" >&2; exit 1; }
# Flatten the target-prefixed layout into include/ and lib/.
mv "$cache/x86_64-elf/include" "$cache/include"
mv "$cache/x86_64-elf/lib" "$cache/lib"
rm -rf "$cache/x86_64-elf" "$cache/share"
touch "$cache/.done"
ln -sfn "$cache" "$out_link"
echo "build-newlib: done"
