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
# newlib's libm is linked too: for the baseline CPU (no SSE4.1 rounding),
# LLVM lowers f32/f64 floor, ceil, trunc and nearest to libm calls.
#
# Before linking, every object's import list (section .mewz.imports: pairs
# of NUL-terminated name and signature, abi.h) is checked against what the
# runtime provides (guest/wasi/imports.def): all missing imports and all
# signature mismatches are reported by name, and nothing is linked.
#
# A program that imports any socket call also gets the in-guest TCP/IP
# stack (liblwip.a, guest/net) for net=lwip; the kernel reaches it through
# a weak net_lwip_start, so other programs do not carry its memory.
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
imports_def=$here/../../wasi/imports.def

# Print "name<TAB>signature" for each import of the objects given.
object_imports() {
	local obj
	for obj in "$@"; do
		case $obj in *.o) ;; *) continue ;; esac
		rm -f "$tmp.imports"
		llvm-objcopy-19 --dump-section .mewz.imports="$tmp.imports" "$obj" /dev/null 2>/dev/null || continue
		tr '\0' '\n' <"$tmp.imports" | paste - -
	done
}

object_imports "$@" | awk -F'\t' -v def="$imports_def" '
	BEGIN {
		while ((getline line < def) > 0) {
			if (line !~ /^X\(/)
				continue
			split(line, f, /[(), "]+/)
			# a name may be provided with several signatures
			have[f[2] "." f[3]] = have[f[2] "." f[3]] "|" f[4] "|"
		}
	}
	$1 == "" { next }
	!($1 in have) { print "link: missing import " $1 " (" $2 ")" > "/dev/stderr"; bad = 1; next }
	index(have[$1], "|" $2 "|") == 0 {
		print "link: import " $1 " has signature " $2 ", the runtime provides " have[$1] > "/dev/stderr"
		bad = 1
	}
	END { exit bad }' || { rm -f "$tmp".*; exit 1; }
net_libs=
if [ -f "$B/guest/liblwip.a" ] && object_imports "$@" | grep -q '^[^	]*\.sock_'; then
	net_libs="--undefined=net_lwip_start $B/guest/liblwip.a"
fi
# shellcheck disable=SC2068,SC2086
"$LD" -nostdlib -static --error-limit=0 -T "$here/kernel.ld" --gc-sections -z max-page-size=4096 \
	-z noexecstack -o "$tmp.1.elf" "$@" "$B/guest/symtab-empty.o" \
	--start-group "$B/guest/libmewz-guest.a" $net_libs "$B/newlib/lib/libc.a" "$B/newlib/lib/libm.a" "$builtins" --end-group
"$NM" -n --defined-only -S "$tmp.1.elf" | "$B/guest/mksymtab" >"$tmp.symtab.S"
"$CC" --target=x86_64-unknown-elf -c -o "$tmp.symtab.o" "$tmp.symtab.S"
"$LD" -nostdlib -static --error-limit=0 -T "$here/kernel.ld" --gc-sections -z max-page-size=4096 \
	-z noexecstack -o "$tmp.2.elf" "$@" "$tmp.symtab.o" \
	--start-group "$B/guest/libmewz-guest.a" $net_libs "$B/newlib/lib/libc.a" "$B/newlib/lib/libm.a" "$builtins" --end-group
mv "$tmp.2.elf" "$out"
rm -f "$tmp".*
