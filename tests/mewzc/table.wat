;; Tables and references: table.size/grow (and the maximum), table.init,
;; table.set/get, table.copy, table.fill, ref.func, ref.is_null, an
;; externref table, elem.drop, and out-of-bounds table traps.
(module
  (import "env" "print_i32" (func $pi (param i32)))
  (type $v_i (func (result i32)))
  (table $t 2 10 funcref)
  (table $e 0 externref)
  (elem $seg funcref (ref.func $f1) (ref.func $f2))
  (elem declare func $f3)
  (func $f1 (result i32) (i32.const 1))
  (func $f2 (result i32) (i32.const 2))
  (func $f3 (result i32) (i32.const 3))
  (func (export "t0")
    (call $pi (table.size $t))                                   ;; 2
    (call $pi (table.grow $t (ref.null func) (i32.const 3)))     ;; 2
    (call $pi (table.size $t))                                   ;; 5
    (table.init $t $seg (i32.const 3) (i32.const 0) (i32.const 2))
    (call $pi (call_indirect $t (type $v_i) (i32.const 4)))      ;; 2
    (table.set $t (i32.const 0) (ref.func $f3))
    (call $pi (call_indirect $t (type $v_i) (i32.const 0)))      ;; 3
    (table.copy $t $t (i32.const 1) (i32.const 3) (i32.const 2))
    (call $pi (call_indirect $t (type $v_i) (i32.const 2)))      ;; 2
    (table.fill $t (i32.const 3) (ref.null func) (i32.const 2))
    (call $pi (ref.is_null (table.get $t (i32.const 4))))        ;; 1
    (call $pi (ref.is_null (table.get $t (i32.const 1))))        ;; 0
    (call $pi (table.grow $t (ref.null func) (i32.const 100)))   ;; -1
    (call $pi (table.grow $e (ref.null extern) (i32.const 1)))   ;; 0
    (call $pi (ref.is_null (table.get $e (i32.const 0)))))       ;; 1
  (func (export "t1") (drop (table.get $t (i32.const 5))))
  (func (export "t2") (elem.drop $seg) (table.init $t $seg (i32.const 0) (i32.const 0) (i32.const 1)))
  (func (export "t3") (table.fill $t (i32.const 4) (ref.null func) (i32.const 2)))
  (func (export "t4") (call $pi (ref.is_null (table.get $t (i32.const 4))))))  ;; 1
