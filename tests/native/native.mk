# Suite `native`: tests/native/*.c built to wasm32-wasi and run through
# `mewz run --native` (host/mewz + guest/plat/linux + mewzc).  The mewz
# used here is built with ASan+UBSan.
NATIVE_OUT := $(B)/tests/native
NATIVE_WASM := $(patsubst tests/native/%.c,$(NATIVE_OUT)/%.wasm,$(wildcard tests/native/*.c))

SUITES += native

$(NATIVE_OUT)/%.wasm: tests/native/%.c tests/native/native.mk
	@mkdir -p $(@D)
	$(WASM_CC) -O2 -Wall -Wextra -Werror $(DEPFLAGS) -o $@ $<

$(NATIVE_OUT)/mewz-san: $(MEWZFE_SRC) $(MEWZFE_HDRS) $(MEWZFE_STAMP)
	@mkdir -p $(@D)
	$(call cc_prog,$(MEWZFE_CFLAGS) $(SAN_FLAGS),$(MEWZFE_SRC))

.PHONY: suite-native
suite-native: $(NATIVE_OUT)/mewz-san $(NATIVE_WASM) $(B)/bin/mewzc $(B)/guest/linux/libmewz-linux.a \
		$(B)/host/mewz-host-san
	@MEWZ_MEWZC=$(B)/bin/mewzc MEWZ_LINUX_RUNTIME=$(B)/guest/linux/libmewz-linux.a \
		MEWZ_HOST_DAEMON=$(B)/host/mewz-host-san \
		tests/native/run.sh $(NATIVE_OUT)/mewz-san $(NATIVE_OUT) $(NATIVE_OUT)/work
