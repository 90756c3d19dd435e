;; Control flow: blocks with parameters, multi-value calls and blocks,
;; br_table, loops, typed select, call_indirect (success and its three
;; traps), recursion, and deep recursion ending in the stack trap.
(module
  (import "env" "print_i32" (func $pi (param i32)))
  (import "env" "print_i64" (func $pl (param i64)))
  (type $ii_i (func (param i32 i32) (result i32)))
  (type $v_i (func (result i32)))
  ;; Signatures longer than 15 letters have hashed type keys (abi.h).
  (type $long (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (type $long2 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64) (result i32)))
  (table 5 funcref)
  (elem (i32.const 0) $add $sub $seven)
  (elem (i32.const 4) $sum16)
  (func $sum16 (type $long)
    (i32.add (local.get 0) (local.get 15)))
  (func $add (type $ii_i) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $ii_i) (i32.sub (local.get 0) (local.get 1)))
  (func $seven (type $v_i) (i32.const 7))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func $classify (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 11)))
      (return (i32.const 12)))
    (i32.const 13))
  (func $sum (param $n i32) (result i32) (local $s i32)
    (block $out (loop $l
      (br_if $out (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func $forever (param i32) (result i32)
    (i32.add (call $forever (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "t0") (local $k i32)
    (call $pi (call $fib (i32.const 20)))                           ;; 6765
    (call $swap (i32.const 5) (i64.const 9))
    (call $pi)                                                      ;; 5
    (call $pl)                                                      ;; 9
    ;; a block with parameters and two results
    (i32.const 3) (i32.const 4)
    (block (param i32 i32) (result i32 i32)
      (i32.mul) (i32.const 1))
    (i32.add) (call $pi)                                            ;; 13
    ;; a loop with a parameter: count down from 5 keeping the value
    (i32.const 5)
    (loop $l (param i32) (result i32)
      (i32.const 1) (i32.sub)
      (local.tee $k)
      (br_if $l (i32.gt_s (local.get $k) (i32.const 0))))
    (call $pi)                                                      ;; 0
    (call $pi (call $classify (i32.const 0)))                       ;; 10
    (call $pi (call $classify (i32.const 2)))                       ;; 12
    (call $pi (call $classify (i32.const 99)))                      ;; 13
    (call $pi (call $sum (i32.const 100)))                          ;; 5050
    (call $pi (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0))) ;; 2
    (call $pi (call_indirect (type $ii_i) (i32.const 9) (i32.const 4) (i32.const 1))) ;; 5
    (call $pi (call_indirect (type $v_i) (i32.const 2))))           ;; 7
  (func (export "t1") (drop (call_indirect (type $v_i) (i32.const 5))))
  (func (export "t2") (drop (call_indirect (type $v_i) (i32.const 3))))
  (func (export "t3") (drop (call_indirect (type $v_i) (i32.const 0))))
  (func (export "t4") (drop (call $forever (i32.const 0))))
  (func (export "t5") (unreachable))
  ;; A Wasm function named like a libc one stays local: it must neither
  ;; clash with nor replace the memset that LLVM and the runtime use.
  (func $memset (param i32) (result i32) (local.get 0))
  (func (export "t7")
    (call $pi (call_indirect (type $long)
      (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 41) (i32.const 4))))   ;; 42
  (func (export "t8")
    (drop (call_indirect (type $long2)
      (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0) (i64.const 41) (i32.const 4))))
  (func (export "t6") (call $pi (call $memset (call $fib (i32.const 10))))))  ;; 55
