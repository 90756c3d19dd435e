/*
 * spec_jit.c - loading compiled objects in-process with ORC's LLJIT.  Each
 * instance gets its own JITDylib, so the same symbol names (__wasm_init,
 * __wasm_memory_base, imports) resolve differently per instance; libc and
 * libm (memcpy, rintf, ...) come from the process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>

#include "spec.h"

static LLVMOrcLLJITRef jit;
static LLVMOrcExecutionSessionRef es;

/*
 * ORC reports link errors (such as undefined symbols) to the session's
 * reporter as well as failing the lookup; keep the last one, which says
 * more than the lookup's "Failed to materialize symbols".
 */
static char session_error[512];

static void on_session_error(void *ctx, LLVMErrorRef err)
{
	char *s = LLVMGetErrorMessage(err);
	(void)ctx;
	snprintf(session_error, sizeof(session_error), "%s", s);
	LLVMDisposeErrorMessage(s);
}

static void take_error(LLVMErrorRef err, const char *what, char *msg, size_t msglen)
{
	char *s = LLVMGetErrorMessage(err);
	snprintf(msg, msglen, "%s: %s", what, s);
	LLVMDisposeErrorMessage(s);
}

int spec_jit_init(char *msg, size_t msglen)
{
	LLVMErrorRef err;

	LLVMInitializeNativeTarget();
	LLVMInitializeNativeAsmPrinter();
	err = LLVMOrcCreateLLJIT(&jit, NULL);
	if (err) {
		take_error(err, "LLJIT", msg, msglen);
		return -1;
	}
	es = LLVMOrcLLJITGetExecutionSession(jit);
	LLVMOrcExecutionSessionSetErrorReporter(es, on_session_error, NULL);
	return 0;
}

void *spec_jit_instance(const char *label, const struct spec_sym *syms, size_t nsyms,
			const char *obj, char *msg, size_t msglen)
{
	LLVMOrcJITDylibRef jd = LLVMOrcExecutionSessionCreateBareJITDylib(es, label);
	LLVMOrcCSymbolMapPairs pairs = calloc(nsyms ? nsyms : 1, sizeof(*pairs));
	LLVMOrcDefinitionGeneratorRef gen;
	LLVMMemoryBufferRef buf;
	LLVMErrorRef err;
	char *s;

	if (!pairs) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < nsyms; i++) {
		pairs[i].Name = LLVMOrcExecutionSessionIntern(es, syms[i].name);
		pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)syms[i].addr;
		pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported |
			(syms[i].callable ? LLVMJITSymbolGenericFlagsCallable : 0);
		pairs[i].Sym.Flags.TargetFlags = 0;
	}
	if (nsyms) {
		/* The unit takes over the interned names. */
		err = LLVMOrcJITDylibDefine(jd, LLVMOrcAbsoluteSymbols(pairs, nsyms));
		if (err) {
			free(pairs);
			take_error(err, "defining imports", msg, msglen);
			return NULL;
		}
	}
	free(pairs);
	err = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&gen, 0, NULL, NULL);
	if (err) {
		take_error(err, "process symbols", msg, msglen);
		return NULL;
	}
	LLVMOrcJITDylibAddGenerator(jd, gen);
	if (LLVMCreateMemoryBufferWithContentsOfFile(obj, &buf, &s)) {
		snprintf(msg, msglen, "reading %s: %s", obj, s);
		LLVMDisposeMessage(s);
		return NULL;
	}
	err = LLVMOrcLLJITAddObjectFile(jit, jd, buf); /* takes buf */
	if (err) {
		take_error(err, "adding object", msg, msglen);
		return NULL;
	}
	return jd;
}

struct lookup_result {
	bool done;
	LLVMErrorRef err;
	uint64_t addr;
};

static void on_lookup(LLVMErrorRef err, LLVMOrcCSymbolMapPairs result, size_t n, void *ctx)
{
	struct lookup_result *r = ctx;

	r->done = true;
	r->err = err;
	if (!err && n >= 1)
		r->addr = result[0].Sym.Address;
}

void *spec_jit_lookup(void *jd, const char *name, char *msg, size_t msglen)
{
	LLVMOrcCJITDylibSearchOrderElement order[2] = {
		{jd, LLVMOrcJITDylibLookupFlagsMatchAllSymbols}, {NULL, 0}};
	LLVMOrcCLookupSetElement set[2] = {
		{LLVMOrcExecutionSessionIntern(es, name), LLVMOrcSymbolLookupFlagsRequiredSymbol},
		{NULL, 0}};
	struct lookup_result r = {0};

	session_error[0] = 0;
	/* Without a task dispatcher ORC finishes the lookup before returning. */
	LLVMOrcExecutionSessionLookup(es, LLVMOrcLookupKindStatic, order, 1, set, 1, on_lookup, &r);
	if (!r.done) {
		snprintf(msg, msglen, "lookup of %s did not complete", name);
		return NULL;
	}
	if (r.err) {
		take_error(r.err, name, msg, msglen);
		if (session_error[0])
			snprintf(msg, msglen, "%s: %s", name, session_error);
		return NULL;
	}
	return (void *)(uintptr_t)r.addr;
}

/*
 * __wasm_memory_grow(delta) has no instance argument, so each memory gets a
 * 32-byte stub that adds one and jumps to the shared code:
 *     movabs $mem, %rsi ; movabs $grow, %rax ; jmp *%rax
 * Stubs are written while their page is writable, then it becomes RX.
 */
static int32_t grow_memory(uint32_t delta, struct spec_memory *mem)
{
	if (!mem->m.base) /* no memory at all */
		return -1;
	return mewz_linux_memory_grow(&mem->m, delta);
}

#define THUNK_PAGE 4096
#define THUNK_SIZE 32

void *spec_jit_grow_thunk(struct spec_memory *mem)
{
	static uint8_t *page;
	static size_t used = THUNK_PAGE;
	uint64_t m = (uintptr_t)mem, g = (uintptr_t)grow_memory;
	uint8_t *t;

	if (used + THUNK_SIZE > THUNK_PAGE) {
		page = mmap(NULL, THUNK_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			return NULL;
		used = 0;
	} else if (mprotect(page, THUNK_PAGE, PROT_READ | PROT_WRITE)) {
		return NULL;
	}
	t = page + used;
	t[0] = 0x48, t[1] = 0xbe; /* movabs imm64, %rsi */
	memcpy(t + 2, &m, 8);
	t[10] = 0x48, t[11] = 0xb8; /* movabs imm64, %rax */
	memcpy(t + 12, &g, 8);
	t[20] = 0xff, t[21] = 0xe0; /* jmp *%rax */
	used += THUNK_SIZE;
	if (mprotect(page, THUNK_PAGE, PROT_READ | PROT_EXEC))
		return NULL;
	return t;
}
