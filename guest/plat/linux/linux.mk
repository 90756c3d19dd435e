# guest/plat/linux: the Linux platform of compiled Wasm objects.
#   $(B)/guest/linux/libmewz-linux-rt.a  memory, stack, traps, table.grow
#                                        (also linked by the spec runner)
#   $(B)/guest/linux/libmewz-linux.a     all a native program needs besides
#                                        its object: the core, the platform
#                                        hooks and main, and guest/wasi built
#                                        for Linux
# Suite `linux-rt`: the core under ASan+UBSan with C stand-ins for Wasm code.
LINUXRT_DIR := guest/plat/linux
LINUXRT_OUT := $(B)/guest/linux
LINUXRT_CFLAGS := $(HOST_CFLAGS) -U_FORTIFY_SOURCE -fno-omit-frame-pointer \
	-Icompiler/include -Iguest/include -I$(LINUXRT_DIR)
LINUXRT_CORE := mem stack trap table
LINUXRT_CORE_OBJ := $(LINUXRT_CORE:%=$(LINUXRT_OUT)/core/%.o)
LINUXRT_HDRS := $(wildcard $(LINUXRT_DIR)/*.h) compiler/include/mewz/abi.h

LINUXRT_NATIVE := native_main native_args native_plat native_sym native_provides
LINUXRT_NATIVE_OBJ := $(LINUXRT_NATIVE:%=$(LINUXRT_OUT)/native/%.o)
LINUXRT_WASI_SRC := $(wildcard guest/wasi/*.c)
LINUXRT_WASI_OBJ := $(LINUXRT_WASI_SRC:guest/wasi/%.c=$(LINUXRT_OUT)/wasi/%.o)
LINUXRT_WASI_HDRS := $(wildcard guest/wasi/*.h guest/include/mewz/*.h) compiler/include/mewz/abi.h \
	proto/proto.h proto/proto.c  # hostcall_proto.c includes the codec

ALL += $(LINUXRT_OUT)/libmewz-linux-rt.a $(LINUXRT_OUT)/libmewz-linux.a
LINUXRT_FLAGS_STAMP := $(call stamp,linux-flags,$(CC) $(LINUXRT_CFLAGS))
LINUXRT_OBJS_STAMP := $(call stamp,linux-objs,$(LINUXRT_CORE_OBJ) | $(LINUXRT_NATIVE_OBJ) $(LINUXRT_WASI_OBJ))
SUITES += linux-rt

$(LINUXRT_OUT)/core/%.o: $(LINUXRT_DIR)/%.c $(LINUXRT_HDRS) $(LINUXRT_FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINUXRT_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(LINUXRT_OUT)/libmewz-linux-rt.a: $(LINUXRT_CORE_OBJ) $(LINUXRT_OBJS_STAMP)
	@rm -f $@
	llvm-ar-19 rcs $@ $(LINUXRT_CORE_OBJ)

$(LINUXRT_OUT)/native/%.o: $(LINUXRT_DIR)/%.c $(LINUXRT_HDRS) $(LINUXRT_WASI_HDRS) guest/wasi/imports.def \
		$(LINUXRT_FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINUXRT_CFLAGS) -Iguest/wasi $(DEPFLAGS) -c -o $@ $<

# guest/wasi is platform-neutral C: built here with the host compiler.
$(LINUXRT_OUT)/wasi/%.o: guest/wasi/%.c $(LINUXRT_WASI_HDRS) $(LINUXRT_FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINUXRT_CFLAGS) -Iguest/wasi $(DEPFLAGS) -c -o $@ $<

$(LINUXRT_OUT)/libmewz-linux.a: $(LINUXRT_CORE_OBJ) $(LINUXRT_NATIVE_OBJ) $(LINUXRT_WASI_OBJ) \
		$(LINUXRT_OBJS_STAMP)
	@rm -f $@
	llvm-ar-19 rcs $@ $(LINUXRT_CORE_OBJ) $(LINUXRT_NATIVE_OBJ) $(LINUXRT_WASI_OBJ)

$(LINUXRT_OUT)/test_rt: $(LINUXRT_DIR)/test_rt.c $(LINUXRT_CORE:%=$(LINUXRT_DIR)/%.c) $(LINUXRT_HDRS) \
		$(LINUXRT_DIR)/linux.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(LINUXRT_CFLAGS) $(SAN_FLAGS) -Itests/lib,$(filter %.c,$^))

.PHONY: suite-linux-rt
suite-linux-rt: $(LINUXRT_OUT)/test_rt
	@$<
