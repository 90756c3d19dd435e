# host/mewz: the `mewz` front-end -> $(B)/bin/mewz.  End-to-end tests are
# the `native` suite (tests/native) and the `vm` suite (tests/vm); suite
# `mewz-unit` tests SHA-256, the archive and ELF readers, the module reader
# and the VM memory estimate under ASan+UBSan.
MEWZFE_SRC := $(filter-out host/mewz/test_%.c,$(wildcard host/mewz/*.c))
MEWZFE_HDRS := $(wildcard host/mewz/*.h) compiler/include/mewz/abi.h

ALL += $(B)/bin/mewz
SUITES += mewz-unit

$(B)/bin/mewz: $(MEWZFE_SRC) $(MEWZFE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost/mewz -Icompiler/include -o $@ $(MEWZFE_SRC)

$(B)/host/mewz/test_mewz: host/mewz/test_mewz.c host/mewz/sha256.c host/mewz/elfread.c \
		host/mewz/wasminfo.c host/mewz/vm.c $(MEWZFE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -Ihost/mewz -Icompiler/include -o $@ $(filter %.c,$^)

.PHONY: suite-mewz-unit
suite-mewz-unit: $(B)/host/mewz/test_mewz $(B)/guest/linux/libmewz-linux.a $(B)/guest/libmewz-guest.a
	@$< $(B)/guest/linux/libmewz-linux.a $(B)/guest/libmewz-guest.a
