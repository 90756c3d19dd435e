# guest/plat/linux: the Linux platform of compiled Wasm objects.
#   $(B)/guest/linux/libmewz-linux-rt.a  memory, stack, traps, table.grow
#                                        (also linked by the spec runner)
# Suite `linux-rt`: the core under ASan+UBSan with C stand-ins for Wasm code.
LINUXRT_DIR := guest/plat/linux
LINUXRT_OUT := $(B)/guest/linux
LINUXRT_CFLAGS := $(HOST_CFLAGS) -U_FORTIFY_SOURCE -fno-omit-frame-pointer \
	-Icompiler/include -Iguest/include -I$(LINUXRT_DIR)
LINUXRT_CORE := mem stack trap table
LINUXRT_CORE_OBJ := $(LINUXRT_CORE:%=$(LINUXRT_OUT)/core/%.o)
LINUXRT_HDRS := $(wildcard $(LINUXRT_DIR)/*.h) compiler/include/mewz/abi.h

ALL += $(LINUXRT_OUT)/libmewz-linux-rt.a
SUITES += linux-rt

$(LINUXRT_OUT)/core/%.o: $(LINUXRT_DIR)/%.c $(LINUXRT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LINUXRT_CFLAGS) -c -o $@ $<

$(LINUXRT_OUT)/libmewz-linux-rt.a: $(LINUXRT_CORE_OBJ)
	@rm -f $@
	llvm-ar-19 rcs $@ $^

$(LINUXRT_OUT)/test_rt: $(LINUXRT_DIR)/test_rt.c $(LINUXRT_CORE:%=$(LINUXRT_DIR)/%.c) $(LINUXRT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LINUXRT_CFLAGS) $(SAN_FLAGS) -o $@ $(filter %.c,$^)

.PHONY: suite-linux-rt
suite-linux-rt: $(LINUXRT_OUT)/test_rt
	@$<
