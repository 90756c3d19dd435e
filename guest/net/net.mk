# guest/net: lwIP 2.1.3 for net=lwip, with our lwipopts.h and arch/cc.h.
#   $(B)/guest/liblwip.a   lwIP's raw-API sources (core, ipv4, ipv6,
#                          ethernet) from $(B)/src/lwip (make deps) plus
#                          guest/net/*.c (port, netif glue, socket backend)
# guest/plat/kvm/link.sh links it after libmewz-guest.a.  Suites: tests/net.
NET_LWIP_DIR := $(B)/src/lwip/src
NET_OUT := $(B)/guest/net
NET_LWIP_NAMES := core/def core/dns core/inet_chksum core/init core/ip \
	core/mem core/memp core/netif core/pbuf core/stats core/sys core/tcp \
	core/tcp_in core/tcp_out core/timeouts core/udp \
	core/ipv4/dhcp core/ipv4/etharp core/ipv4/icmp core/ipv4/ip4 \
	core/ipv4/ip4_addr core/ipv4/ip4_frag \
	core/ipv6/ethip6 core/ipv6/icmp6 core/ipv6/inet6 core/ipv6/ip6 \
	core/ipv6/ip6_addr core/ipv6/ip6_frag core/ipv6/mld6 core/ipv6/nd6 \
	netif/ethernet
NET_LWIP_OBJ := $(NET_LWIP_NAMES:%=$(NET_OUT)/lwip/%.o)
NET_GLUE_SRC := $(wildcard guest/net/*.c)
NET_GLUE_OBJ := $(NET_GLUE_SRC:guest/net/%.c=$(NET_OUT)/glue/%.o)
NET_HDRS := $(wildcard guest/net/*.h guest/net/arch/*.h) $(GUEST_HDRS)
NET_INC := -Iguest/net -I$(NET_LWIP_DIR)/include
# lwIP's own code is third-party: the same warnings, minus the ones its
# style trips (unused parameters in stubs, signed/unsigned mixes).
NET_LWIP_CFLAGS := $(GUEST_CFLAGS) $(NET_INC) -Wno-unused-parameter \
	-Wno-sign-compare -Wno-missing-field-initializers

ALL += $(B)/guest/liblwip.a
NET_FLAGS_STAMP := $(call stamp,net-flags,$(CC) $(NET_LWIP_CFLAGS) | $(GUEST_CFLAGS) $(NET_INC))
NET_OBJS_STAMP := $(call stamp,net-objs,$(NET_LWIP_OBJ) $(NET_GLUE_OBJ))

# lwIP's sources come from `make deps` (apt-get source lwip); say so
# rather than "no rule to make target".
$(NET_LWIP_DIR)/%.c:
	@echo "guest/net: lwIP's source is missing ($(NET_LWIP_DIR)); run 'make deps'" >&2
	@exit 1

$(NET_OUT)/lwip/%.o: $(NET_LWIP_DIR)/%.c $(NET_HDRS) $(NET_FLAGS_STAMP) $(GUEST_NEWLIB)
	@mkdir -p $(@D)
	$(CC) $(NET_LWIP_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(NET_OUT)/glue/%.o: guest/net/%.c $(NET_HDRS) $(NET_FLAGS_STAMP) $(GUEST_NEWLIB)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) $(NET_INC) -Iguest $(DEPFLAGS) -c -o $@ $<

$(B)/guest/liblwip.a: $(NET_LWIP_OBJ) $(NET_GLUE_OBJ) $(NET_OBJS_STAMP)
	@rm -f $@
	llvm-ar-19 rcs $@ $(NET_LWIP_OBJ) $(NET_GLUE_OBJ)
