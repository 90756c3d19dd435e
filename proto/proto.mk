# proto/: the hostcall codec.  It has no binary of its own: the guest and
# the host compile $(PROTO_SRC) with their own flags.  ALL gets one object
# built freestanding for bare-metal x86-64, which checks that the codec
# needs nothing the guest lacks.
PROTO_SRC := proto/proto.c
PROTO_HDR := proto/proto.h
PROTO_FREESTANDING := --target=x86_64-unknown-none-elf -ffreestanding \
	-fno-builtin -mno-red-zone -nostdlib

ALL += $(B)/proto/proto-freestanding.o

$(B)/proto/proto-freestanding.o: $(PROTO_SRC) $(PROTO_HDR) proto/proto.mk
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 $(WARN) -Wmissing-prototypes $(PROTO_FREESTANDING) -Iproto $(DEPFLAGS) -c -o $@ $<
