#!/bin/bash
# run.sh MEWZC RT_OBJ OUTDIR CC LINKFLAGS...: the mewzc suite.
#   - every tests/mewzc/*.wat is compiled (guard and check bounds), linked
#     with the tiny runtime rt.c and run; output must equal NAME.expected;
#   - a generated multi-shard module is compiled at -j1 and -j2: the
#     objects must be byte-identical, and must link and run;
#   - symbols: named functions are local, only __wasm_* is defined globally;
#   - CLI errors: exit status 1 and the expected message.
# Prints one line per failure and ends with "N passed, N failed".
set -u
mewzc=$1 rt=$2 out=$3 cc=$4
shift 4
linkflags=("$@")
here=$(dirname "$0")
pass=0 fail=0
mkdir -p "$out"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# compile NAME SRC OBJ [mewzc flags...]
compile() {
	local name=$1 src=$2 obj=$3
	shift 3
	if ! "$mewzc" "$src" -o "$obj" "$@" 2>"$out/$name.err"; then
		bad "$name: mewzc failed: $(head -c 300 "$out/$name.err")"
		return 1
	fi
}

# run_test NAME SRC EXPECTED [mewzc flags...]
run_test() {
	local name=$1 src=$2 expected=$3
	shift 3
	compile "$name" "$src" "$out/$name.o" "$@" || return
	if ! "$cc" "${linkflags[@]}" "$rt" "$out/$name.o" -rdynamic -ldl -o "$out/$name" 2>"$out/$name.err"; then
		bad "$name: link failed: $(head -c 300 "$out/$name.err")"
		return
	fi
	if "$out/$name" >"$out/$name.out" 2>&1 && cmp -s "$out/$name.out" "$expected"; then
		ok
	else
		bad "$name: output differs from $expected:"
		diff "$out/$name.out" "$expected" | head -20
	fi
}

