/*
 * start.c - bring-up of net=lwip, called once by the kernel at boot
 * (plat/kvm/setup.c) when the command line says net=lwip.
 */
#include <errno.h>

#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "lwip/dhcp.h"
#include "lwip/netif.h"
#include "net.h"
#include "wasi/sock_backend.h"

/* QEMU's user network answers DHCP at once; a LAN may take a moment. */
#define NET_DHCP_WAIT_NS 5000000000ull

static void wait_for_dhcp(void)
{
	uint64_t until = mewz_plat_monotonic_ns() + NET_DHCP_WAIT_NS;

	while (!dhcp_supplied_address(net_if())) {
		if (mewz_plat_monotonic_ns() >= until) {
			struct mewz_line l = {.len = 0};

			mewz_line_str(&l, "mewz: net: no DHCP answer yet, "
					  "going on without an IPv4 address");
			mewz_line_emit(&l);
			return;
		}
		net_wait(until);
	}
}

int net_lwip_start(const char *ip, const char *dns)
{
	struct net_config c;
	int rc;

	if (net_config_parse(ip, dns, &c) < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "net: bad ip= or dns= option");
	rc = net_if_init(&c);
	if (rc == -ENODEV)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "net=lwip but the VM has no virtio-net device");
	if (rc < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "net: virtio-net bring-up failed");
	if (c.dhcp)
		wait_for_dhcp();
	sock_backend_set(&net_lwip_backend);
	return 0;
}
