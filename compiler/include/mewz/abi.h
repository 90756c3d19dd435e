/*
 * mewz/abi.h - the contract between an object produced by mewzc and the
 * runtime that links it (the guest kernel, guest/plat/linux, the spec runner).
 *
 * Everything a compiled module needs from outside is an undefined symbol, and
 * everything it offers is a defined symbol whose name starts with "__wasm_".
 * Nothing here depends on an operating system.
 *
 * Symbols
 * -------
 * Imports: a function import `module.field` is the undefined symbol with
 *   exactly that byte string ("wasi_snapshot_preview1.fd_write").  A global
 *   or table import is an undefined *data* symbol of the same form, naming the
 *   storage (see mewz_table_t and "Globals").  A memory import names no symbol:
 *   there is one linear memory per instance and the runtime provides it.
 *   Bytes 0x00 and '%' in a name are written "%00" and "%25"; every other byte
 *   is kept.
 * Exports: `__wasm_export.<name>` for every exported function, global and
 *   table (memory exports name no symbol).  A function export is callable
 *   with the C ABI described under "Values".  A global or table that is
 *   imported and exported again has no storage in the object (and ELF
 *   cannot alias an undefined symbol): it is exported as
 *   `__wasm_export_ref.<name>`, a read-only pointer to the imported storage.
 * Private symbols (STB_LOCAL in the object, never bound by the linker):
 *   defined function f is `__wasm_func.<f>`, or `__wasm_func.<f>.<name>`
 *   with its name-section name (escaped as above), so traps, gdb and perf
 *   show it; module storage is `__wasm_global.<i>`, `__wasm_table.<i>`,
 *   `__wasm_funcref.<f>` (descriptors), `__wasm_data.<i>`, `__wasm_elem.<i>`.
 *   Every name the object defines starts with "__wasm", and mewzc rejects
 *   imports whose module name starts with "__wasm", so a Wasm function
 *   named `memcpy` can neither collide with nor satisfy libc's.
 * Defined by the object:
 *   void __wasm_init(void);           instantiate: tables, globals, active
 *                                      element and data segments, start function
 *   const uint32_t __wasm_memory_initial_pages;
 *   const uint32_t __wasm_memory_max_pages;    65536 when the module gives none;
 *                                      both 0 when the module has no memory
 *   const uint32_t __wasm_memory_flags;        MEWZ_MEMORY_*
 * Provided by the runtime (before __wasm_init runs):
 *   uint8_t *__wasm_memory_base;       never moves once set
 *   uint64_t __wasm_memory_size;       current size in bytes, kept by grow
 *   int32_t  __wasm_memory_grow(uint32_t delta_pages);  old pages or -1
 *   int32_t  __wasm_table_grow(mewz_table_t *t, uint32_t delta, void *init);
 *   void     __wasm_trap(uint32_t code) __attribute__((noreturn));
 *   memcpy, memmove, memset, memcmp    (LLVM lowers bulk operations to them)
 *   floor, ceil, trunc, roundeven and their f variants  (reserved: mewzc
 *                                      emits inline SSE2 sequences for float
 *                                      rounding today, but a target LLVM
 *                                      lowers to libcalls may need them; the
 *                                      guest provides all eight)
 *   strcmp                             (hashed type keys, see "Signatures")
 *
 * Values
 * ------
 * i32 -> int32_t, i64 -> int64_t, f32 -> float, f64 -> double,
 * v128 -> a 16-byte vector in an SSE register (__m128i), funcref ->
 * const mewz_func_t * (NULL is ref.null), externref -> void * (NULL is
 * ref.null; any other value is the host's).
 * A function with more than one result takes a hidden first argument, a
 * pointer to a struct holding the results in order with natural C layout,
 * and returns void.  This applies to imports, exports, internal calls and
 * mewz_func_t.code alike, so any funcref can be called from C.
 *
 * With `mewzc --invoke-wrappers` every exported function also gets
 *   void __wasm_invoke.<name>(const mewz_slot_t *args, mewz_slot_t *results);
 * which reads each argument from, and writes each result to, one 16-byte
 * slot (value in its low bytes, little-endian).  Test runners use it to call
 * any signature without generating code.
 *
 * Globals: a global's storage is its value type's C type (v128: 16 bytes,
 * 16-byte aligned).  Imported globals are read and, if mutable, written
 * through the imported symbol, so two instances can share one global.
 *
 * Bounds
 * ------
 * --bounds=guard (default): the runtime reserves MEWZ_GUARD_RESERVATION bytes
 * of address space from __wasm_memory_base, accessible up to
 * __wasm_memory_size; a fault anywhere in the reservation is
 * MEWZ_TRAP_OOB_MEMORY.  --bounds=check: every access compares with
 * __wasm_memory_size.  Bulk-memory instructions always compare.
 *
 * Stack
 * -----
 * Compiled functions probe their frames page by page (no frame skips a
 * page), so a runtime that leaves an unmapped guard region below the stack
 * turns deep recursion into a fault it reports as MEWZ_TRAP_STACK_EXHAUSTED.
 *
 * Signatures
 * ----------
 * A signature string spells params, ':', results with one letter per type:
 * i=i32 I=i64 f=f32 F=f64 V=v128 r=funcref x=externref.  "ii:i" is
 * (i32, i32) -> i32, ":" is () -> ().  The object lists every function import
 * with its signature in section MEWZ_IMPORTS_SECTION as pairs of
 * NUL-terminated strings: symbol name, signature.  `mewz` checks them against
 * the runtime's before linking.
 *
 * WasmEdge's socket extension has two versions of some functions under one
 * import name, told apart by signature, and the symbol follows it as
 * WasmEdge's executor does when it instantiates a module: a function
 * imported from "wasi_snapshot_preview1" whose name MEWZ_WASMEDGE_V1 lists
 * binds to "wasi_snapshot_preview1.<name>" when its signature is the one
 * listed there (WasmEdge's V1, the behaviour before 0.12) and to
 * "wasi_snapshot_preview1.<name>_v2" otherwise (V2).  WASI preview 1's
 * sock_accept (fd, flags, *newfd) is V2's; WasmEdge's own (fd, *newfd) is
 * V1's.  A program may also import the "_v2" names directly.  Source:
 * WasmEdge lib/executor/instantiate/import.cpp (the list of compatible
 * socket functions) and lib/host/wasi/wasimodule.cpp.
 *
 * Indirect calls compare mewz_func_t.type_key with the key of the expected
 * type (see mewz_type_key below); structurally equal types have equal keys in
 * every module.  Keys with MEWZ_TYPE_KEY_HASHED set are hashes of long
 * signatures and are confirmed by comparing the signature strings.
 */
