;; bad-imports.wat - imports the runtime does not provide as declared:
;; link.sh must refuse it and name every one.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "no_such_call" (func (param i32)))
  (import "env" "other" (func))
  (memory 1)
  (func (export "_start")))
