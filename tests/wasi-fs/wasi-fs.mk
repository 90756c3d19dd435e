# tests/wasi-fs: WASI file-system conformance programs (tests/wasi-fs/fs_*.c,
# built to wasm32-wasi) and examples/files.c, run through `mewz run --share`.
#   suite wasi-fs-unit     the hostcall client against a fake host in process
#                          (ASan+UBSan): HELLO, splitting, a misbehaving host
#   suite wasi-fs-native   mewz run --native: AF_UNIX to mewz-host (ASan build)
#   suite wasi-fs-qemu     the same programs as VM images under QEMU TCG over
#                          vhost-user vsock; every output must equal the
#                          native one (a native run first, into ref/)
# See tests/wasi-fs/README.md.
WASIFS_OUT := $(B)/tests/wasi-fs
WASIFS_WASM := $(patsubst tests/wasi-fs/%.c,$(WASIFS_OUT)/%.wasm,$(wildcard tests/wasi-fs/fs_*.c tests/wasi-fs/conf_*.c))

SUITES += wasi-fs-unit wasi-fs-native wasi-fs-qemu
ALL += $(WASIFS_WASM)

WASIFS_UNIT_SRC := tests/wasi-fs/unit/hc_unit.c tests/wasi-fs/unit/hc_plat.c \
	$(filter-out guest/wasi/run.c,$(wildcard guest/wasi/*.c))

$(WASIFS_OUT)/hc_unit: $(WASIFS_UNIT_SRC) tests/wasi-fs/unit/hc_unit.h $(wildcard guest/wasi/*.h) \
		$(wildcard guest/include/mewz/*.h) proto/proto.h proto/proto.c tests/wasi-fs/wasi-fs.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) -Iguest/include -Icompiler/include,$(WASIFS_UNIT_SRC))

.PHONY: suite-wasi-fs-unit
suite-wasi-fs-unit: $(WASIFS_OUT)/hc_unit
	@$<

$(WASIFS_OUT)/%.wasm: tests/wasi-fs/%.c tests/wasi-fs/check.h tests/wasi-fs/conf.h tests/wasi-fs/wasi-fs.mk
	@mkdir -p $(@D)
	$(WASM_CC) -O2 -Wall -Wextra -Werror $(DEPFLAGS) -o $@ $<

# The compiled programs are cached across runs in $(WASIFS_OUT)/cache.
WASIFS_ENV := MEWZ_MEWZC=$(B)/bin/mewzc MEWZ_LINUX_RUNTIME=$(B)/guest/linux/libmewz-linux.a \
	MEWZ_HOST_DAEMON=$(B)/host/mewz-host-san MEWZ_CACHE_DIR=$(WASIFS_OUT)/cache

.PHONY: suite-wasi-fs-native
suite-wasi-fs-native: $(WASIFS_WASM) $(B)/examples/files.wasm $(B)/bin/mewz $(B)/bin/mewzc \
		$(B)/guest/linux/libmewz-linux.a $(B)/host/mewz-host-san
	@$(WASIFS_ENV) tests/wasi-fs/run.sh native $(B)/bin/mewz $(B)/host/mewz-host-san \
		$(WASIFS_OUT) $(B)/examples $(WASIFS_OUT)/native

.PHONY: suite-wasi-fs-qemu
suite-wasi-fs-qemu: $(WASIFS_WASM) $(B)/examples/files.wasm $(B)/bin/mewz $(B)/bin/mewzc \
		$(B)/guest/linux/libmewz-linux.a $(B)/host/mewz-host-san $(B)/host/mewz-host \
		$(GUEST_IMAGE_INPUTS)
	@$(WASIFS_ENV) tests/wasi-fs/run.sh native $(B)/bin/mewz $(B)/host/mewz-host-san \
		$(WASIFS_OUT) $(B)/examples $(WASIFS_OUT)/ref >$(WASIFS_OUT)/ref.log 2>&1 || \
		echo "native reference run failed: see $(WASIFS_OUT)/ref.log"
	@$(WASIFS_ENV) tests/wasi-fs/run.sh qemu $(B)/bin/mewz $(B)/host/mewz-host-san \
		$(WASIFS_OUT) $(B)/examples $(WASIFS_OUT)/qemu $(WASIFS_OUT)/ref
