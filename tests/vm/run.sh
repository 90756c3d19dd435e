#!/bin/bash
# Suite `vm`: wasm programs run through `mewz run` under QEMU TCG; every
# check compares the exit status and the output.
# Usage: run.sh MEWZ WASM_DIR WORK_DIR [MEWZ_SAN]
#   MEWZ      build/bin/mewz (finds mewzc, the guest library and
#             guest/plat/kvm beside itself)
#   WASM_DIR  the programs: tests/vm/*.c as NAME.wasm, tests/native's as
#             native-NAME.wasm
#   MEWZ_SAN  optional: the same front-end built with ASan+UBSan, run on a
#             few cases with MEWZ_BUILD and MEWZ_KVM_DIR set
# Every VM gets mewz's --timeout (host side) and the whole mewz call a
# `timeout` of its own, so nothing here can hang.
set -u
mewz=$1 wasm=$2 work=$3 mewz_san=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/../lib/check.sh"
vmt=60   # seconds a VM may take under TCG on a busy 2-core machine
accel=tcg

# Each run starts from an empty cache so the cache checks mean something.
export MEWZ_CACHE_DIR=$work/cache
rm -rf "$MEWZ_CACHE_DIR"
mkdir -p "$work"

# run NAME EXPECTED_STATUS -- mewz arguments...; output in $out, $err.
run() {
	local name=$1 want=$2
	shift 3
	out=$(timeout -k 5 $((vmt + 30)) env ${RUN_PATH:+PATH=$RUN_PATH} "$mewz" "$@" \
		2>"$work/stderr" <"${STDIN:-/dev/null}")
	rc=$?
	err=$(cat "$work/stderr")
	if [ "$rc" = "$want" ]; then ok; else bad "$name: exit $rc, expected $want; stderr: $err"; fi
}

# vm NAME EXPECTED_STATUS [run options] WASM [-- ARGS]: `mewz run` under TCG.
vm() {
	local name=$1 want=$2
	shift 2
	run "$name" "$want" -- run --accel "$accel" --timeout "$vmt" "$@"
}

started=$(date +%s)

# --- hello, the console, and the cache ------------------------------------------
vm hello 0 -v "$wasm/hello.wasm"
expect "hello stdout" "$out" "hello from a mewz VM"
contains "hello stderr" "$err" "hello on stderr"
contains "first run compiles" "$err" "mewz: compiling"
contains "first run links" "$err" "mewz: linking"
contains "QEMU's line comes from qemu-run.sh" "$err" "guest/plat/kvm/qemu-run.sh --machine microvm"
vm hello-again 0 -v "$wasm/hello.wasm"
expect "hello again" "$out" "hello from a mewz VM"
contains "second run uses the cached object" "$err" "mewz: cached object"
contains "second run uses the cached image" "$err" "mewz: cached image"
lacks "second run does not recompile" "$err" "mewz: compiling"
lacks "second run does not relink" "$err" "mewz: linking"
expect "one image in the cache" "$(ls "$MEWZ_CACHE_DIR/elfs" | wc -l)" 1
vm "hello at -O0" 0 -v -O0 "$wasm/hello.wasm"
contains "other flags, other object" "$err" "mewz: compiling"
expect "hello at -O0 output" "$out" "hello from a mewz VM"
vm "hello on q35" 0 --machine q35 "$wasm/hello.wasm"
expect "hello on q35 output" "$out" "hello from a mewz VM"
contains "hello on q35 stderr" "$err" "hello on stderr"
# The default accelerator (auto) is not booted here: a /dev/kvm can exist
# and still not run guests.  MEWZ_ACCEL replaces the default.
MEWZ_ACCEL=tcg run "MEWZ_ACCEL" 0 -- run -v --timeout "$vmt" "$wasm/hello.wasm"
contains "MEWZ_ACCEL sets the accelerator" "$err" "--accel tcg"
expect "MEWZ_ACCEL output" "$out" "hello from a mewz VM"

# --- args and environment: spaces, quotes, UTF-8, empty -----------------------------
vm args 0 --env 'A=two words' --env "Q=\"double\" 'single' \\back" --env 'U=héllo wörld ✓' \
	--env E= "$wasm/native-args.wasm" -- one 'two words' "it's \"quoted\"" 'ünï ✓' '' '$HOME *'
