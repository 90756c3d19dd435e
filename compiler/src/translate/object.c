/*
 * object.c - the back end of a shard (target machine, verification, the
 * new-pass-manager pipeline, object emission) and the merging of shard
 * objects into the one output object.
 *
 * Code model and relocations: objects are position independent (PIC,
 * small code model).  Private symbols are internal or hidden, so they
 * never go through the GOT; runtime symbols and imports do, which lets the
 * same object link into a static kernel, a PIE, or ORC's JIT without TLS
 * or copy relocations.
 *
 * Merging: `ld.lld-19 -r` joins the shard objects in shard order, then
 * `llvm-objcopy-19 --localize-hidden` turns the hidden cross-shard symbols
 * into local ones, so only abi.h's symbols stay global.  Both tools are
 * deterministic, so the output depends on the module and flags alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "xlate.h"

extern char **environ;

#define DEFAULT_TRIPLE "x86_64-unknown-linux-gnu"
#define DEFAULT_CPU    "x86-64"

void x_init_llvm(void)
{
	LLVMInitializeAllTargetInfos();
	LLVMInitializeAllTargets();
	LLVMInitializeAllTargetMCs();
	LLVMInitializeAllAsmPrinters();
}

bool x_setup_target(xmod *xm)
{
	const mz_xopts *o = xm->o;
	const char *triple = o->triple ? o->triple : DEFAULT_TRIPLE;
	LLVMTargetRef target;
	char *msg = NULL;
	if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
		x_fail(xm, 0, true, "unsupported target %s: %s", triple,
		       msg ? msg : "?");
		LLVMDisposeMessage(msg);
		return false;
	}
	char *cpu = NULL, *features = NULL;
	if (o->cpu && strcmp(o->cpu, "native") == 0) {
		cpu = LLVMGetHostCPUName();
		features = LLVMGetHostCPUFeatures();
	}
	static const LLVMCodeGenOptLevel levels[4] = {
	    LLVMCodeGenLevelNone,
	    LLVMCodeGenLevelLess,
	    LLVMCodeGenLevelDefault,
	    LLVMCodeGenLevelAggressive,
	};
	/* The portable baseline: x86-64 (SSE2) by default, "generic" for
	 * any other triple given with --target. */
	const char *base_cpu = o->triple ? "generic" : DEFAULT_CPU;
	xm->tm = LLVMCreateTargetMachine(
	    target, triple, cpu ? cpu : (o->cpu ? o->cpu : base_cpu),
	    features ? features : "",
	    levels[o->opt_level > 3 ? 3 : o->opt_level], LLVMRelocPIC,
	    LLVMCodeModelDefault);
	if (cpu)
		LLVMDisposeMessage(cpu);
	if (features)
		LLVMDisposeMessage(features);
	if (!xm->tm)
		return x_fail(xm, 0, false,
			      "cannot create a target machine for %s", triple);
	LLVMSetTarget(xm->mod, triple);
	LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(xm->tm);
	LLVMSetModuleDataLayout(xm->mod, dl);
	LLVMDisposeTargetData(dl);
	return true;
}

static bool run_passes(xmod *xm)
{
	char pipeline[32];
	snprintf(pipeline, sizeof pipeline, "default<O%u>",
		 xm->o->opt_level > 3 ? 3 : xm->o->opt_level);
	LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
	bool vec = xm->o->opt_level >= 2;
	LLVMPassBuilderOptionsSetLoopVectorization(po, vec);
	LLVMPassBuilderOptionsSetSLPVectorization(po, vec);
	LLVMPassBuilderOptionsSetLoopInterleaving(po, vec);
	LLVMPassBuilderOptionsSetLoopUnrolling(po, xm->o->opt_level >= 2);
	LLVMErrorRef e = LLVMRunPasses(xm->mod, pipeline, xm->tm, po);
	LLVMDisposePassBuilderOptions(po);
	if (!e)
		return true;
	char *msg = LLVMGetErrorMessage(e);
	x_fail(xm, 0, false, "LLVM passes failed: %s", msg);
	LLVMDisposeErrorMessage(msg);
	return false;
}

