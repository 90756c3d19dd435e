/*
 * validate.h - internal interface between the validator's files:
 *   validate.c       module-level rules (3.4 of the spec), constant exprs
 *   validate_func.c  the type checker for function bodies (3.3, and the
 *                    algorithm of the spec's validation appendix)
 *   validate_ops.c   the operand and result types of instructions whose
 *                    types depend on the opcode alone
 *
 * Signatures are strings "params:results" with one letter per type, as in
 * mewz/abi.h: i=i32 I=i64 f=f32 F=f64 V=v128.
 */
#ifndef MEWZ_VALIDATE_H
#define MEWZ_VALIDATE_H

#include "instr.h"

/* The value type of a signature letter. */
uint8_t mz_sig_type(char c);

/* Signature of an instruction without immediates whose types are fixed by
 * its opcode (numeric, conversion, most SIMD), or NULL. */
const char *mz_fixed_sig(uint32_t op);

/*
 * A memory access: its signature, the largest alignment exponent allowed
 * (the natural one) and, for v128 lane accesses, the number of lanes
 * (0 otherwise).  False for any other opcode.
 */
bool mz_mem_access(uint32_t op, const char **sig, uint32_t *max_align,
		   uint32_t *lanes);

/* extract_lane / replace_lane: signature and number of lanes. */
bool mz_lane_op(uint32_t op, const char **sig, uint32_t *lanes);

/* Type-check the body of defined function `index`. */
bool mz_validate_func(const mz_module *m, uint32_t index, mz_error *err);

#endif /* MEWZ_VALIDATE_H */
