# tests/net: suite net-lwip — sockets served by lwIP in the guest (net=lwip)
# under QEMU TCG with the user-mode network, driven from the host over
# loopback port forwards only.  Programs in tests/net/progs are built to
# wasm32-wasi, compiled by mewzc and linked by guest/plat/kvm/link.sh.
NETT_OUT := $(B)/tests/net
NETT_PROGS := server client
NETT_ELF := $(NETT_PROGS:%=$(NETT_OUT)/%.elf)

SUITES += net-lwip
# Keep the .wasm (mewz run and bench/http use them) and the objects.
.SECONDARY: $(NETT_PROGS:%=$(NETT_OUT)/%.wasm) $(NETT_PROGS:%=$(NETT_OUT)/%.o)

$(NETT_OUT)/%.wasm: tests/net/progs/%.c tests/net/progs/we_sock.h
	@mkdir -p $(@D)
	$(WASM_CC) -O2 $(WARN) -o $@ $<

$(NETT_OUT)/%.o: $(NETT_OUT)/%.wasm $(B)/bin/mewzc
	$(B)/bin/mewzc $< -o $@

$(NETT_OUT)/%.elf: $(NETT_OUT)/%.o $(B)/guest/libmewz-guest.a $(B)/guest/liblwip.a \
		$(B)/guest/symtab-empty.o $(B)/guest/mksymtab guest/plat/kvm/link.sh
	guest/plat/kvm/link.sh $@ $<

.PHONY: suite-net-lwip
suite-net-lwip: $(NETT_ELF) $(NETT_OUT)/server.wasm $(B)/bin/mewz \
		$(if $(wildcard examples/http_hello.c),$(B)/examples/http_hello.wasm)
	@MEWZ=$(B)/bin/mewz tests/net/net-lwip.sh $(NETT_OUT)
