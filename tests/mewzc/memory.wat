;; Linear memory: loads/stores of any alignment, memory.size/grow (and the
;; module maximum), overlapping memory.copy, memory.fill, memory.init and
;; data.drop, and out-of-bounds traps, with nothing written by a bulk
;; instruction that traps.  Run with --bounds=guard and --bounds=check.
(module
  (import "env" "print_i32" (func $pi (param i32)))
  (import "env" "print_i64" (func $pl (param i64)))
  (memory 1 2)
  (data (i32.const 16) "hello")
  (data "WXYZ")
  (func (export "t0")
    (call $pi (i32.load8_u (i32.const 16)))                     ;; 104
    (i32.store16 (i32.const 50) (i32.const 0xffff))
    (call $pi (i32.load16_s (i32.const 50)))                    ;; -1
    (call $pi (memory.size))                                    ;; 1
    (call $pi (memory.grow (i32.const 1)))                      ;; 1
    (call $pi (memory.size))                                    ;; 2
    (call $pi (memory.grow (i32.const 1)))                      ;; -1
    (memory.copy (i32.const 17) (i32.const 16) (i32.const 5))
    (call $pi (i32.load (i32.const 17)))                        ;; 1819043176
    (memory.fill (i32.const 100) (i32.const 0x41) (i32.const 4))
    (call $pi (i32.load (i32.const 100)))                       ;; 1094795585
    (memory.init 1 (i32.const 200) (i32.const 1) (i32.const 2))
    (call $pi (i32.load16_u (i32.const 200)))                   ;; 22872
    (i64.store (i32.const 1001) (i64.const 0x0102030405060708))
    (call $pl (i64.load (i32.const 1001)))                      ;; 72623859790382856
    (call $pi (i32.load offset=1000 (i32.const 1))))            ;; 0x05060708 = 84281096
  (func (export "t1") (drop (i32.load (i32.const 131070))))
  (func (export "t2") (memory.fill (i32.const 131000) (i32.const 0x42) (i32.const 100000)))
  (func (export "t3") (call $pi (i32.load8_u (i32.const 131000))))  ;; 0
  (func (export "t4") (data.drop 1) (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 1)))
  (func (export "t5") (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (call $pi (i32.const 1)))
  (func (export "t6") (drop (i64.load offset=0xffffffff (i32.const 1))))
  (func (export "t7") (memory.copy (i32.const 0) (i32.const 131000) (i32.const 1000))))
