/*
 * interp - a switch-dispatched bytecode interpreter with a register file,
 * running a small program (nested loops with arithmetic, a hash mix and a
 * memory array) built at start-up.  This is the shape of the main loop of
 * every scripting VM.
 */
#include "bench.h"

enum op { OP_LI, OP_MOV, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_XOR, OP_SHL,
	  OP_SHR, OP_ADDI, OP_LD, OP_ST, OP_BLT, OP_BNE, OP_JMP, OP_HALT };

struct insn {
	uint8_t op, a, b, c;
	int32_t imm;
};

#define MEM_WORDS 4096
#define MAX_CODE 64

static struct insn code[MAX_CODE];
static uint32_t ncode;
static uint32_t mem[MEM_WORDS];

static uint32_t emit(uint8_t op, uint8_t a, uint8_t b, uint8_t c, int32_t imm)
{
	struct insn in = {op, a, b, c, imm};

	code[ncode] = in;
	return ncode++;
}

/*
 * r1 = outer counter, r2 = inner counter, r3 = accumulator, r4 = limit,
 * r5.. temporaries.  for (i = 0; i < outer; i++) for (j = 0; j < 1000; j++)
 * { t = mem[(acc ^ j) & 4095]; acc = acc * 31 + (t ^ (j << 3)) + i;
 *   mem[j & 4095] = acc >> 7; }
 */
static void build_program(uint32_t outer)
{
	uint32_t outer_top, inner_top, br;

	emit(OP_LI, 1, 0, 0, 0);
	emit(OP_LI, 3, 0, 0, 1);
	emit(OP_LI, 4, 0, 0, (int32_t)outer);
	emit(OP_LI, 6, 0, 0, 1000);
	emit(OP_LI, 7, 0, 0, 4095);
	emit(OP_LI, 8, 0, 0, 31);
	emit(OP_LI, 9, 0, 0, 3);
	emit(OP_LI, 10, 0, 0, 7);
	outer_top = emit(OP_LI, 2, 0, 0, 0);
	inner_top = emit(OP_XOR, 5, 3, 2, 0);
	emit(OP_AND, 5, 5, 7, 0);
	emit(OP_LD, 11, 5, 0, 0);
	emit(OP_SHL, 12, 2, 9, 0);
	emit(OP_XOR, 11, 11, 12, 0);
	emit(OP_MUL, 3, 3, 8, 0);
	emit(OP_ADD, 3, 3, 11, 0);
	emit(OP_ADD, 3, 3, 1, 0);
	emit(OP_AND, 13, 2, 7, 0);
	emit(OP_SHR, 14, 3, 10, 0);
	emit(OP_ST, 14, 13, 0, 0);
	emit(OP_ADDI, 2, 2, 0, 1);
	br = emit(OP_BLT, 2, 6, 0, 0);
	code[br].imm = (int32_t)inner_top;
	emit(OP_ADDI, 1, 1, 0, 1);
	br = emit(OP_BLT, 1, 4, 0, 0);
	code[br].imm = (int32_t)outer_top;
	emit(OP_HALT, 0, 0, 0, 0);
}

/* Runs the program; returns r3 and counts executed instructions. */
static uint32_t run(uint64_t *executed)
{
	uint32_t r[16] = {0};
	uint32_t pc = 0;
	uint64_t n = 0;

	for (;;) {
		const struct insn *in = &code[pc++];
		n++;
		switch (in->op) {
		case OP_LI: r[in->a] = (uint32_t)in->imm; break;
		case OP_MOV: r[in->a] = r[in->b]; break;
		case OP_ADD: r[in->a] = r[in->b] + r[in->c]; break;
		case OP_SUB: r[in->a] = r[in->b] - r[in->c]; break;
		case OP_MUL: r[in->a] = r[in->b] * r[in->c]; break;
		case OP_AND: r[in->a] = r[in->b] & r[in->c]; break;
		case OP_XOR: r[in->a] = r[in->b] ^ r[in->c]; break;
		case OP_SHL: r[in->a] = r[in->b] << (r[in->c] & 31); break;
		case OP_SHR: r[in->a] = r[in->b] >> (r[in->c] & 31); break;
		case OP_ADDI: r[in->a] = r[in->b] + (uint32_t)in->imm; break;
		case OP_LD: r[in->a] = mem[r[in->b] & (MEM_WORDS - 1)]; break;
		case OP_ST: mem[r[in->b] & (MEM_WORDS - 1)] = r[in->a]; break;
		case OP_BLT:
			if (r[in->a] < r[in->b])
				pc = (uint32_t)in->imm;
			break;
		case OP_BNE:
			if (r[in->a] != r[in->b])
				pc = (uint32_t)in->imm;
			break;
		case OP_JMP: pc = (uint32_t)in->imm; break;
		case OP_HALT: *executed = n; return r[3];
		default: *executed = n; return 0xdeadbeef;
		}
	}
}

int main(int argc, char **argv)
{
	uint32_t outer = bench_reps(60000, bench_scale(argc, argv)), i;
	uint64_t h = BENCH_HASH_INIT, executed = 0;
	uint32_t acc;

	for (i = 0; i < MEM_WORDS; i++)
		mem[i] = i * 2654435761u;
	build_program(outer);
	acc = run(&executed);
	h = bench_mix(bench_mix(h, acc), executed);
	for (i = 0; i < MEM_WORDS; i += 97)
		h = bench_mix(h, mem[i]);
	bench_report("interp", h);
	return 0;
}
