# tests/sock: sockets in development mode (net=host).
#   sock-native  the socket examples built with `mewz build --native`,
#                served by mewz-host (ASan+UBSan build) over AF_UNIX, driven
#                over loopback by curl and sockc (tests/sock/sockc.c)
#   sock-unit    the wire address codec and mewz-host's bind/connect policy
#   sock-qemu    the same programs as unikernel images under QEMU (TCG),
#                mewz-host over vhost-user vsock
SOCKT_OUT := $(B)/tests/sock
SOCKT_EXAMPLES := tcp_echo http_hello file_server udp_echo http_client
# Programs that check the imports from inside (one "ok"/"FAIL" line each).
SOCKT_PROGS := sock_api sock_we
SOCKT_BINS := $(SOCKT_EXAMPLES:%=$(SOCKT_OUT)/%) $(SOCKT_PROGS:%=$(SOCKT_OUT)/%)
SOCKT_RUNTIME := $(B)/guest/linux/libmewz-linux.a $(B)/bin/mewz $(B)/bin/mewzc

ALL += $(SOCKT_OUT)/sockc $(SOCKT_OUT)/sock_unit
SOCKT_IMGS := $(SOCKT_EXAMPLES:%=$(SOCKT_OUT)/%.elf) $(SOCKT_PROGS:%=$(SOCKT_OUT)/%.elf)
SUITES += sock-unit sock-native sock-qemu

$(SOCKT_OUT)/sockc: tests/sock/sockc.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ $<

$(SOCKT_OUT)/sock_unit: tests/sock/sock_unit.c host/daemon/sock_policy.c \
		host/daemon/sock.h proto/proto.c proto/proto.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -Iproto -Ihost/daemon -o $@ \
		tests/sock/sock_unit.c host/daemon/sock_policy.c proto/proto.c

.PHONY: suite-sock-unit
suite-sock-unit: $(SOCKT_OUT)/sock_unit
	$(SOCKT_OUT)/sock_unit

$(SOCKT_OUT)/sock_api.wasm: tests/sock/sock_api.c examples/wasmedge_sock.h
	@mkdir -p $(@D)
	$(WASM_CC) -O2 -Wall -Wextra -Werror -o $@ $<

# sock_we.c: WasmEdge's layouts written from WasmEdge's source, on purpose
# without examples/wasmedge_sock.h.
$(SOCKT_OUT)/sock_we.wasm: tests/sock/sock_we.c
	@mkdir -p $(@D)
	$(WASM_CC) -O2 -Wall -Wextra -Werror -o $@ $<

$(SOCKT_PROGS:%=$(SOCKT_OUT)/%): $(SOCKT_OUT)/%: $(SOCKT_OUT)/%.wasm $(SOCKT_RUNTIME)
	$(B)/bin/mewz build --native $< -o $@

$(SOCKT_PROGS:%=$(SOCKT_OUT)/%.elf): $(SOCKT_OUT)/%.elf: $(SOCKT_OUT)/%.wasm $(SOCKT_RUNTIME) $(GUEST_IMAGE_INPUTS) $(B)/guest/liblwip.a
	$(B)/bin/mewz build $< -o $@

$(SOCKT_OUT)/%.elf: $(B)/examples/%.wasm $(SOCKT_RUNTIME) $(GUEST_IMAGE_INPUTS) $(B)/guest/liblwip.a
	@mkdir -p $(@D)
	$(B)/bin/mewz build $< -o $@

# The object cache of `mewz` keys on the runtime too, so a rebuilt
# runtime gives a fresh program.
$(SOCKT_OUT)/%: $(B)/examples/%.wasm $(SOCKT_RUNTIME)
	@mkdir -p $(@D)
	$(B)/bin/mewz build --native $< -o $@

.PHONY: suite-sock-native
suite-sock-native: $(SOCKT_OUT)/sockc $(SOCKT_BINS) $(B)/host/mewz-host-san
	tests/sock/sock_native.sh $(B)/host/mewz-host-san $(SOCKT_OUT)/sockc $(SOCKT_OUT) \
		$(B)/bin/mewz $(B)/examples

.PHONY: suite-sock-qemu
suite-sock-qemu: $(SOCKT_OUT)/sockc $(SOCKT_IMGS) $(B)/host/mewz-host-san $(B)/tests/net/server.elf
	tests/sock/sock_qemu.sh $(B)/host/mewz-host-san $(SOCKT_OUT)/sockc $(SOCKT_OUT) \
		guest/plat/kvm/qemu-run.sh $(B)/bin/mewz $(B)/examples $(B)/tests/net/server.elf
