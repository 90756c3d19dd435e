# Suite `validate`: mewzc's decoder and validator (compiler/src, without the
# LLVM parts) against every module and assert_malformed/assert_invalid of
# the spec suite, converted with wast2json at test time, plus unit checks.
# Built and run with ASan+UBSan.  `make fuzz-validate` fuzzes the same code.
VALIDATE_OUT := $(B)/tests/validate
VALIDATE_SUITE_DIR ?= ../shared/testsuite
VALIDATE_LIB_SRC := compiler/src/instr.c compiler/src/module.c \
	$(wildcard compiler/src/decode*.c compiler/src/validate*.c)
VALIDATE_HDRS := $(wildcard compiler/src/*.h) compiler/src/opcodes.def \
	tests/wast/wastjson.h tests/validate/unit_checks.h
VALIDATE_CFLAGS := $(HOST_CFLAGS) -Icompiler/src -Itests/wast -Itests/validate
VALIDATE_BIN := $(VALIDATE_OUT)/validate_test
VALIDATE_FUZZ := $(VALIDATE_OUT)/fuzz_validate

ALL += $(VALIDATE_BIN)
SUITES += validate
FUZZ += fuzz-validate fuzz-translate

$(VALIDATE_BIN): tests/validate/validate_test.c tests/validate/unit_checks.c \
		tests/wast/wastjson.c $(VALIDATE_LIB_SRC) $(VALIDATE_HDRS) tests/validate/validate.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(VALIDATE_CFLAGS) $(SAN_FLAGS),tests/validate/validate_test.c \
		tests/validate/unit_checks.c tests/wast/wastjson.c $(VALIDATE_LIB_SRC))

.PHONY: suite-validate
suite-validate: $(VALIDATE_BIN)
	@$(VALIDATE_BIN) $(VALIDATE_OUT)/json $(sort $(wildcard $(VALIDATE_SUITE_DIR)/*.wast))

$(VALIDATE_FUZZ): tests/validate/fuzz_validate.c $(VALIDATE_LIB_SRC) $(VALIDATE_HDRS) tests/validate/validate.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(VALIDATE_CFLAGS) -fsanitize=fuzzer$(comma)address$(comma)undefined,\
		tests/validate/fuzz_validate.c $(VALIDATE_LIB_SRC))

# Seeds: the spec suite's modules, as the suite converts them.
.PHONY: fuzz-validate
fuzz-validate: $(VALIDATE_FUZZ) $(VALIDATE_BIN)
	@$(VALIDATE_BIN) $(VALIDATE_OUT)/json $(sort $(wildcard $(VALIDATE_SUITE_DIR)/*.wast)) >/dev/null || true
	@mkdir -p $(VALIDATE_OUT)/corpus
	$(VALIDATE_FUZZ) -max_total_time=60 -timeout=10 -rss_limit_mb=2048 \
		$(VALIDATE_OUT)/corpus $(VALIDATE_OUT)/json

# fuzz-translate: the same target, with every valid module also translated
# through LLVM (libmewzc.a).  Translation is slow, so the run is longer and
# each input may take longer; LLVM keeps process-lifetime allocations, so
# leak detection is off here (fuzz-validate keeps it on for our own code).
VALIDATE_FUZZ_X := $(VALIDATE_OUT)/fuzz_translate
# The compiler's sources are compiled in (not libmewzc.a) so the fuzzer
# sees their coverage.
$(VALIDATE_FUZZ_X): tests/validate/fuzz_validate.c $(COMPILER_LIB_SRC) $(VALIDATE_HDRS) \
		$(wildcard compiler/src/translate/*.h) tests/validate/validate.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(filter-out -MMD -MP,$(COMPILER_CFLAGS)) -Itests/validate -DFUZZ_TRANSLATE \
		-fsanitize=fuzzer$(comma)address$(comma)undefined,\
		tests/validate/fuzz_validate.c $(COMPILER_LIB_SRC),$(COMPILER_LLVM_LIBS) -lpthread -lm)

.PHONY: fuzz-translate
fuzz-translate: $(VALIDATE_FUZZ_X) $(VALIDATE_BIN)
	@$(VALIDATE_BIN) $(VALIDATE_OUT)/json $(sort $(wildcard $(VALIDATE_SUITE_DIR)/*.wast)) >/dev/null || true
	@mkdir -p $(VALIDATE_OUT)/corpus-translate
	$(VALIDATE_FUZZ_X) -max_total_time=$${FUZZ_SECONDS:-120} -timeout=30 -rss_limit_mb=4096 \
		-detect_leaks=0 $(VALIDATE_OUT)/corpus-translate $(VALIDATE_OUT)/json