#ifndef MEWZ_ABI_H
#define MEWZ_ABI_H

#include <stdint.h>

/* X(name, V1 signature) for each versioned WasmEdge socket function. */
#define MEWZ_WASMEDGE_V1(X)                                                    \
	X(sock_open, "iii:i")                                                  \
	X(sock_bind, "iii:i")                                                  \
	X(sock_connect, "iii:i")                                               \
	X(sock_listen, "ii:i")                                                 \
	X(sock_accept, "ii:i")                                                 \
	X(sock_recv, "iiiiii:i")                                               \
	X(sock_recv_from, "iiiiiii:i")                                         \
	X(sock_send, "iiiii:i")                                                \
	X(sock_send_to, "iiiiiii:i")                                           \
	X(sock_getlocaladdr, "iiii:i")                                         \
	X(sock_getpeeraddr, "iiii:i")

#define MEWZ_PAGE_SIZE 65536u
#define MEWZ_MAX_PAGES 65536u
/* 4 GiB of index space + 4 GiB of static offset + one page of access width. */
#define MEWZ_GUARD_RESERVATION ((uint64_t)8 << 30 | 65536u)

#define MEWZ_MEMORY_PRESENT 1u  /* the module has (or imports) a memory */
#define MEWZ_MEMORY_IMPORTED 2u /* the memory is imported */

