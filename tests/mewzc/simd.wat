;; A sample of SIMD semantics the spec pins down: lane arithmetic,
;; swizzle with out-of-range indices, saturating narrow, bitmask, float
;; min with -0, q15mulr saturation, trunc_sat, shifts modulo the lane
;; width, any_true/all_true.
(module
  (import "env" "print_i32" (func $pi (param i32)))
  (import "env" "print_i64" (func $pl (param i64)))
  (import "env" "print_f32" (func $pf (param f32)))
  (func (export "t0") (local $v v128)
    (call $pi (i32x4.extract_lane 3 (i32x4.add (v128.const i32x4 1 2 3 4)
                                               (v128.const i32x4 10 20 30 40))))  ;; 44
    (local.set $v (i8x16.swizzle
      (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
      (v128.const i8x16 0 15 16 255 1 1 1 1 1 1 1 1 1 1 1 1)))
    (call $pi (i8x16.extract_lane_u 1 (local.get $v)))           ;; 15
    (call $pi (i8x16.extract_lane_u 2 (local.get $v)))           ;; 0
    (call $pi (i8x16.extract_lane_u 3 (local.get $v)))           ;; 0
    (local.set $v (i8x16.narrow_i16x8_s (v128.const i16x8 300 -300 5 0 0 0 0 0)
                                        (v128.const i16x8 0 0 0 0 0 0 0 0)))
    (call $pi (i8x16.extract_lane_s 0 (local.get $v)))           ;; 127
    (call $pi (i8x16.extract_lane_s 1 (local.get $v)))           ;; -128
    (call $pi (i8x16.extract_lane_s 2 (local.get $v)))           ;; 5
    (call $pi (i8x16.bitmask (v128.const i8x16 -1 0 -1 0 0 0 0 0 0 0 0 0 0 0 0 0))) ;; 5
    (call $pf (f32x4.extract_lane 0 (f32x4.min (v128.const f32x4 -0 1 1 1)
                                               (v128.const f32x4 0 1 1 1))))      ;; 0x80000000
    (call $pi (i16x8.extract_lane_s 0 (i16x8.q15mulr_sat_s
      (v128.const i16x8 -32768 0 0 0 0 0 0 0) (v128.const i16x8 -32768 0 0 0 0 0 0 0)))) ;; 32767
    (local.set $v (i32x4.trunc_sat_f32x4_u (v128.const f32x4 -1 5e9 nan 3.7)))
    (call $pi (i32x4.extract_lane 0 (local.get $v)))             ;; 0
    (call $pi (i32x4.extract_lane 1 (local.get $v)))             ;; -1
    (call $pi (i32x4.extract_lane 2 (local.get $v)))             ;; 0
    (call $pi (i32x4.extract_lane 3 (local.get $v)))             ;; 3
    (call $pl (i64x2.extract_lane 1 (i64x2.shl (v128.const i64x2 1 2) (i32.const 65)))) ;; 4
    (call $pi (v128.any_true (v128.const i64x2 0 0)))            ;; 0
    (call $pi (i32x4.all_true (v128.const i32x4 1 1 1 0)))))     ;; 0
