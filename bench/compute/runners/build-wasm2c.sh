#!/bin/bash
# build-wasm2c.sh PROG.wasm OUT_EXE RT_DIR - the wasm2c peer of one program:
# translate with wasm2c (module named "prog"), then gcc -O2 the C together
# with wasm2c-main.c and the prebuilt runtime objects in RT_DIR
# (wasm-rt-impl.o from /usr/share/wabt/wasm2c, wasi-shim.o from here).
# The generated C stays next to OUT_EXE (OUT_EXE.c/.h dir) for inspection.
set -euo pipefail
wasm=$1 out=$2 rt=$3
here=$(cd "$(dirname "$0")" && pwd)
gen="$out.gen"
mkdir -p "$gen"
wasm2c "$wasm" -n prog -o "$gen/prog.c"
# wasm2c 1.0.32 exits 0 even when it cannot write its output.
[ -s "$gen/prog.c" ] && [ -s "$gen/prog.h" ] || { echo "wasm2c produced no output for $wasm" >&2; exit 1; }
# -w: the generated code is not ours and trips -Wall.
gcc -O2 -w -I/usr/share/wabt/wasm2c -I"$gen" -I"$here" -o "$out" \
	"$gen/prog.c" "$here/wasm2c-main.c" "$rt/wasm-rt-impl.o" "$rt/wasi-shim.o" -lm
