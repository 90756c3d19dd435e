#!/bin/sh
# link.sh - link an app image: compiled program object(s) + the guest
# library + newlib -> a PVH-bootable ELF for QEMU -kernel.
#
# usage: link.sh OUT.elf OBJ...
#
# Links twice: the first link's function symbols become the embedded
# symbol table (mksymtab) that names functions in trap reports; the second
# link adds it.  The table section lies after all code (kernel.ld), so no
# function moves between the two links.
#
# Environment: MEWZ_BUILD (default: <repo>/build), LD (default ld.lld-19),
# NM (llvm-nm-19), CC (clang-19).
set -eu

if [ $# -lt 2 ]; then
	echo "usage: link.sh OUT.elf OBJ..." >&2
	exit 2
fi
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
B=${MEWZ_BUILD:-$here/../../../build}
LD=${LD:-ld.lld-19}
NM=${NM:-llvm-nm-19}
CC=${CC:-clang-19}
builtins=$("$CC" --target=x86_64-linux-gnu --rtlib=compiler-rt -print-libgcc-file-name)


tmp="$out.tmp"
rm -f "$tmp".*
# shellcheck disable=SC2068
"$LD" -nostdlib -static -T "$here/kernel.ld" --gc-sections -z max-page-size=4096 \
	-z noexecstack -o "$tmp.1.elf" "$@" "$B/guest/symtab-empty.o" \
	--start-group "$B/guest/libmewz-guest.a" "$B/newlib/lib/libc.a" "$builtins" --end-group
"$NM" -n --defined-only -S "$tmp.1.elf" | "$B/guest/mksymtab" >"$tmp.symtab.S"
"$CC" --target=x86_64-unknown-elf -c -o "$tmp.symtab.o" "$tmp.symtab.S"
"$LD" -nostdlib -static -T "$here/kernel.ld" --gc-sections -z max-page-size=4096 \
	-z noexecstack -o "$tmp.2.elf" "$@" "$tmp.symtab.o" \
	--start-group "$B/guest/libmewz-guest.a" "$B/newlib/lib/libc.a" "$builtins" --end-group
mv "$tmp.2.elf" "$out"
rm -f "$tmp".*
