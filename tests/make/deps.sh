#!/bin/bash
# Suite `make-deps`: the build notices what timestamps alone miss (the
# top Makefile's DEPFLAGS, cc_prog and stamp).  Asks make what it would do
# (-n, and -W FILE: "as if FILE had just changed"), so nothing is rebuilt
# or touched.  Run from the repository root after a build.
# Usage: deps.sh BUILD_DIR WORK_DIR
set -u
B=$1 work=$2
. "$(dirname "$0")/../lib/check.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL

# would NAME FILE TARGET PATTERN: with FILE changed, making TARGET runs a
# command matching PATTERN.
would() {
	local plan
	plan=$(make -n -W "$2" "$3" 2>&1)
	if grep -qE -- "$4" <<<"$plan"; then ok; else bad "$1: no [$4] in: $(head -c 600 <<<"$plan")"; fi
}
# wouldnt NAME FILE TARGET PATTERN: ... runs no command matching PATTERN.
wouldnt() {
	local plan
	plan=$(make -n -W "$2" "$3" 2>&1)
	if grep -qE -- "$4" <<<"$plan"; then bad "$1: [$4] in: $(grep -E -- "$4" <<<"$plan" | head -n 3)"; else ok; fi
}

# needs NAME TARGET FILE...: make lists every FILE among TARGET's
# prerequisites (its database, -p; for phony targets, whose recipe runs
# whatever -W says).
needs() {
	local name=$1 target=$2 line f miss=
	shift 2
	line=$(make -n -p "$target" 2>/dev/null | grep -m1 "^$target:")
	for f in "$@"; do
		[[ " $line " == *" $f "* ]] || miss+=" $f"
	done
	if [ -z "$miss" ]; then ok; else bad "$name: not among the prerequisites:$miss"; fi
}

# --- every object and program built from C has its header list ----------
missing=$(find "$B/guest" "$B/compiler" "$B/proto" -name '*.o' | while read -r o; do
	[ -f "${o%.o}.d" ] || echo "$o"
done | grep -v -e symtab-empty -e /guest/kernel.o)  # both made from no C of their own
expect "objects without a .d" "$missing" ""
for p in bin/mewz host/mewz-host host/mewz-host-san host/mewz-host-tsan guest/mksymtab \
	guest/linux/test_rt host/mewz/test_mewz tests/native/mewz-san; do
	[ -s "$B/$p.d" ] && ok || bad "$B/$p: no header list ($B/$p.d)"
done

# --- a header change rebuilds what includes it ---------------------------
# Headers no hand-written list names: lwIP's own, and tests/lib/check.h
# for the mewz unit test (only its .d knows it).
would "lwIP header -> liblwip.a objects" "$B/src/lwip/src/include/lwip/tcp.h" \
	"$B/guest/liblwip.a" "-o $B/guest/net/lwip/core/tcp.o"
would "lwIP header -> liblwip.a" "$B/src/lwip/src/include/lwip/tcp.h" \
	"$B/guest/liblwip.a" "llvm-ar-19 rcs $B/guest/liblwip.a"
wouldnt "lwIP's tcp.h leaves udp.c alone" "$B/src/lwip/src/include/lwip/tcp.h" \
	"$B/guest/liblwip.a" "-o $B/guest/net/lwip/core/ipv4/ip4_frag.o"
would "check.h -> test_mewz" tests/lib/check.h "$B/host/mewz/test_mewz" "-o $B/host/mewz/test_mewz"
would "sha256.h -> mewz" host/mewz/sha256.h "$B/bin/mewz" "-o $B/bin/mewz "
would "abi.h -> the guest library" compiler/include/mewz/abi.h "$B/guest/libmewz-guest.a" \
	"llvm-ar-19 rcs $B/guest/libmewz-guest.a"
would "proto.h -> mewz-host" proto/proto.h "$B/host/mewz-host" "-o $B/host/mewz-host "

# --- flags and source lists ---------------------------------------------
would "guest flags -> guest objects" "$B/stamps/guest-flags" "$B/guest/libmewz-guest.a" \
	"-c -o $B/guest/obj/guest/wasi/sock.o"
