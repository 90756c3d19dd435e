/*
 * decode.h - internal interface between the decoder's files:
 *   decode.c       module header, section framing and the plain sections
 *   decode_code.c  instruction sequences: function bodies, constant exprs
 *   decode_name.c  custom sections and the "name" section
 *
 * How the decoder reads, and why: the spec's reference decoder reads the
 * whole module as one stream and checks each section's (and each function
 * body's) declared size only after reading its contents.  The expected
 * error texts of the spec suite follow from that, so we do the same: one
 * reader bounded by the end of the module, and a "section size mismatch"
 * check when a section or body is done.  Lengths (names, data, sizes) are
 * checked against what is left of the module, counting from the start of
 * the length's own LEB, as the reference does ("length out of bounds").
 */
#ifndef MEWZ_DECODE_H
#define MEWZ_DECODE_H

#include "leb.h"

/* A u32 byte length that must fit in the rest of the module. */
bool mz_read_len(mz_reader *r, uint32_t *len, mz_error *err);

/* A name: length, bytes, valid UTF-8. */
bool mz_read_name(mz_reader *r, mz_name *name, mz_error *err);

/* True when [p, p+len) is well-formed UTF-8 (no surrogates, no overlongs). */
bool mz_utf8_valid(const uint8_t *p, size_t len);

/*
 * Facts the decoder collects while walking instruction sequences, checked
 * once the whole module has been read.
 */
typedef struct mz_walk_facts {
	bool uses_data_index; /* memory.init or data.drop seen */
} mz_walk_facts;

/* A constant expression (any instruction sequence up to its `end`). */
bool mz_decode_const_expr(mz_reader *r, mz_const_expr *e, mz_walk_facts *facts,
			  mz_error *err);

/* The code section's contents (after its size). */
bool mz_decode_code_section(mz_reader *r, mz_module *m, uint32_t num_defined,
			    mz_walk_facts *facts, mz_error *err);

/* Apply a "name" custom section's contents [p, end); ignores bad ones. */
void mz_decode_name_section(mz_module *m, const uint8_t *p, const uint8_t *end);

/*
 * calloc(n, size) for a vector of n items read from `r`: every item takes
 * at least one byte, so n beyond the bytes left is reported as the end of
 * input (what reading would hit) and never allocated.  *out is NULL for 0.
 */
bool mz_alloc_vec(mz_reader *r, uint32_t n, size_t size, void **out,
		  mz_error *err);

#endif /* MEWZ_DECODE_H */