expect args "$out" "argc=7
arg1=one
arg2=two words
arg3=it's \"quoted\"
arg4=ünï ✓
arg5=
arg6=\$HOME *
env A=two words
env Q=\"double\" 'single' \\back
env U=héllo wörld ✓
env E="
vm "no args, no environment" 0 "$wasm/native-args.wasm"
expect "no args, no environment output" "$out" "argc=1"
vm "args on q35" 0 --machine q35 --env K=V "$wasm/native-args.wasm" -- 'a b'
expect "args on q35 output" "$out" "argc=2
arg1=a b
env K=V"

# --- exit statuses ----------------------------------------------------------------
for code in 0 1 42 255; do
	vm "exit $code" $code "$wasm/native-exit.wasm" -- $code
done
vm "return from main" 0 "$wasm/native-exit.wasm"
vm "exit 42 on q35" 42 --machine q35 "$wasm/native-exit.wasm" -- 42

# --- clocks and random ------------------------------------------------------------
before=$(date +%s)
vm clock 0 "$wasm/clock.wasm"
after=$(date +%s)
expect "monotonic" "$(head -n 1 <<<"$out")" "monotonic ok"
guest=$(sed -n 's/^realtime //p' <<<"$out")
if [[ $guest =~ ^[0-9]+$ ]] && [ "$guest" -ge $((before - 3)) ] && [ "$guest" -le $((after + 3)) ]; then
	ok
else
	bad "realtime: guest [$guest], host between $before and $after"
fi
vm random 0 "$wasm/random.wasm"
r1=$out
vm "random again" 0 "$wasm/random.wasm"
r2=$out
if [[ $r1 =~ ^[0-9a-f]{64}$ ]] && [[ $r2 =~ ^[0-9a-f]{64}$ ]]; then ok; else bad "random: [$r1] [$r2]"; fi
if [ "$r1" != "$r2" ]; then ok; else bad "random bytes repeat across runs: $r1"; fi
lacks "random is not zero" "$r1" "0000000000000000"

# --- stdin ---------------------------------------------------------------------
# A serial line has no end of file: stdin is forwarded when it is a terminal
# or with --stdin; otherwise the program's fd 0 is at its end.
printf 'hello line ✓\nsecond\n' >"$work/stdin"
STDIN=$work/stdin vm "stdin forwarded" 0 --stdin "$wasm/line.wasm"
expect "stdin reaches the program" "$out" "got: hello line ✓"
STDIN=$work/stdin vm "stdin not forwarded" 0 "$wasm/line.wasm"
expect "without --stdin, end of input" "$out" "eof"
STDIN=$work/stdin vm "read to the end" 0 "$wasm/native-io.wasm"
expect "reading to the end ends" "$out" "clock ok, random ok"