for wat in "$here"/*.wat; do
	t=$(basename "$wat" .wat)
	run_test "$t" "$wat" "$here/$t.expected"
	run_test "$t-check" "$wat" "$here/$t.expected" --bounds=check
	run_test "$t-O0" "$wat" "$here/$t.expected" -O0
done

# Parallel compilation: several shards, same bytes at any -j.
"$here/gen-big.sh" 700 >"$out/big.wat"
"$here/gen-big.sh" 700 --expected >"$out/big.expected"
run_test big-j1 "$out/big.wat" "$out/big.expected" -j1
if compile big-j2 "$out/big.wat" "$out/big-j2.o" -j2 &&
	compile big-j2b "$out/big.wat" "$out/big-j2b.o" -j 2; then
	if cmp -s "$out/big-j1.o" "$out/big-j2.o" && cmp -s "$out/big-j2.o" "$out/big-j2b.o"; then ok; else bad "big: -j1 and -j2 objects differ"; fi
fi
if "$mewzc" -v -j2 "$out/big.wat" -o "$out/big-v.o" 2>&1 | grep -q ' 2 shards'; then ok; else bad "big: expected 2 shards"; fi

# Symbols: name-section names are local; only __wasm_* is defined globally.
nm=llvm-nm-19
# (at -O0, where small functions are not inlined away)
if $nm "$out/control-O0.o" | grep -qE ' t __wasm_func\.[0-9]+\.fib$'; then ok; else bad "control-O0.o: no local __wasm_func.N.fib"; fi
if $nm "$out/control-O0.o" | grep -qE ' t __wasm_func\.[0-9]+\.memset$'; then ok; else bad "control-O0.o: no local __wasm_func.N.memset"; fi
for o in control big-j2; do
	if $nm --defined-only -g "$out/$o.o" | awk '{print $3}' | grep -qv '^__wasm_'; then
		bad "$o.o: defines a global symbol outside __wasm_*"
	else ok; fi
done
if $nm --defined-only -g "$out/big-j2.o" | grep -q '__wasm_func\|__wasm_global\.'; then
	bad "big-j2.o: cross-shard symbols were not localized"
else ok; fi

# expect_error NAME STATUS REGEX -- mewzc args...: exit status and message.
expect_error() {
	local name=$1 status=$2 re=$3
	shift 4
	"$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
	local rc=$?
	local msg_ok
	if [ -z "$re" ]; then
		[ ! -s "$out/$name.stderr" ] && msg_ok=1
	else
		grep -qE -- "$re" "$out/$name.stderr" && msg_ok=1
	fi
	if [ "$rc" = "$status" ] && [ -n "${msg_ok:-}" ]; then
		ok
	else
		bad "$name: exit $rc (want $status), stderr: $(head -c 300 "$out/$name.stderr")"
	fi
}

printf 'this is not wasm\n' >"$out/garbage.wasm"
expect_error garbage 1 "^mewzc: $out/garbage.wasm:0x[0-9a-f]+: .+" -- "$mewzc" "$out/garbage.wasm" -o "$out/x.o"
wat2wasm "$here/control.wat" -o "$out/control.wasm"
head -c 40 "$out/control.wasm" >"$out/trunc.wasm"
expect_error truncated 1 "^mewzc: $out/trunc.wasm:0x[0-9a-f]+: .+" -- "$mewzc" "$out/trunc.wasm" -o "$out/x.o"
printf '(module (func (result i32) (i64.const 0)))' >"$out/invalid.wat"
wat2wasm --no-check "$out/invalid.wat" -o "$out/invalid.wasm"
expect_error invalid 1 "^mewzc: $out/invalid.wasm:0x[0-9a-f]+: type mismatch" -- "$mewzc" "$out/invalid.wasm" -o "$out/x.o"
expect_error invalid-check 1 "type mismatch" -- "$mewzc" --check "$out/invalid.wasm"
expect_error valid-check 0 "" -- "$mewzc" --check "$out/control.wasm"
expect_error unknown-option 1 "unknown option '--frobnicate'" -- "$mewzc" --frobnicate "$out/control.wasm" -o "$out/x.o"
expect_error no-output 1 "missing -o" -- "$mewzc" "$out/control.wasm"
expect_error no-input 1 "no input file" -- "$mewzc" -o "$out/x.o"
expect_error bad-j 1 "bad -j value" -- "$mewzc" -j zero "$out/control.wasm" -o "$out/x.o"
expect_error missing-file 1 "cannot read" -- "$mewzc" "$out/does-not-exist.wasm" -o "$out/x.o"
printf '(module (import "__wasm_x" "f" (func)))' >"$out/reserved.wat"
wat2wasm "$out/reserved.wat" -o "$out/reserved.wasm"
expect_error reserved-import 1 "reserved prefix" -- "$mewzc" "$out/reserved.wasm" -o "$out/x.o"
expect_error no-wat2wasm 1 "wat2wasm" -- env PATH=/nonexistent "$mewzc" "$here/control.wat" -o "$out/x.o"
expect_error bad-target 1 "unsupported target" -- "$mewzc" --target=nonsense-none-none "$out/control.wasm" -o "$out/x.o"
expect_error bad-cpu 1 "^mewzc: LLVM error: .*--cpu" -- "$mewzc" --cpu=bogus "$out/control.wasm" -o "$out/x.o"

{ printf '(module (func (local'; for _ in $(seq 300000); do printf ' i32'; done; printf ')))'; } >"$out/locals.wat"
wat2wasm "$out/locals.wat" -o "$out/locals.wasm"
expect_error too-many-locals 1 "^mewzc: .*: unsupported: .*locals" -- "$mewzc" "$out/locals.wasm" -o "$out/x.o"

# The import list section: "symbol\0signature\0" per function import.
llvm-objcopy-19 --dump-section=.mewz.imports="$out/imports.bin" "$out/arith.o" "$out/x.o" 2>/dev/null
printf 'env.print_i32\0i:\0env.print_i64\0I:\0env.print_f32\0f:\0env.print_f64\0F:\0' >"$out/imports.want"
if cmp -s "$out/imports.bin" "$out/imports.want"; then ok; else bad "arith.o: .mewz.imports differs"; fi

# WasmEdge's versioned socket imports (abi.h, MEWZ_WASMEDGE_V1): V1's
# signature keeps the name, another one binds to "<name>_v2"; other
# modules and other names are left alone.
cat >"$out/wasmedge.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv_from" (func (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv_from" (func (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_getlocaladdr" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_bind_v2" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_getaddrinfo" (func (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "sock_accept" (func (param i32 i32 i32) (result i32))))
WAT
if compile wasmedge "$out/wasmedge.wat" "$out/wasmedge.o"; then
	llvm-objcopy-19 --dump-section=.mewz.imports="$out/we-imports.bin" "$out/wasmedge.o" "$out/x.o" 2>/dev/null
	w=wasi_snapshot_preview1
	printf '%s\0%s\0' "$w.sock_accept" ii:i "$w.sock_accept_v2" iii:i \
		"$w.sock_recv_from" iiiiiii:i "$w.sock_recv_from_v2" iiiiiiii:i \
		"$w.sock_getlocaladdr_v2" iii:i "$w.sock_bind_v2" iii:i \
		"$w.sock_getaddrinfo" iiiiiiii:i env.sock_accept iii:i >"$out/we-imports.want"
	if cmp -s "$out/we-imports.bin" "$out/we-imports.want"; then ok; else
		bad "wasmedge.o: versioned imports bound wrong: $(tr '\0' ' ' <"$out/we-imports.bin")"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
