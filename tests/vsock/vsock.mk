# tests/vsock: virtio-vsock between the unikernel and mewz-host's
# vhost-user backend.
#   vsock-unit  host side under ASan+UBSan: the vhost-user message
#               decoder, guest address translation and the device-side
#               ring against hostile values
#   vsock-host-unit  the backend's vsock stream protocol in process
#               (fake guest rings, stub sessions), ASan+UBSan
#   vsock-guest-unit  the guest's vsock driver and rings, built for the
#               host under ASan+UBSan, against a fake transport and a
#               scripted (and a hostile) peer
#   vsock-qemu  a guest test program (apps/vsock_client.c, linked with
#               the kernel) under QEMU TCG, microvm and q35, talking to
#               build/host/mewz-host-san over vhost-user vsock
# Fuzz target: fuzz-vhost (the message decoder and memory-table checks).
VSOCKT_OUT := $(B)/tests/vsock
VSOCKT_APP_CFLAGS = $(GUEST_CFLAGS) -Iguest/drivers/virtio -Iproto
VSOCKT_HOST_SRC := host/daemon/vhost_msg.c host/daemon/vhost_mem.c host/daemon/vhost_ring.c

ALL += $(VSOCKT_OUT)/vsock_client.elf $(VSOCKT_OUT)/vsock_unit $(VSOCKT_OUT)/vsock_guest_unit \
	$(VSOCKT_OUT)/vsock_host_unit
SUITES += vsock-unit vsock-host-unit vsock-guest-unit vsock-qemu
FUZZ += fuzz-vhost

# Headers are recorded in .d files (DEPFLAGS, cc_prog); the fragment itself
# stands for the flags.
$(VSOCKT_OUT)/vsock_client.o: tests/vsock/apps/vsock_client.c tests/vsock/vsock.mk \
		$(GUEST_FLAGS_STAMP) $(GUEST_NEWLIB)
	@mkdir -p $(@D)
	$(CC) $(VSOCKT_APP_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(VSOCKT_OUT)/vsock_client.elf: $(VSOCKT_OUT)/vsock_client.o $(GUEST_IMAGE_INPUTS)
	MEWZ_BUILD=$(B) guest/plat/kvm/link.sh $@ $<

$(VSOCKT_OUT)/vsock_unit: tests/vsock/vsock_unit.c $(VSOCKT_HOST_SRC) tests/vsock/vsock.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) -Ihost/daemon -Iproto,tests/vsock/vsock_unit.c $(VSOCKT_HOST_SRC))

$(VSOCKT_OUT)/fuzz_vhost: tests/vsock/fuzz_vhost.c $(VSOCKT_HOST_SRC) tests/vsock/vsock.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) -fsanitize=fuzzer$(comma)address$(comma)undefined -Ihost/daemon -Iproto,\
		tests/vsock/fuzz_vhost.c $(VSOCKT_HOST_SRC))

VSOCKT_GUEST_SRC := guest/drivers/virtio/vsock.c guest/drivers/virtio/ring.c \
	guest/drivers/virtio/negotiate.c
$(VSOCKT_OUT)/vsock_guest_unit: tests/vsock/vsock_guest_unit.c $(VSOCKT_GUEST_SRC) tests/vsock/vsock.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) -Iguest/drivers/virtio,\
		tests/vsock/vsock_guest_unit.c $(VSOCKT_GUEST_SRC))

$(VSOCKT_OUT)/vsock_host_unit: tests/vsock/vsock_host_unit.c host/daemon/vhost_vsock.c \
		$(VSOCKT_HOST_SRC) tests/vsock/vsock.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) -Ihost/daemon -Iproto,tests/vsock/vsock_host_unit.c \
		host/daemon/vhost_vsock.c $(VSOCKT_HOST_SRC))

.PHONY: suite-vsock-host-unit
suite-vsock-host-unit: $(VSOCKT_OUT)/vsock_host_unit
	@$<

.PHONY: suite-vsock-unit suite-vsock-guest-unit suite-vsock-qemu fuzz-vhost
suite-vsock-guest-unit: $(VSOCKT_OUT)/vsock_guest_unit
	@$<

suite-vsock-unit: $(VSOCKT_OUT)/vsock_unit
	@$<

suite-vsock-qemu: $(VSOCKT_OUT)/vsock_client.elf $(B)/host/mewz-host-san
	@tests/vsock/vsock-qemu.sh $(VSOCKT_OUT)/vsock_client.elf $(B)/host/mewz-host-san

fuzz-vhost: $(VSOCKT_OUT)/fuzz_vhost
	@mkdir -p $(VSOCKT_OUT)/fuzz-corpus
	$< -max_total_time=$(FUZZ_SECONDS) $(VSOCKT_OUT)/fuzz-corpus