#define MEWZ_IMPORTS_SECTION ".mewz.imports"

/* Trap codes, with the spec suite's wording. */
#define MEWZ_TRAP_LIST(X)                                                      \
	X(UNREACHABLE, 1, "unreachable")                                       \
	X(INT_DIV_ZERO, 2, "integer divide by zero")                           \
	X(INT_OVERFLOW, 3, "integer overflow")                                 \
	X(INVALID_CONVERSION, 4, "invalid conversion to integer")              \
	X(OOB_MEMORY, 5, "out of bounds memory access")                        \
	X(OOB_TABLE, 6, "out of bounds table access")                          \
	X(UNDEFINED_ELEMENT, 7, "undefined element")                           \
	X(UNINITIALIZED_ELEMENT, 8, "uninitialized element")                   \
	X(INDIRECT_TYPE_MISMATCH, 9, "indirect call type mismatch")            \
	X(STACK_EXHAUSTED, 10, "call stack exhausted")

enum mewz_trap {
#define MEWZ_TRAP_ENUM(name, code, text) MEWZ_TRAP_##name = code,
	MEWZ_TRAP_LIST(MEWZ_TRAP_ENUM)
#undef MEWZ_TRAP_ENUM
};

/* The spec's wording for a trap code, or "unknown trap". */
static inline const char *mewz_trap_text(uint32_t code)
{
	switch (code) {
#define MEWZ_TRAP_CASE(name, c, text)                                          \
	case c:                                                                \
		return text;
		MEWZ_TRAP_LIST(MEWZ_TRAP_CASE)
#undef MEWZ_TRAP_CASE
	}
	return "unknown trap";
}

/*
 * A funcref points at one of these, emitted read-only by the module that
 * defines or imports the function.  `sig` is the signature string.
 */
typedef struct mewz_func {
	void *code;
	uint64_t type_key;
	const char *sig;
} mewz_func_t;

/*
 * A table.  `elems` holds `size` entries (mewz_func_t * or externref); the
 * runtime's __wasm_table_grow reallocates it.  `max` is 0xffffffff when the
 * module gives no maximum.  A table the module defines starts as
 * {NULL, 0, max}; __wasm_init grows it to its minimum with
 * __wasm_table_grow(t, min, NULL) (a -1 there traps MEWZ_TRAP_OOB_TABLE),
 * so `elems` is always the runtime's own allocation.
 */
typedef struct mewz_table {
	void **elems;
	uint32_t size;
	uint32_t max;
} mewz_table_t;

/* One value in an invoke wrapper's argument or result array. */
typedef union mewz_slot {
	int32_t i32;
	int64_t i64;
	float f32;
	double f64;
	uint8_t v128[16];
	void *ref;
} mewz_slot_t;

#define MEWZ_TYPE_KEY_HASHED ((uint64_t)0xf << 60)

/*
 * The type key of a signature string: one nibble per letter from the least
 * significant end (i=1 I=2 f=3 F=4 V=5 r=6 x=7, ':'=8), when the string has
 * at most 15 letters; otherwise the 64-bit FNV-1a hash of the string with the
 * top nibble forced to 0xf.
 */
static inline uint64_t mewz_type_key(const char *sig)
{
	uint64_t key = 0;
	unsigned n = 0;
	const char *p;

	for (p = sig; *p; p++, n++) {
		uint64_t nib;
		switch (*p) {
		case 'i': nib = 1; break;
		case 'I': nib = 2; break;
		case 'f': nib = 3; break;
		case 'F': nib = 4; break;
		case 'V': nib = 5; break;
		case 'r': nib = 6; break;
		case 'x': nib = 7; break;
		default: nib = 8; break;
		}
		if (n < 15)
			key |= nib << (4 * n);
	}
	if (n <= 15)
		return key;
	key = 0xcbf29ce484222325ull;
	for (p = sig; *p; p++) {
		key ^= (uint8_t)*p;
		key *= 0x100000001b3ull;
	}
	return key | MEWZ_TYPE_KEY_HASHED;
}

#endif /* MEWZ_ABI_H */
