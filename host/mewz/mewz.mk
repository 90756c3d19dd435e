# host/mewz: the `mewz` front-end -> $(B)/bin/mewz.  End-to-end tests are
# the `native` suite (tests/native) and the `vm` suite (tests/vm); suite
# `mewz-unit` tests SHA-256, the archive and ELF readers, the module reader
# and the VM memory estimate under ASan+UBSan; suite `mewz-cache` the
# cache's keys (every input of an image) and its bounds (LRU, clean), with
# the ASan+UBSan front-end of tests/native.
MEWZFE_SRC := $(filter-out host/mewz/test_%.c,$(wildcard host/mewz/*.c))
MEWZFE_HDRS := $(wildcard host/mewz/*.h) compiler/include/mewz/abi.h

ALL += $(B)/bin/mewz
SUITES += mewz-unit mewz-cache

MEWZFE_CFLAGS := $(HOST_CFLAGS) -Ihost/mewz -Icompiler/include
# Rebuilt when a source is added or removed, or the flags change.
MEWZFE_STAMP := $(call stamp,mewz,$(CC) $(MEWZFE_CFLAGS) | $(SAN_FLAGS) | $(MEWZFE_SRC))

$(B)/bin/mewz: $(MEWZFE_SRC) $(MEWZFE_HDRS) $(MEWZFE_STAMP)
	@mkdir -p $(@D)
	$(call cc_prog,$(MEWZFE_CFLAGS),$(MEWZFE_SRC))

$(B)/host/mewz/test_mewz: host/mewz/test_mewz.c host/mewz/sha256.c host/mewz/elfread.c \
		host/mewz/wasminfo.c host/mewz/vm.c $(MEWZFE_HDRS) $(MEWZFE_STAMP)
	@mkdir -p $(@D)
	$(call cc_prog,$(MEWZFE_CFLAGS) $(SAN_FLAGS) -Itests/lib,$(filter %.c,$^))

.PHONY: suite-mewz-unit
suite-mewz-unit: $(B)/host/mewz/test_mewz $(B)/guest/linux/libmewz-linux.a $(B)/guest/libmewz-guest.a
	@$< $(B)/guest/linux/libmewz-linux.a $(B)/guest/libmewz-guest.a

.PHONY: suite-mewz-cache
suite-mewz-cache: $(B)/tests/native/mewz-san $(B)/bin/mewzc $(B)/examples/hello.wasm \
		$(GUEST_IMAGE_INPUTS) $(B)/guest/liblwip.a $(B)/guest/linux/libmewz-linux.a
	@host/mewz/test_cache.sh $(B)/tests/native/mewz-san $(B)/bin/mewzc $(B) \
		$(B)/examples/hello.wasm $(B)/host/mewz/cache-test
