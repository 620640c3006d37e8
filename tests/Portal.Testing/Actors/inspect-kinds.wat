;; Inspector fixture: one import and one export of every kind, and memories with every limits
;; feature (a shared imported memory with a maximum, a 64-bit defined one without).
(module $inspected
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $again (param i32 i32 i32 i32) (result i32)))
  (import "env" "table" (table 1 funcref))
  (import "env" "shared_memory" (memory 1 16 shared))
  (import "env" "counter" (global (mut i32)))
  (import "env" "oops" (tag (param i32)))
  (memory $heap (export "heap") i64 3)
  (global (export "answer") i32 (i32.const 42))
  (table (export "functions") 2 funcref)
  (tag (export "failure") (param i32))
  (func (export "_start"))
  (func (export "run") (result i32) (i32.const 0)))