would "guest object list -> archive" "$B/stamps/guest-objs" "$B/guest/libmewz-guest.a" \
	"llvm-ar-19 rcs $B/guest/libmewz-guest.a"
would "guest source -> the kernel's prelink" guest/wasi/fd_calls.c "$B/guest/libmewz-guest.a" \
	"ld.lld-19 -r -o $B/guest/kernel.o"
would "provides.c -> its object" guest/plat/kvm/provides.c "$B/guest/libmewz-guest.a" \
	"-o $B/guest/obj/guest/plat/kvm/provides.o"
wouldnt "provides.c is no part of the prelink" guest/plat/kvm/provides.c "$B/guest/libmewz-guest.a" \
	"ld.lld-19 -r"
wouldnt "guest object list -> no recompiling" "$B/stamps/guest-objs" "$B/guest/libmewz-guest.a" \
	"^clang"
would "lwIP flags -> lwIP objects" "$B/stamps/net-flags" "$B/guest/liblwip.a" "-o $B/guest/net/glue/"
would "runtime object list -> libmewz-linux.a" "$B/stamps/linux-objs" \
	"$B/guest/linux/libmewz-linux.a" "llvm-ar-19 rcs $B/guest/linux/libmewz-linux.a"
would "compiler source list -> libmewzc.a" "$B/stamps/compiler-objs" "$B/compiler/libmewzc.a" \
	"llvm-ar-19 rcs"
would "mewz's source list -> mewz" "$B/stamps/mewz" "$B/bin/mewz" "-o $B/bin/mewz "
would "daemon's source list -> mewz-host" "$B/stamps/daemon" "$B/host/mewz-host" "-o $B/host/mewz-host "
would "newlib -> guest objects" "$B/stamps/newlib" "$B/guest/libmewz-guest.a" "-c -o $B/guest/obj/"

# The stamp itself: rewritten when its text changes, and only then.
rm -rf "$work"
mkdir -p "$work"
cat >"$work/t.mk" <<'MK'
include Makefile
$(T)/probe: $(call stamp,probe,$(TEXT))
	@touch $@
MK
tmake() { make -s -f "$work/t.mk" B="$work/b" T="$work" "$@" "$work/probe" 2>&1; }
tmake TEXT="-DA -O2" >/dev/null
[ -f "$work/probe" ] && ok || bad "stamp: the probe was not built"
tmake -q TEXT="-DA -O2"
expect "stamp: same text, up to date" $? 0
tmake -q TEXT="-DA -O2 -DB"
expect "stamp: new text, out of date" $? 1

# --- images: everything link.sh reads ------------------------------------
for f in guest/plat/kvm/kernel.ld guest/plat/kvm/link.sh guest/wasi/imports.def "$B/guest/mksymtab"; do
	would "$f -> test images" "$f" "$B/tests/guest/hello.elf" "link.sh $B/tests/guest/hello.elf"
done
would "liblwip.a -> lwIP test images" "$B/guest/liblwip.a" "$B/tests/net/server.elf" \
	"link.sh $B/tests/net/server.elf"
would "liblwip.a -> images made by mewz build" "$B/guest/liblwip.a" "$B/tests/sock/tcp_echo.elf" \
	"mewz build $B/examples/tcp_echo.wasm"
would "kernel.ld -> images made by mewz build" guest/plat/kvm/kernel.ld "$B/tests/sock/tcp_echo.elf" \
	"mewz build $B/examples/tcp_echo.wasm"
# The benchmarks boot images through `mewz run`, so they need the same
# inputs (bench/ is read before guest.mk defines them).
image_inputs=($(make -s --eval '.image-inputs: ; @echo $(GUEST_IMAGE_INPUTS)' .image-inputs))
contains "GUEST_IMAGE_INPUTS names kernel.ld" "${image_inputs[*]}" guest/plat/kvm/kernel.ld
needs "bench-http needs every image input" bench-http "${image_inputs[@]}" "$B/guest/liblwip.a"
needs "bench-hostcall needs every image input" bench-hostcall "${image_inputs[@]}"

check_report
