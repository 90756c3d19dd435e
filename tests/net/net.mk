# tests/net: suite net-lwip — sockets served by lwIP in the guest (net=lwip)
# under QEMU TCG with the user-mode network, driven from the host over
# loopback port forwards only.  Programs in tests/net/progs are built to
# wasm32-wasi, compiled by mewzc and linked by guest/plat/kvm/link.sh.
NETT_OUT := $(B)/tests/net
NETT_PROGS := server client
NETT_ELF := $(NETT_PROGS:%=$(NETT_OUT)/%.elf)

SUITES += net-unit net-lwip

# net-unit: the virtio-net driver against a fake transport and config.c,
# on the host with ASan+UBSan (lwIP's ip4_addr.c and def.c for parsing).
NETT_UNIT_SRC := $(wildcard tests/net/unit/*.c) guest/drivers/virtio/virtio_net.c \
	guest/drivers/virtio/ring.c guest/drivers/virtio/negotiate.c guest/net/config.c \
	$(B)/src/lwip/src/core/ipv4/ip4_addr.c $(B)/src/lwip/src/core/def.c
ALL += $(NETT_OUT)/unit

$(NETT_OUT)/unit: $(NETT_UNIT_SRC) $(wildcard tests/net/unit/*.h) tests/lib/check.h $(NET_HDRS) \
		tests/net/net.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) -Wno-unused-parameter -Iguest/include \
		-Iguest/net -I$(B)/src/lwip/src/include,$(NETT_UNIT_SRC))

.PHONY: suite-net-unit
suite-net-unit: $(NETT_OUT)/unit
	@$<
# Keep the .wasm (mewz run and bench/http use them) and the objects.
.SECONDARY: $(NETT_PROGS:%=$(NETT_OUT)/%.wasm) $(NETT_PROGS:%=$(NETT_OUT)/%.o) \
	$(NETT_OUT)/sock_api.o $(NETT_OUT)/sock_we.o $(NETT_OUT)/ex-tcp_echo.o $(NETT_OUT)/ex-udp_echo.o \
	$(NETT_OUT)/ex-http_client.o

$(NETT_OUT)/%.wasm: tests/net/progs/%.c tests/net/progs/we_sock.h
	@mkdir -p $(@D)
	$(WASM_CC) -O2 $(WARN) -o $@ $<

$(NETT_OUT)/%.o: $(NETT_OUT)/%.wasm $(B)/bin/mewzc
	$(B)/bin/mewzc $< -o $@

# tests/sock's API conformance program (written for both modes) runs here
# under net=lwip too.
NETT_SOCK_API := $(foreach p,sock_api sock_we,$(if $(wildcard tests/sock/$(p).c),$(NETT_OUT)/$(p).elf))
$(NETT_OUT)/sock_api.o $(NETT_OUT)/sock_we.o: $(NETT_OUT)/%.o: $(B)/tests/sock/%.wasm $(B)/bin/mewzc
	@mkdir -p $(@D)
	$(B)/bin/mewzc $< -o $@

# The socket examples (examples/*.c, written against WasmEdge's imports),
# unchanged, as net=lwip images.
NETT_EXAMPLES := $(foreach e,tcp_echo udp_echo http_client,$(if $(wildcard examples/$(e).c),$(e)))
NETT_EX_ELF := $(NETT_EXAMPLES:%=$(NETT_OUT)/ex-%.elf)
$(NETT_OUT)/ex-%.o: $(B)/examples/%.wasm $(B)/bin/mewzc
	@mkdir -p $(@D)
	$(B)/bin/mewzc $< -o $@

$(NETT_OUT)/%.elf: $(NETT_OUT)/%.o $(GUEST_IMAGE_INPUTS) $(B)/guest/liblwip.a
	guest/plat/kvm/link.sh $@ $<

.PHONY: suite-net-lwip
suite-net-lwip: $(NETT_ELF) $(NETT_SOCK_API) $(NETT_EX_ELF) $(NETT_OUT)/server.wasm $(B)/bin/mewz \
		$(if $(wildcard examples/http_hello.c),$(B)/examples/http_hello.wasm) \
		$(B)/examples/file_server.wasm $(B)/host/mewz-host
	@MEWZ=$(B)/bin/mewz tests/net/net-lwip.sh $(NETT_OUT)
