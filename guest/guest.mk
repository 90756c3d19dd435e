# guest/: the unikernel.
#   $(B)/newlib                     newlib 3.3 for the kernel (symlink into ~/.cache/mewz)
#   $(B)/guest/libmewz-guest.a      arch + plat/kvm + wasi + lib: link with a program
#       two members: kernel.o, the whole kernel optimised as one unit (LTO,
#       prelinked with ld -r), and provides.o (data only, read by mewz)
#   $(B)/guest/mksymtab, symtab-empty.o   used by guest/plat/kvm/link.sh
# An app image is `guest/plat/kvm/link.sh app.elf app.o`; run it with
# guest/plat/kvm/qemu-run.sh.  Suites live in tests/guest/guest.mk.
GUEST_OUT := $(B)/guest
# Touched once build-newlib.sh has linked $(B)/newlib to its cached build
# (the cache's own files keep the time they were built).  A prerequisite
# of every guest object: their -MMD lists leave out newlib's headers.
GUEST_NEWLIB := $(STAMPS)/newlib
# Not -ffreestanding: newlib is linked, so memcpy and friends may be
# treated as builtins; freestanding, every memcpy(&v, p, 4) of an unaligned
# load was a call into newlib's copy loop (slow, and TCG translates each
# call's blocks separately at boot).  newlib itself is freestanding.
# -nostdlibinc: hosted, clang's own headers would otherwise reach for the
# host's /usr/include after newlib's.
GUEST_CFLAGS := --target=x86_64-unknown-elf -std=c11 -O2 -g $(WARN) \
	-nostdlibinc -mno-red-zone -fno-stack-protector -fno-pic -mcmodel=kernel \
	-ffunction-sections -fdata-sections -fno-omit-frame-pointer \
	-isystem $(B)/newlib/include -Iguest/include -Icompiler/include
GUEST_ASFLAGS := --target=x86_64-unknown-elf -fno-pic -mcmodel=kernel
# The kernel's own C is compiled to bitcode and optimised across files
# when prelinked: boot runs most of its code once, and under TCG each
# distinct block costs ~6 us to translate, so the calls between small
# functions of different files that LTO inlines are boot time (hello: 52
# fewer blocks).  Line tables only: full debug info of the whole kernel,
# which every image now carries, would take the image past 512 KiB.
# GUEST_CFLAGS (native, full -g) stays for code linked beside it.
GUEST_KERNEL_CFLAGS := $(patsubst -g,-gline-tables-only,$(GUEST_CFLAGS)) -flto

GUEST_C_SRC := $(wildcard guest/arch/x86_64/*.c) \
	$(filter-out guest/plat/kvm/mksymtab.c,$(wildcard guest/plat/kvm/*.c)) \
	$(wildcard guest/wasi/*.c) $(wildcard guest/lib/*.c) \
	$(wildcard guest/drivers/*/*.c)
GUEST_S_SRC := $(wildcard guest/arch/x86_64/*.S)
GUEST_OBJ := $(GUEST_C_SRC:%.c=$(GUEST_OUT)/obj/%.o) $(GUEST_S_SRC:%.S=$(GUEST_OUT)/obj/%.o)
# provides.o stays a plain object of its own: mewz reads its section from
# the archive, and nothing references it, so a prelink would drop it.
GUEST_PROVIDES_OBJ := $(GUEST_OUT)/obj/guest/plat/kvm/provides.o
GUEST_KERNEL_OBJ := $(filter-out $(GUEST_PROVIDES_OBJ),$(GUEST_OBJ))
GUEST_HDRS := $(wildcard guest/include/mewz/*.h guest/arch/x86_64/*.h guest/plat/kvm/*.h guest/wasi/*.h) \
	$(wildcard guest/drivers/*/*.h) \
	compiler/include/mewz/abi.h proto/proto.h proto/proto.c guest/wasi/imports.def
# Rebuild on a change of flags or of the list of objects (Makefile: stamp).
GUEST_FLAGS_STAMP := $(call stamp,guest-flags,$(CC) $(GUEST_CFLAGS) | $(GUEST_KERNEL_CFLAGS) | $(GUEST_ASFLAGS))
GUEST_OBJS_STAMP := $(call stamp,guest-objs,$(GUEST_OBJ))
# Everything an image is made of besides the program and lwIP (which
# net.mk adds): what link.sh reads.  Every rule that links an image,
# directly or through `mewz build`, depends on these.
GUEST_IMAGE_INPUTS := $(GUEST_OUT)/libmewz-guest.a $(GUEST_OUT)/mksymtab $(GUEST_OUT)/symtab-empty.o \
	guest/plat/kvm/link.sh guest/plat/kvm/kernel.ld guest/wasi/imports.def $(GUEST_NEWLIB)

ALL += $(GUEST_OUT)/libmewz-guest.a $(GUEST_OUT)/mksymtab $(GUEST_OUT)/symtab-empty.o

$(GUEST_NEWLIB): scripts/build-newlib.sh
	@mkdir -p $(B) $(@D)
	scripts/build-newlib.sh $(B)/newlib
	@touch $@

$(GUEST_OUT)/obj/%.o: %.c $(GUEST_HDRS) $(GUEST_FLAGS_STAMP) $(GUEST_NEWLIB)
	@mkdir -p $(@D)
	$(CC) $(GUEST_OBJ_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(GUEST_OUT)/obj/%.o: GUEST_OBJ_CFLAGS = $(GUEST_KERNEL_CFLAGS)
$(GUEST_PROVIDES_OBJ): GUEST_OBJ_CFLAGS = $(GUEST_CFLAGS)

$(GUEST_OUT)/obj/%.o: %.S $(GUEST_FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(GUEST_ASFLAGS) $(DEPFLAGS) -c -o $@ $<

# ld -r keeps every global symbol (a program links against them), so LTO
# inlines across files but internalises nothing; --gc-sections at the
# image link drops what a program does not reach.
$(GUEST_OUT)/kernel.o: $(GUEST_KERNEL_OBJ) $(GUEST_OBJS_STAMP)
	ld.lld-19 -r -o $@ $(GUEST_KERNEL_OBJ)

$(GUEST_OUT)/libmewz-guest.a: $(GUEST_OUT)/kernel.o $(GUEST_PROVIDES_OBJ)
	@rm -f $@
	llvm-ar-19 rcs $@ $^

$(GUEST_OUT)/mksymtab: guest/plat/kvm/mksymtab.c guest/guest.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS),$<)

$(GUEST_OUT)/symtab-empty.o: $(GUEST_OUT)/mksymtab $(GUEST_FLAGS_STAMP)
	$(GUEST_OUT)/mksymtab </dev/null >$(GUEST_OUT)/symtab-empty.S
	$(CC) $(GUEST_ASFLAGS) -c -o $@ $(GUEST_OUT)/symtab-empty.S

# make run: boot the built-in example (examples/hello.c) under QEMU through
# the front-end, as a user would: mewz compiles, links and boots it.
.PHONY: run
run: $(B)/bin/mewz $(B)/bin/mewzc $(B)/examples/hello.wasm $(GUEST_IMAGE_INPUTS)
	$(B)/bin/mewz run --memory 16M $(B)/examples/hello.wasm -- from make run
