# Suite `vm`: wasm programs (tests/vm/*.c, and some of tests/native's)
# built to wasm32-wasi and run through `build/bin/mewz run` under QEMU TCG.
VMT_OUT := $(B)/tests/vm
VMT_OWN := $(patsubst tests/vm/%.c,$(VMT_OUT)/%.wasm,$(wildcard tests/vm/*.c))
# Reused from tests/native by path (not edited): they fit as they are.
VMT_REUSED := $(patsubst %,$(VMT_OUT)/native-%.wasm,args exit io missing badsig trap)
VMT_GUEST := $(GUEST_IMAGE_INPUTS) $(B)/guest/liblwip.a

SUITES += vm

$(VMT_OUT)/%.wasm: tests/vm/%.c tests/vm/vm.mk
	@mkdir -p $(@D)
	$(WASM_CC) -O2 -Wall -Wextra -Werror $(DEPFLAGS) -o $@ $<

$(VMT_OUT)/native-%.wasm: tests/native/%.c tests/vm/vm.mk
	@mkdir -p $(@D)
	$(WASM_CC) -O2 -Wall -Wextra -Werror $(DEPFLAGS) -o $@ $<

# The front-end again with ASan+UBSan, for a few of the cases.
$(VMT_OUT)/mewz-san: $(MEWZFE_SRC) $(MEWZFE_HDRS) $(MEWZFE_STAMP)
	@mkdir -p $(@D)
	$(call cc_prog,$(MEWZFE_CFLAGS) $(SAN_FLAGS),$(MEWZFE_SRC))

.PHONY: suite-vm
suite-vm: $(VMT_OWN) $(VMT_REUSED) $(B)/bin/mewz $(VMT_OUT)/mewz-san $(B)/bin/mewzc $(VMT_GUEST) \
		$(B)/guest/linux/libmewz-linux.a $(B)/host/mewz-host
	@tests/vm/run.sh $(B)/bin/mewz $(VMT_OUT) $(VMT_OUT)/work $(VMT_OUT)/mewz-san
