#!/bin/bash
# gen-big.sh N: a module of N+1 functions large enough (about 500 bytes of
# code each) to need several shards.  f0(x) = x; fk(x) = f(k-1)(x) + 1, and
# each call also adds 1 to a global, so calls cross shard boundaries both
# directly and through the table.  Prints the .wat on stdout; the expected
# output is gen-big.sh N --expected.
set -eu
n=$1
if [ "${2:-}" = --expected ]; then
	printf 'i32 %d\ni32 %d\ni32 %d\ni32 %d\nt0: ok\n' "$n" $((n + 1)) "$n" $((2 * n + 2))
	exit 0
fi
pad=$(for _ in $(seq 50); do printf '(local.set 1 (i32.xor (local.get 1) (i32.const 123456789)))'; done)
echo '(module'
echo '  (import "env" "print_i32" (func $pi (param i32)))'
echo '  (type $i_i (func (param i32) (result i32)))'
echo '  (global $g (mut i32) (i32.const 0))'
echo "  (table $((n + 1)) funcref)"
printf '  (elem (i32.const 0)'
for k in $(seq 0 "$n"); do printf ' $f%d' "$k"; done
echo ')'
echo '  (func $f0 (type $i_i) (local i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (local.get 0))'
for k in $(seq 1 "$n"); do
	echo "  (func \$f$k (type \$i_i) (local i32) $pad"
	echo "    (global.set \$g (i32.add (global.get \$g) (i32.const 1)))"
	echo "    (i32.add (call \$f$((k - 1)) (local.get 0)) (i32.const 1)))"
done
echo '  (func (export "t0")'
echo "    (call \$pi (call \$f$n (i32.const 0)))"
echo '    (call $pi (global.get $g))'
echo "    (call \$pi (call_indirect (type \$i_i) (i32.const 0) (i32.const $n)))"
echo '    (call $pi (global.get $g))))'
