# tests/guest: the unikernel's suites.
#   guest-unit  host-side unit tests (ASan+UBSan): ChaCha20 (RFC 8439),
#               command-line quoting, errno mapping, fd table, WASI calls
#               on a fake platform, memory/table growth, trap reports,
#               split virtqueues against a fake (and a misbehaving) device
#   guest-qemu  stand-in programs (tests/guest/apps) booted under QEMU TCG
GUESTT_OUT := $(B)/tests/guest
GUESTT_UNIT_SRC := $(wildcard tests/guest/unit/*.c) \
	$(filter-out guest/wasi/run.c,$(wildcard guest/wasi/*.c)) guest/plat/kvm/cmdline.c \
	guest/drivers/virtio/ring.c guest/lib/roundeven.c
GUESTT_APPS := hello probe big
GUESTT_ELF := $(GUESTT_APPS:%=$(GUESTT_OUT)/%.elf)
# Stand-ins are compiled like mewzc output would be: no libc, no kernel headers.
GUESTT_APP_CFLAGS := --target=x86_64-unknown-elf -std=c11 -O2 -g $(WARN) -ffreestanding \
	-fno-pic -mcmodel=kernel -Icompiler/include -Iguest/include

# Programs compiled by mewzc: traps.wat, and the built-in example hello.
GUESTT_WASM_ELF := $(GUESTT_OUT)/traps.elf $(GUESTT_OUT)/example-hello.elf $(GUESTT_OUT)/compute.elf \
	$(GUESTT_OUT)/wasi.elf

SUITES += guest-unit guest-qemu
ALL += $(GUESTT_ELF) $(GUESTT_WASM_ELF)

$(GUESTT_OUT)/unit: $(GUESTT_UNIT_SRC) $(wildcard tests/guest/unit/*.h) tests/lib/check.h $(GUEST_HDRS) \
		guest/wasi/imports.def tests/guest/guest.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) -Itests/lib -Iguest/include -Icompiler/include,$(GUESTT_UNIT_SRC))

$(GUESTT_OUT)/%.o: tests/guest/apps/%.c tests/guest/apps/standin.h compiler/include/mewz/abi.h \
		tests/guest/guest.mk
	@mkdir -p $(@D)
	$(CC) $(GUESTT_APP_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# big: probe with 64 MiB of initial memory, for the "too large" ending.
$(GUESTT_OUT)/big.o: tests/guest/apps/probe.c tests/guest/apps/standin.h compiler/include/mewz/abi.h \
		tests/guest/guest.mk
	@mkdir -p $(@D)
	$(CC) $(GUESTT_APP_CFLAGS) -DINITIAL_PAGES=1024 $(DEPFLAGS) -c -o $@ $<

# Kept: their .d files name them, so a deleted one would be rebuilt (and
# its image relinked) by the next make.
.SECONDARY: $(GUESTT_APPS:%=$(GUESTT_OUT)/%.o)

$(GUESTT_OUT)/%.elf: $(GUESTT_OUT)/%.o $(GUEST_IMAGE_INPUTS)
	MEWZ_BUILD=$(B) guest/plat/kvm/link.sh $@ $<

$(GUESTT_OUT)/%.wasm: tests/guest/wasm/%.wat
	@mkdir -p $(@D)
	wat2wasm --debug-names -o $@ $<

# compute.c (run under QEMU and natively, mewz run --native) and wasi.c
# (the native WASI calls through wasi-libc): C built against wasi-libc.
$(GUESTT_OUT)/compute.wasm $(GUESTT_OUT)/wasi.wasm: $(GUESTT_OUT)/%.wasm: tests/guest/wasm/%.c
	@mkdir -p $(@D)
	$(WASM_CC) -O2 $(WARN) $(DEPFLAGS) -o $@ $< -lm

$(GUESTT_OUT)/traps.o $(GUESTT_OUT)/bad-imports.o $(GUESTT_OUT)/compute.o $(GUESTT_OUT)/wasi.o: \
		$(GUESTT_OUT)/%.o: $(GUESTT_OUT)/%.wasm $(B)/bin/mewzc
	$(B)/bin/mewzc $< -o $@

$(GUESTT_OUT)/example-hello.o: $(B)/examples/hello.wasm $(B)/bin/mewzc
	@mkdir -p $(@D)
	$(B)/bin/mewzc $< -o $@

.PHONY: suite-guest-unit suite-guest-qemu
suite-guest-unit: $(GUESTT_OUT)/unit
	@$<

# mewz run --native (the compute comparison) needs the Linux runtime too.
suite-guest-qemu: $(GUESTT_ELF) $(GUESTT_WASM_ELF) $(GUESTT_OUT)/bad-imports.o $(B)/bin/mewz \
		$(B)/guest/linux/libmewz-linux.a
	@MEWZ=$(B)/bin/mewz tests/guest/qemu-tests.sh $(GUESTT_OUT)
