;; traps.wat - every trap kind, compiled by mewzc and run on the kernel.
;; The first byte of argv[1] picks one; each trap happens in its own named
;; function so the report can name it.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (type $to_i32 (func (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $takes_i32)

  (func $takes_i32 (param i32) (result i32) (local.get 0))

  ;; First byte of argv[1], or 0 without one.
  (func $command (result i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (if (i32.lt_u (i32.load (i32.const 0)) (i32.const 2)) (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 16) (i32.const 1024)))
    (i32.load8_u (i32.load (i32.const 20))))

  (func $do_unreachable unreachable)
  (func $do_div_zero (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $do_overflow (param i32) (result i32) (i32.div_s (i32.const 0x80000000) (local.get 0)))
  (func $do_conversion (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  ;; Just past the current size: the first byte after the end.
  (func $do_oob_load (result i32) (i32.load8_u (i32.mul (memory.size) (i32.const 65536))))
  (func $do_oob_store (i32.store8 (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)))
  (func $do_mismatch (result i32) (call_indirect (type $to_i32) (i32.const 0)))
  (func $do_null (result i32) (call_indirect (type $to_i32) (i32.const 1)))
  (func $do_undefined (result i32) (call_indirect (type $to_i32) (i32.const 7)))
  (func $do_recurse (param i32) (result i32)
    (i32.add (call $do_recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))

  ;; Grow to 256 MiB, touch the last byte, then the first byte past it traps
  ;; no more: exit 0 when all of that worked.
  (func $do_grow_256m (result i32)
    (if (i32.eq (memory.grow (i32.const 4095)) (i32.const -1)) (then (return (i32.const 1))))
    (i32.store8 (i32.const 0x0fffffff) (i32.const 7))
    (if (i32.ne (i32.load8_u (i32.const 0x0fffffff)) (i32.const 7)) (then (return (i32.const 2))))
    (i32.const 0))
  ;; Far beyond any test VM's RAM: must fail with -1, and the size stays.
  (func $do_grow_too_much (result i32)
    (if (i32.ne (memory.grow (i32.const 60000)) (i32.const -1)) (then (return (i32.const 1))))
    (if (i32.ne (memory.size) (i32.const 1)) (then (return (i32.const 2))))
    (i32.const 0))

  (func (export "_start")
    (local $c i32)
    (local.set $c (call $command))
    (if (i32.eq (local.get $c) (i32.const 117)) (then (call $do_unreachable)))            ;; u
    (if (i32.eq (local.get $c) (i32.const 100)) (then (drop (call $do_div_zero (i32.const 0)))))  ;; d
    (if (i32.eq (local.get $c) (i32.const 111)) (then (drop (call $do_overflow (i32.const -1))))) ;; o
    (if (i32.eq (local.get $c) (i32.const 99)) (then (drop (call $do_conversion (f32.const nan))))) ;; c
    (if (i32.eq (local.get $c) (i32.const 108)) (then (call $proc_exit (call $do_oob_load))))  ;; l (used: a dead load may be deleted)
    (if (i32.eq (local.get $c) (i32.const 115)) (then (call $do_oob_store)))              ;; s
    (if (i32.eq (local.get $c) (i32.const 109)) (then (drop (call $do_mismatch))))        ;; m
    (if (i32.eq (local.get $c) (i32.const 110)) (then (drop (call $do_null))))            ;; n
    (if (i32.eq (local.get $c) (i32.const 101)) (then (drop (call $do_undefined))))       ;; e
    (if (i32.eq (local.get $c) (i32.const 114)) (then (drop (call $do_recurse (i32.const 0)))))  ;; r
    (if (i32.eq (local.get $c) (i32.const 103)) (then (call $proc_exit (call $do_grow_256m))))      ;; g
    (if (i32.eq (local.get $c) (i32.const 104)) (then (call $proc_exit (call $do_grow_too_much))))  ;; h
    (if (i32.eq (local.get $c) (i32.const 120)) (then (call $proc_exit (i32.const 42)))))  ;; x
)