bool x_optimize_and_emit(xmod *xm, void **obj, size_t *obj_len)
{
	char *msg = NULL;
	if (xm->o->verify &&
	    LLVMVerifyModule(xm->mod, LLVMReturnStatusAction, &msg)) {
		x_fail(xm, 0, false, "internal: invalid IR in shard %u: %.120s",
		       xm->shard, msg ? msg : "?");
		if (getenv("MEWZC_DUMP_IR"))
			LLVMDumpModule(xm->mod);
		LLVMDisposeMessage(msg);
		return false;
	}
	if (msg)
		LLVMDisposeMessage(msg);
	X_TRY(run_passes(xm));
	if (getenv("MEWZC_DUMP_IR"))
		LLVMDumpModule(xm->mod);
	LLVMMemoryBufferRef mb = NULL;
	msg = NULL;
	if (LLVMTargetMachineEmitToMemoryBuffer(xm->tm, xm->mod, LLVMObjectFile,
						&msg, &mb)) {
		x_fail(xm, 0, false, "code generation failed: %s",
		       msg ? msg : "?");
		LLVMDisposeMessage(msg);
		return false;
	}
	size_t len = LLVMGetBufferSize(mb);
	void *copy = malloc(len ? len : 1);
	if (!copy) {
		LLVMDisposeMemoryBuffer(mb);
		return x_fail(xm, 0, false, "out of memory");
	}
	memcpy(copy, LLVMGetBufferStart(mb), len);
	LLVMDisposeMemoryBuffer(mb);
	*obj = copy;
	*obj_len = len;
	return true;
}

static bool set_err(mz_error *err, const char *fmt, const char *a)
{
	snprintf(err->msg, sizeof err->msg, fmt, a);
	err->offset = 0;
	err->unsupported = false;
	return false;
}

bool x_write_file(const char *path, const void *buf, size_t len, mz_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return set_err(err, "cannot write %s", path);
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return set_err(err, "cannot write %s", path);
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		return set_err(err, "cannot write %s", path);
	return true;
}

/* Run argv[0] (looked up in PATH) and wait; true on exit status 0. */
static bool run_tool(char **argv, mz_error *err)
{
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (rc != 0)
		return set_err(err, "cannot run %s (is lld-19 installed?)",
			       argv[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return set_err(err, "waiting for %s failed", argv[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return set_err(err, "%s failed while merging shard objects",
			       argv[0]);
	return true;
}

static void remove_dir(const char *dir, uint32_t n)
{
	char path[4096];
	for (uint32_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/shard%u.o", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/merged.o", dir);
	unlink(path);
	rmdir(dir);
}

bool x_merge_objects(void **objs, size_t *lens, uint32_t n,
		     const char *out_path, mz_error *err)
{
	if (n == 1)
		return x_write_file(out_path, objs[0], lens[0], err);
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/mewzc.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return set_err(err, "cannot create a temporary directory in %s",
			       tmp && *tmp ? tmp : "/tmp");
	char **argv = calloc((size_t)n + 6, sizeof *argv);
	char *paths = calloc((size_t)n + 1, 4096);
	char merged[4096];
	snprintf(merged, sizeof merged, "%s/merged.o", dir);
	bool ok = argv && paths;
	if (!ok)
		set_err(err, "out of memory%s", "");
	uint32_t argc = 0;
	if (ok) {
		argv[argc++] = "ld.lld-19";
		argv[argc++] = "-r";
		argv[argc++] = "-o";
		argv[argc++] = merged;
	}
	for (uint32_t i = 0; ok && i < n; i++) {
		char *p = paths + (size_t)i * 4096;
		snprintf(p, 4096, "%s/shard%u.o", dir, i);
		ok = x_write_file(p, objs[i], lens[i], err);
		argv[argc++] = p;
	}
	if (ok)
		ok = run_tool(argv, err);
	if (ok) {
		char *oc[] = {"llvm-objcopy-19", "--localize-hidden", merged,
			      (char *)out_path, NULL};
		ok = run_tool(oc, err);
	}
	remove_dir(dir, n);
	free(argv);
	free(paths);
	return ok;
}
