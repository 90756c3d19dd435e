;; Integer and float semantics: division traps, rem_s of INT_MIN/-1,
;; shift counts modulo width, conversions (trapping and saturating), float
;; min/max/nearest/sign operations.  Operands come from memory (a data
;; segment) as well as constants, so both run-time code and LLVM's folding
;; are checked.
(module
  (import "env" "print_i32" (func $pi (param i32)))
  (import "env" "print_i64" (func $pl (param i64)))
  (import "env" "print_f32" (func $pf (param f32)))
  (import "env" "print_f64" (func $pd (param f64)))
  (memory 1)
  ;; 0: INT_MIN  4: -1  8: 0  12: 7  16: f32 nan  20: f32 -0.0
  (data (i32.const 0) "\00\00\00\80\ff\ff\ff\ff\00\00\00\00\07\00\00\00\00\00\c0\7f\00\00\00\80")
  (func $m (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "t0")
    (call $pi (i32.div_s (i32.const -7) (i32.const 2)))          ;; -3
    (call $pi (i32.rem_s (i32.const -7) (i32.const 2)))          ;; -1
    (call $pi (i32.rem_s (call $m (i32.const 0)) (call $m (i32.const 4)))) ;; 0
    (call $pi (i32.div_u (call $m (i32.const 4)) (i32.const 2))) ;; 2147483647
    (call $pi (i32.shl (i32.const 1) (i32.const 33)))            ;; 2
    (call $pi (i32.shr_s (call $m (i32.const 0)) (i32.const 63))) ;; -1
    (call $pi (i32.rotl (i32.const 0x80000001) (i32.const 1)))   ;; 3
    (call $pi (i32.clz (call $m (i32.const 8))))                 ;; 32
    (call $pi (i32.ctz (call $m (i32.const 8))))                 ;; 32
    (call $pi (i32.popcnt (call $m (i32.const 4))))              ;; 32
    (call $pi (i32.extend8_s (i32.const 0xff)))                  ;; -1
    (call $pl (i64.rem_s (i64.const 0x8000000000000000) (i64.extend_i32_s (call $m (i32.const 4))))) ;; 0
    (call $pl (i64.extend_i32_u (call $m (i32.const 4)))))       ;; 4294967295
  (func (export "t1") (drop (i32.div_s (call $m (i32.const 12)) (call $m (i32.const 8)))))
  (func (export "t2") (drop (i32.div_s (call $m (i32.const 0)) (call $m (i32.const 4)))))
  (func (export "t3") (drop (i32.trunc_f32_s (f32.load (i32.const 16)))))
  (func (export "t4") (drop (i32.trunc_f64_s (f64.const 2147483648))))
  (func (export "t5")
    (call $pi (i32.trunc_f64_s (f64.const -2147483648.9)))       ;; -2147483648
    (call $pi (i32.trunc_sat_f32_u (f32.const -5)))              ;; 0
    (call $pi (i32.trunc_sat_f32_s (f32.load (i32.const 16))))   ;; 0
    (call $pl (i64.trunc_sat_f64_s (f64.const 1e30)))            ;; 9223372036854775807
    (call $pi (i32.trunc_f32_u (f32.const 4294967040))))         ;; -256
  (func (export "t6") (drop (i32.trunc_f32_u (f32.const -1))))
  (func (export "t7")
    (call $pf (f32.min (f32.load (i32.const 20)) (f32.const 0)))  ;; 0x80000000
    (call $pf (f32.max (f32.load (i32.const 20)) (f32.const 0)))  ;; 0x00000000
    (call $pf (f32.nearest (f32.const 2.5)))                      ;; 0x40000000
    (call $pf (f32.nearest (f32.const -3.5)))                     ;; 0xc0800000
    (call $pd (f64.copysign (f64.const 1) (f64.const -0)))        ;; 0xbff0000000000000
    (call $pf (f32.neg (f32.reinterpret_i32 (i32.const 0x7fa00000)))) ;; 0xffa00000
    (call $pf (f32.abs (f32.reinterpret_i32 (i32.const 0xffc00001)))) ;; 0x7fc00001
    (call $pi (i32.and (i32.reinterpret_f32 (f32.min (f32.load (i32.const 16)) (f32.const 1)))
                       (i32.const 0x7fc00000)))                   ;; 2143289344
    (call $pd (f64.sqrt (f64.const 2.25)))                        ;; 0x3ff8000000000000
    (call $pd (f64.floor (f64.const -0.5)))                       ;; 0xbff0000000000000
    (call $pf (f32.ceil (f32.const -0.5)))                        ;; 0x80000000
    (call $pd (f64.trunc (f64.const -0.7)))                       ;; 0x8000000000000000
    (call $pd (f64.nearest (f64.const 4503599627370495.5)))       ;; 2^52: 0x4330000000000000
    (call $pf (f32.floor (f32.const 1e30)))                       ;; 0x7149f2ca
    (call $pi (i32.and (i32.reinterpret_f32 (f32.nearest (f32.reinterpret_i32 (i32.const 0x7fa00000))))
                       (i32.const 0x7fc00000)))))                 ;; 2143289344
