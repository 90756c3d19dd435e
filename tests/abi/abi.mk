# Suite `abi`: the shared helpers of compiler/include/mewz/abi.h, under ASan+UBSan.
SUITES += abi

$(B)/tests/abi/abi_test: tests/abi/abi_test.c compiler/include/mewz/abi.h tests/abi/abi.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) -Icompiler/include -Itests/lib,$<)

.PHONY: suite-abi
suite-abi: $(B)/tests/abi/abi_test
	@$<
