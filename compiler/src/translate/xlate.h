/*
 * xlate.h - private to translate/: the per-shard module context (xmod), the
 * per-function context (xfunc) and the emitters, one file per instruction
 * class, all shaped `bool x_emit_<class>(xfunc *fc, const mz_instr *in)`.
 *
 * A shard owns one LLVMContext, module and builder and is translated on one
 * thread; nothing here is shared between shards except the read-only
 * mz_module.  Every emitter returns false after filling xm->err.
 */
#ifndef MEWZ_XLATE_H
#define MEWZ_XLATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "../instr.h"
#include "translate.h"

typedef struct xtypes {
	LLVMTypeRef void_, i1, i8, i16, i32, i64, f32, f64, ptr;
	LLVMTypeRef v128; /* canonical: <2 x i64>, like __m128i */
	LLVMTypeRef i8x16, i16x8, i32x4, i64x2, f32x4, f64x2;
	LLVMTypeRef table;    /* mewz_table_t: { ptr, i32, i32 } */
	LLVMTypeRef funcdesc; /* mewz_func_t: { ptr, i64, ptr } */
} xtypes;

typedef struct xmod {
	const mz_module *m;
	const mz_xopts *o;
	uint32_t shard, nshards;
	uint32_t func_begin, func_end; /* function indices defined here */
	bool owns_module_data; /* shard 0: globals, tables, segments, init */

	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMTargetMachineRef tm;
	LLVMBuilderRef b;
	xtypes t;
	unsigned md_invariant, md_nonnull;

	/* Lazily created declarations/definitions, by index. */
	LLVMTypeRef *ftypes; /* per type index */
	LLVMTypeRef *rtypes; /* results struct per type index (>1 result) */
	LLVMValueRef *funcs;
	LLVMValueRef *globals;
	LLVMValueRef *tables;
	LLVMValueRef *funcrefs;
	LLVMValueRef *datas;
	LLVMValueRef *elems;
	LLVMValueRef data_dropped, elem_dropped;
	LLVMValueRef mem_base, mem_size;
	LLVMValueRef fn_trap, fn_mem_grow, fn_table_grow, fn_strcmp;

	mz_error err;
} xmod;

/* One entry of the control stack. */
enum xctrl_kind { XC_FUNC, XC_BLOCK, XC_LOOP, XC_IF };

typedef struct xctrl {
	uint8_t kind;
	bool has_else;
	uint32_t nparams, nresults;
	const uint8_t *params, *results; /* mz_valtype arrays */
	uint8_t one_result;		 /* storage for MZ_BLOCK_VALUE */
	uint32_t height;		 /* stack height below the params */
	LLVMBasicBlockRef end_bb, loop_bb, else_bb;
	LLVMValueRef *end_phis;	 /* nresults, in end_bb */
	LLVMValueRef *loop_phis; /* nparams, in loop_bb */
	LLVMValueRef *if_params; /* nparams, the else branch starts with them */
} xctrl;

typedef struct xfunc {
	xmod *xm;
	uint32_t idx; /* function index */
	const mz_functype *ft;
	LLVMValueRef fn;
	LLVMBuilderRef b;
	LLVMValueRef sret; /* results pointer when nresults > 1 */

	uint32_t nlocals;
	LLVMValueRef *locals; /* allocas */
	LLVMTypeRef *local_types;

	LLVMValueRef *stack;
	uint32_t sp, stack_cap;
	xctrl *ctrl;
	uint32_t nctrl, ctrl_cap;

	bool unreachable;    /* skipping dead code after br/return/... */
	uint32_t skip_depth; /* blocks opened inside dead code */

	LLVMBasicBlockRef entry_bb;
	LLVMValueRef mem_base; /* loaded once in the entry block */
	LLVMBasicBlockRef trap_bbs[16];
	uint32_t offset; /* current instruction, for messages */
} xfunc;

