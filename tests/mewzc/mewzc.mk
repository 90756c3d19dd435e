# Suite `mewzc`: .wat programs compiled by the sanitized compiler, linked
# with the tiny runtime rt.c and run against their .expected output; -j
# byte-identity on a multi-shard module; symbol checks; CLI error cases.
SUITES += mewzc
MEWZC_T_OUT := $(B)/tests/mewzc

$(MEWZC_T_OUT)/rt.o: tests/mewzc/rt.c compiler/include/mewz/abi.h tests/mewzc/mewzc.mk
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -Icompiler/include $(DEPFLAGS) -c -o $@ $<

# The runtime catches SIGSEGV itself (guard pages, stack overflow).
.PHONY: suite-mewzc
suite-mewzc: $(B)/bin/mewzc-san $(MEWZC_T_OUT)/rt.o
	@ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:allow_user_segv_handler=1:detect_leaks=1 \
	tests/mewzc/run.sh $(B)/bin/mewzc-san $(MEWZC_T_OUT)/rt.o $(MEWZC_T_OUT) $(CC) $(SAN_FLAGS)
