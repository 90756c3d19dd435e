# Suite `spec`: the WebAssembly 2.0 core spec suite (../shared/testsuite,
# read in place), converted with wast2json at test time into
# $(B)/tests/spec/, each module compiled by mewzc and loaded in-process with
# ORC LLJIT.  The runner is built with ASan+UBSan, and so is the runtime
# core it links (compiled in here, not taken from libmewz-linux-rt.a, so
# that its stack switches are announced to ASan).
SPEC_OUT := $(B)/tests/spec
SPEC_SUITE_DIR ?= ../shared/testsuite
SPEC_JOBS ?= 2
SPEC_OPT ?= -O1
SPEC_SRC := $(filter-out tests/spec/test_%.c,$(wildcard tests/spec/*.c)) tests/wast/wastjson.c \
	$(patsubst %,guest/plat/linux/%.c,mem stack trap table)
SPEC_HDRS := $(wildcard tests/spec/*.h) tests/wast/wastjson.h compiler/src/module.h \
	compiler/include/mewz/abi.h guest/plat/linux/linux_rt.h guest/plat/linux/stack.h
SPEC_LLVM_CFLAGS := -I$(shell $(LLVM_CONFIG) --includedir)
SPEC_LLVM_LIBS := -L$(shell $(LLVM_CONFIG) --libdir) -lLLVM-19
SPEC_CFLAGS := $(HOST_CFLAGS) -U_FORTIFY_SOURCE -Itests/spec -Itests/wast -Icompiler/src \
	-Icompiler/include -Iguest/plat/linux $(SPEC_LLVM_CFLAGS)
SPEC_RUN := $(SPEC_OUT)/spec_run

ALL += $(SPEC_RUN)
SUITES += spec-values spec

# Suite `spec-values`: the runner's own comparison rules.
$(SPEC_OUT)/test_value: tests/spec/test_value.c tests/spec/spec_value.c $(SPEC_HDRS) tests/spec/spec.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(SPEC_CFLAGS) $(SAN_FLAGS) -Itests/lib,tests/spec/test_value.c tests/spec/spec_value.c)

.PHONY: suite-spec-values
suite-spec-values: $(SPEC_OUT)/test_value
	@$<

$(SPEC_RUN): $(SPEC_SRC) $(SPEC_HDRS) $(B)/compiler/libmewzc.a tests/spec/spec.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(SPEC_CFLAGS) $(SAN_FLAGS),$(SPEC_SRC),$(B)/compiler/libmewzc.a $(SPEC_LLVM_LIBS) -lm)

.PHONY: suite-spec
suite-spec: $(SPEC_RUN) $(B)/bin/mewzc
	@$(SPEC_RUN) -j $(SPEC_JOBS) $(SPEC_OPT) --mewzc $(B)/bin/mewzc --workdir $(SPEC_OUT) \
		$(sort $(wildcard $(SPEC_SUITE_DIR)/*.wast))