/* --- errors ------------------------------------------------------------- */
bool x_fail(xmod *xm, size_t offset, bool unsupported, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* --- names.c: symbol names and signature strings (malloc'd) ------------ */
char *x_func_symbol(const mz_module *m, uint32_t f);
char *x_import_symbol(const mz_module *m, uint32_t import_index);
char *x_export_symbol(const char *prefix, const mz_name *name);
char *x_sig_string(const mz_module *m, uint32_t type_index);
char *x_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- context.c: shard module, types, declarations ---------------------- */
bool x_mod_init(xmod *xm, const mz_module *m, const mz_xopts *o, uint32_t shard,
		uint32_t nshards, uint32_t func_begin, uint32_t func_end);
void x_mod_free(xmod *xm);
LLVMTypeRef x_valtype(xmod *xm, uint8_t t);
LLVMTypeRef x_functype(xmod *xm, uint32_t type_index);
LLVMTypeRef x_results_type(xmod *xm, uint32_t type_index);
/* Private to the object: internal linkage in a one-shard object, hidden
 * (localized after merging) otherwise. */
void x_set_private(xmod *xm, LLVMValueRef v);
LLVMValueRef x_func(xmod *xm, uint32_t f);
LLVMValueRef x_global(xmod *xm, uint32_t g);
LLVMValueRef x_table(xmod *xm, uint32_t t);
LLVMValueRef x_funcref(xmod *xm, uint32_t f);
LLVMValueRef x_data(xmod *xm, uint32_t d);
LLVMValueRef x_elem(xmod *xm, uint32_t e);
LLVMValueRef x_data_dropped(xmod *xm);
LLVMValueRef x_elem_dropped(xmod *xm);
LLVMValueRef x_mem_base_sym(xmod *xm);
LLVMValueRef x_mem_size_sym(xmod *xm);
LLVMValueRef x_fn_trap(xmod *xm);
LLVMValueRef x_fn_mem_grow(xmod *xm);
LLVMValueRef x_fn_table_grow(xmod *xm);
LLVMValueRef x_fn_strcmp(xmod *xm);
LLVMValueRef x_call_intrinsic(xmod *xm, const char *name, LLVMTypeRef *types,
			      unsigned ntypes, LLVMValueRef *args,
			      unsigned nargs);
void x_add_fn_attr(xmod *xm, LLVMValueRef fn, const char *kind);
void x_add_fn_str_attr(xmod *xm, LLVMValueRef fn, const char *k, const char *v);

/* --- function.c: translation of one body ------------------------------- */
bool x_translate_function(xmod *xm, uint32_t f);
bool x_push(xfunc *fc, LLVMValueRef v);
bool x_pop(xfunc *fc, LLVMValueRef *v);
bool x_pop_n(xfunc *fc, uint32_t n, LLVMValueRef *out);
/* Branch to a new "trap(code)" when cond is true; continue after it. */
bool x_trap_if(xfunc *fc, LLVMValueRef cond, uint32_t code);
bool x_trap_now(xfunc *fc, uint32_t code);
LLVMValueRef x_entry_alloca(xfunc *fc, LLVMTypeRef t, const char *name);

#define X_TRY(expr)                                                            \
	do {                                                                   \
		if (!(expr))                                                   \
			return false;                                          \
	} while (0)
#define X_POP(fc, v)  X_TRY(x_pop((fc), &(v)))
#define X_PUSH(fc, v) X_TRY(x_push((fc), (v)))

/* emit_control.c: the function's own frame (its end block returns). */
bool x_push_func_frame(xfunc *fc);
void x_free_ctrl(xctrl *c);

/* --- emitters ----------------------------------------------------------- */
bool x_emit_control(xfunc *fc, const mz_instr *in);
bool x_emit_variable(xfunc *fc, const mz_instr *in);
bool x_emit_numeric(xfunc *fc, const mz_instr *in);
bool x_emit_conversion(xfunc *fc, const mz_instr *in);
bool x_emit_memory(xfunc *fc, const mz_instr *in);
bool x_emit_table(xfunc *fc, const mz_instr *in);
bool x_emit_simd(xfunc *fc, const mz_instr *in);

/* emit_memory.c: the effective address of [addr + offset, +size). */
bool x_mem_addr(xfunc *fc, LLVMValueRef addr, uint32_t offset, uint32_t size,
		LLVMValueRef *out);
/* emit_numeric.c: float helpers shared with SIMD. */
LLVMValueRef x_fminmax(xfunc *fc, LLVMValueRef a, LLVMValueRef b, bool is_max);
LLVMValueRef x_quiet_nan(xfunc *fc, LLVMValueRef r);
/* ceil, floor, trunc, nearest (kind 0..3) of a float scalar or vector. */
LLVMValueRef x_round(xfunc *fc, LLVMValueRef x, unsigned kind);

/* --- init.c: module data, __wasm_init, exports, import list ------------ */
bool x_emit_module_data(xmod *xm);
/* Export symbols and invoke wrappers of the functions this shard owns. */
bool x_emit_exports(xmod *xm);

/* --- object.c: target, optimisation, emission, merging ------------------ */
void x_init_llvm(void);
/* Create xm->tm and give the module its triple and data layout. */
bool x_setup_target(xmod *xm);
bool x_optimize_and_emit(xmod *xm, void **obj, size_t *obj_len);
bool x_merge_objects(void **objs, size_t *lens, uint32_t n,
		     const char *out_path, mz_error *err);
bool x_write_file(const char *path, const void *buf, size_t len, mz_error *err);

#endif /* MEWZ_XLATE_H */
