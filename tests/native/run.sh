#!/bin/bash
# Suite `native`: programs from tests/native/*.c, built to wasm32-wasi,
# run through `mewz run --native` / `mewz build`; every check compares the
# exit status and the output.  Usage: run.sh MEWZ WASM_DIR WORK_DIR
# (MEWZ_MEWZC and MEWZ_LINUX_RUNTIME must name the compiler and runtime).
set -u
mewz=$1 wasm=$2 work=$3
. "$(dirname "$0")/../lib/check.sh"

# Each run starts from an empty cache so the cache checks mean something.
export MEWZ_CACHE_DIR=$work/cache
rm -rf "$MEWZ_CACHE_DIR"
mkdir -p "$work"

# run NAME EXPECTED_STATUS -- mewz arguments...; output in $out, $err.
run() {
	local name=$1 want=$2
	shift 3
	out=$("$mewz" "$@" 2>"$work/stderr" <"${STDIN:-/dev/null}")
	rc=$?
	err=$(cat "$work/stderr")
	if [ "$rc" = "$want" ]; then ok; else bad "$name: exit $rc, expected $want; stderr: $err"; fi
}

# --- hello, and the cache ---------------------------------------------
run hello 0 -- run --native -v "$wasm/hello.wasm"
expect "hello stdout" "$out" "hello from native mewz"
contains "hello stderr" "$err" "to stderr"
contains "first run compiles" "$err" "mewz: compiling"
run hello-again 0 -- run --native -v "$wasm/hello.wasm"
contains "second run uses the cached object" "$err" "mewz: cached object"
if [[ "$err" == *"mewz: compiling"* ]]; then bad "second run recompiled"; else ok; fi

run "hello at -O0" 0 -- run --native -v -O0 "$wasm/hello.wasm"
contains "other flags, other object" "$err" "mewz: compiling"
run "hello with explicit checks" 0 -- run --native --bounds=check "$wasm/hello.wasm"
expect "hello with explicit checks output" "$out" "hello from native mewz"

# --- args and environment ----------------------------------------------
run args 0 -- run --native --env A=1 --env B=x=y "$wasm/args.wasm" -- one "two words"
expect args "$out" "argc=3
arg1=one
arg2=two words
env A=1
env B=x=y"
run args-none 0 -- run --native "$wasm/args.wasm"
expect "no args, no environment" "$out" "argc=1"

# --- exit statuses --------------------------------------------------------
for code in 0 1 42 255; do
	run "exit $code" $code -- run --native "$wasm/exit.wasm" -- $code
done
run "return from main" 0 -- run --native "$wasm/exit.wasm"

# --- traps: status 134 and "mewz: trap: <reason> in <function>" -------------
while read -r kind reason fn; do
	reason=${reason//_/ }
	run "trap $kind" 134 -- run --native "$wasm/trap.wasm" -- "$kind"
	expect "trap $kind message" "$err" "mewz: trap: $reason in $fn"
	expect "trap $kind stdout" "$out" ""
done <<'KINDS'
unreachable unreachable do_unreachable
divzero integer_divide_by_zero do_divzero
overflow integer_overflow do_overflow
conversion invalid_conversion_to_integer do_conversion
oob out_of_bounds_memory_access do_oob
load_past out_of_bounds_memory_access do_load_past
store_past out_of_bounds_memory_access do_store_past
stack call_stack_exhausted do_recurse
indirect indirect_call_type_mismatch do_indirect
null uninitialized_element do_null
undefined undefined_element do_undefined
KINDS
run "no trap" 0 -- run --native "$wasm/trap.wasm" -- none
expect "no trap output" "$out" "no trap 0"
run "last byte is in bounds" 0 -- run --native "$wasm/trap.wasm" -- edge
expect "last byte output" "$out" "no trap 42"
run "grown memory moves the end" 134 -- run --native "$wasm/trap.wasm" -- grown
expect "grown: the old end is usable" "$out" "old end usable: 7"
expect "grown: past the new end traps" "$err" "mewz: trap: out of bounds memory access in do_grown"

# --- memory.grow against the runtime limit -------------------------------------
run "grow to 4M" 0 -- run --native --memory 4M "$wasm/grow.wasm"
expect "grow stops at the limit with -1" "$out" "pages=64 failed=-1"
run "grow to 8M" 0 -- run --native --memory 8M "$wasm/grow.wasm"
expect "grow stops at 8M" "$out" "pages=128 failed=-1"
run "oob with explicit checks" 134 -- run --native --bounds=check "$wasm/trap.wasm" -- oob
expect "oob with explicit checks message" "$err" "mewz: trap: out of bounds memory access in do_oob"

# --- stdin, clocks, random -------------------------------------------------------
printf 'line one\nline two\n' >"$work/stdin"
STDIN=$work/stdin run io 0 -- run --native "$wasm/io.wasm"
expect "stdin copied, clock and random work" "$out" "line one
line two
clock ok, random ok"

# --- mewz build -----------------------------------------------------------------
run build 0 -- build --native "$wasm/hello.wasm" -o "$work/hello"
out=$("$work/hello" 2>/dev/null)
rc=$?
expect "built executable runs" "$rc:$out" "0:hello from native mewz"

# --- --share: mewz-host's stderr stays ours after it is ready ----------------------
# stderr through a pipe: the capture ends only once every writer (the
# relay of the daemon's lines) is gone, so nothing is still in flight.
mkdir -p "$work/share"
err=$("$mewz" run --native -v --share "$work/share:/d" "$wasm/hello.wasm" 2>&1 >"$work/stdout" </dev/null)
expect "share -v: exit" "$?" 0
expect "share -v: stdout" "$(cat "$work/stdout")" "hello from native mewz"
contains "share -v: the ready line" "$err" "mewz-host: ready"
contains "share -v: the daemon's log after ready" "$err" "mewz-host: session 1: hello"
err=$("$mewz" run --native --share "$work/share:/d" "$wasm/hello.wasm" 2>&1 >"$work/stdout" </dev/null)
expect "share: exit" "$?" 0
lacks "share without -v: no daemon lines" "$err" "mewz-host:"

# --- errors before the program runs ------------------------------------------------
run "missing file" 125 -- run --native "$work/nope.wasm"
contains "missing file message" "$err" "nope.wasm: No such file or directory"
printf 'not wasm at all' >"$work/junk.wasm"
run "not wasm" 125 -- run --native "$work/junk.wasm"
contains "not wasm message" "$err" "not a WebAssembly binary"
printf '\0asm\1\0\0\0\1\5' >"$work/broken.wasm"
run "mewzc failure" 125 -- run --native "$work/broken.wasm"
contains "mewzc failure message" "$err" "mewz: mewzc failed"
run "missing imports" 125 -- run --native "$wasm/missing.wasm"
contains "missing import listed (1)" "$err" "env.not_there (i:i)"
contains "missing import listed (2)" "$err" "other.gone (:)"
run "wrong signature" 125 -- run --native "$wasm/badsig.wasm"
contains "wrong signature named" "$err" "wasi_snapshot_preview1.sched_yield (i:i; the runtime's is :i)"
run usage 2 -- run --native "$wasm/hello.wasm" stray
contains "stray argument refused" "$err" "program arguments go after --"

check_report