# --- traps: status 134 and "mewz: trap: <reason> in <function>" -----------------------
while read -r kind reason fn; do
	reason=${reason//_/ }
	vm "trap $kind" 134 "$wasm/native-trap.wasm" -- "$kind"
	expect "trap $kind message" "$err" "mewz: trap: $reason in $fn"
	expect "trap $kind stdout" "$out" ""
done <<'KINDS'
unreachable unreachable do_unreachable
divzero integer_divide_by_zero do_divzero
overflow integer_overflow do_overflow
conversion invalid_conversion_to_integer do_conversion
load_past out_of_bounds_memory_access do_load_past
store_past out_of_bounds_memory_access do_store_past
indirect indirect_call_type_mismatch do_indirect
null uninitialized_element do_null
undefined undefined_element do_undefined
stack call_stack_exhausted do_recurse
KINDS
vm "last byte is in bounds" 0 "$wasm/native-trap.wasm" -- edge
expect "last byte output" "$out" "no trap 42"
vm "grown memory moves the end" 134 "$wasm/native-trap.wasm" -- grown
expect "grown: the old end is usable" "$out" "old end usable: 7"
expect "grown: past the new end traps" "$err" "mewz: trap: out of bounds memory access in do_grown"
vm "trap on q35" 134 --machine q35 "$wasm/native-trap.wasm" -- divzero
expect "trap on q35 message" "$err" "mewz: trap: integer divide by zero in do_divzero"

# --- memory.grow against --memory -----------------------------------------------------
vm "grow to 256 MiB in 512M" 0 --memory 512M "$wasm/grow.wasm" -- 256
expect "grow to 256 MiB" "$(head -n 1 <<<"$out")" "grow to 4096 pages: ok"
last=$(tail -n 1 <<<"$out")
pages=$(sed -n 's/^pages=\([0-9]*\) failed=-1$/\1/p' <<<"$last")
if [ -n "$pages" ] && [ "$pages" -gt 4096 ] && [ "$pages" -lt 8192 ]; then
	ok
else
	bad "growing on in 512M: [$last], expected more than 4096 and fewer than 8192 pages, then -1"
fi
vm "grow to 256 MiB in 64M" 0 --memory 64M "$wasm/grow.wasm" -- 256
expect "grow beyond --memory fails" "$(head -n 1 <<<"$out")" "grow to 4096 pages: -1"
last=$(tail -n 1 <<<"$out")
pages=$(sed -n 's/^pages=\([0-9]*\) failed=-1$/\1/p' <<<"$last")
if [ -n "$pages" ] && [ "$pages" -gt 512 ] && [ "$pages" -lt 1024 ]; then
	ok
else
	bad "growing in 64M: [$last], expected 512..1023 pages, then -1"
fi

# --- the same output under QEMU and --native ------------------------------------------
vm compute 0 "$wasm/compute.wasm"
vm_out=$out
run "compute --native" 0 -- run --native "$wasm/compute.wasm"
expect "compute: QEMU and --native agree" "$vm_out" "$out"
contains "compute output is real" "$vm_out" "primes below 100000: 9592"

# --- a program that does not end: --timeout ----------------------------------------------
run "timeout" 142 -- run --accel "$accel" --timeout 2 "$wasm/spin.wasm"
contains "timeout message" "$err" "mewz: watchdog"

# --- initial memory against --memory ----------------------------------------------------
vm "big program, default memory" 0 "$wasm/big.wasm"
expect "big program output" "$out" "big ok 1"
vm "big program, --memory too small" 125 -v --memory 32M "$wasm/big.wasm"
contains "too small: says what it has" "$err" "initial memory is 770 pages (48 MiB)"
contains "too small: says what was given" "$err" "32M given"
lacks "too small: refused before boot" "$err" "mewz: booting"
need=$(sed -n 's/.*needs --memory \([0-9]*\)M or more.*/\1/p' <<<"$err")
if [[ $need =~ ^[0-9]+$ ]] && [ "$need" -gt 48 ] && [ "$need" -lt 64 ]; then
	ok
else
	bad "too small: no plausible size in [$err]"
	need=64
fi
# The size mewz asks for boots, one MiB less is refused before boot; the
# kernel agrees (below: it panics with one MiB less).
vm "big program, --memory as asked" 0 --memory "${need}M" "$wasm/big.wasm"
expect "big program, --memory as asked output" "$out" "big ok 1"
vm "big program, one MiB less" 125 --memory "$((need - 1))M" "$wasm/big.wasm"

# --- mewz build -------------------------------------------------------------------------
run "build an image" 0 -- build "$wasm/hello.wasm" -o "$work/hello.elf"
expect "the image is an ELF" "$(head -c 4 "$work/hello.elf" | od -An -c | tr -d ' ')" '177ELF'
out=$(timeout -k 5 $((vmt + 30)) "$repo/guest/plat/kvm/qemu-run.sh" --timeout "$vmt" "$work/hello.elf" 2>/dev/null </dev/null)
expect "the built image boots" "$?:$out" "0:hello from a mewz VM"
# The kernel's own check when mewz's is bypassed: a panic, not a hang.
run "build big" 0 -- build "$wasm/big.wasm" -o "$work/big.elf"
out=$(timeout -k 5 $((vmt + 30)) "$repo/guest/plat/kvm/qemu-run.sh" --timeout "$vmt" --memory "$((need - 1))M" \
	"$work/big.elf" 2>"$work/stderr" </dev/null)
expect "one MiB less: the kernel refuses too" "$?" 139
contains "kernel says why" "$(cat "$work/stderr")" "mewz: panic: the program needs"
run "build --native" 0 -- build --native "$wasm/hello.wasm" -o "$work/hello"
out=$("$work/hello" 2>/dev/null </dev/null)
expect "the native executable runs" "$?:$out" "0:hello from a mewz VM"

# --- errors before boot ---------------------------------------------------------------------
vm "missing file" 125 "$work/nope.wasm"
contains "missing file message" "$err" "nope.wasm: No such file or directory"
printf 'not wasm at all' >"$work/junk.wasm"
vm "not wasm" 125 -v "$work/junk.wasm"
contains "not wasm message" "$err" "not a WebAssembly binary"
lacks "not wasm: not compiled" "$err" "mewz: compiling"
# `env` sets PATH for mewz alone; timeout and the shell keep theirs.
RUN_PATH=/nonexistent run "QEMU missing" 125 -- run --accel "$accel" --timeout "$vmt" "$wasm/hello.wasm"
contains "QEMU missing message" "$err" "qemu-system-x86_64 is not on PATH"
vm "missing imports" 125 -v "$wasm/native-missing.wasm"
contains "missing imports: the kernel" "$err" "imports the guest kernel does not provide"
contains "missing import listed (1)" "$err" "env.not_there (i:i)"
contains "missing import listed (2)" "$err" "other.gone (:)"
lacks "missing imports: not booted" "$err" "mewz: booting"
vm "wrong signature" 125 "$wasm/native-badsig.wasm"
contains "wrong signature named" "$err" "wasi_snapshot_preview1.sched_yield (i:i; the runtime's is :i)"

# --- usage --------------------------------------------------------------------------------
run "bad machine" 2 -- run --machine pc "$wasm/hello.wasm"
contains "bad machine message" "$err" "--machine must be microvm or q35"
run "bad memory" 2 -- run --memory lots "$wasm/hello.wasm"
run "bad timeout" 2 -- run --timeout 1.5 "$wasm/hello.wasm"
run "bad accel" 2 -- run --accel hvf "$wasm/hello.wasm"
run "arguments before --" 2 -- run "$wasm/hello.wasm" stray
run "build without -o" 2 -- build "$wasm/hello.wasm"
# The socket policy is mewz-host's: refused where no daemon of ours owns
# the program's sockets.
run "policy with --net lwip" 2 -- run --net lwip --allow-bind 127.0.0.1 "$wasm/hello.wasm"
contains "policy with --net lwip message" "$err" "--allow-bind and --allow-connect (mewz-host's socket policy) work with --net host"
run "policy with --host" 125 -- run --host "$work/no-such.sock" --allow-connect 10.0.0.1 \
	"$wasm/hello.wasm"
contains "policy with --host message" "$err" "the running daemon has its own socket policy"
# A share that does not exist stops mewz before boot (tests/wasi-fs covers
# working shares in a VM).
run "missing share in a VM" 125 -- run --share "$work/no-such-dir" "$wasm/hello.wasm"
contains "missing share message" "$err" "no-such-dir: No such file or directory"
# mewz-host's stderr stays ours after it is ready: with -v its log of the
# VM connecting.  stderr through a pipe: the capture ends only once the
# relay of the daemon's lines is gone too.
mkdir -p "$work/share"
err=$(timeout -k 5 $((vmt + 30)) "$mewz" run -v --accel "$accel" --timeout "$vmt" \
	--share "$work/share:/d" "$wasm/hello.wasm" 2>&1 >"$work/stdout" </dev/null)
expect "share -v: exit" "$?" 0
expect "share -v: stdout" "$(cat "$work/stdout")" "hello from a mewz VM"
contains "share -v: the daemon's log after ready" "$err" "QEMU connected"

# --- the same front-end under ASan+UBSan ---------------------------------------------------
if [ -n "$mewz_san" ]; then
	saved=$mewz
	mewz=$mewz_san
	# It lives outside <build>/bin, so it is told where things are.
	MEWZ_BUILD=$(cd "$(dirname "$saved")/.." && pwd)
	MEWZ_MEWZC=$MEWZ_BUILD/bin/mewzc MEWZ_LINUX_RUNTIME=$MEWZ_BUILD/guest/linux/libmewz-linux.a
	export MEWZ_BUILD MEWZ_MEWZC MEWZ_LINUX_RUNTIME MEWZ_KVM_DIR=$repo/guest/plat/kvm
	vm "asan: args" 0 --env 'U=ü ✓' "$wasm/native-args.wasm" -- 'a b'
	expect "asan: args output" "$out" "argc=2
arg1=a b
env U=ü ✓"
	vm "asan: too small" 125 --memory 32M "$wasm/big.wasm"
	vm "asan: missing imports" 125 "$wasm/native-missing.wasm"
	vm "asan: not wasm" 125 "$work/junk.wasm"
	unset MEWZ_BUILD MEWZ_KVM_DIR MEWZ_MEWZC MEWZ_LINUX_RUNTIME
	mewz=$saved
fi

echo "vm suite took $(($(date +%s) - started))s"
check_report
