/*
 * hostlink.c - the kernel's link to mewz-host: the hostcall client
 * (guest/wasi/hostcall.c) over a virtio-vsock stream to CID 2, port 1024.
 *
 * Only a boot with the kernel option `hostlink` (qemu-run.sh --mewz-host
 * adds it with the device) comes here; others have no host and run
 * without preopens.  Such a VM was started to reach mewz-host, so a
 * missing device, or failing to set it up, connect or say HELLO, ends the
 * boot with a panic rather than running the program without its files.
 *
 * The driver polls (halting in ticks once a wait lasts, see link_relax);
 * a call fails with EIO once the connection is reset,
 * the device breaks, or the host stays silent for HOSTLINK_TIMEOUT_S while
 * a call waits (QEMU keeps a dead daemon's device, so silence is the only
 * sign of it).  No single request takes the daemon that long: each moves
 * at most one frame (256 KiB).
 */
#include <mewz/devirq.h>
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "../../drivers/virtio/virtio.h"
#include "../../drivers/virtio/vsock.h"
#include "../../wasi/hostcall.h"
#include "kvm.h"

#define HOSTLINK_PORT	   1024u
#define HOSTLINK_TIMEOUT_S 30u

static int link_conn = -1;

static long link_send(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	return vsock_send(link_conn, buf, len);
}

static long link_recv(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	return vsock_recv(link_conn, buf, len);
}

/*
 * How a hostcall waits: as every polled wait does (mewz_poll_halt_ns; the
 * vsock interrupt is not routed).  Ordinary calls are answered while we
 * spin; a wait that lasts (a socket poll the host holds, an accept, a
 * slow disk) halts in timer ticks instead of burning the CPU, the device
 * being polled at each wake-up.
 */
static void link_relax(uint64_t idle_ns)
{
	uint64_t halt = mewz_poll_halt_ns(idle_ns);

	if (halt == 0) {
		__asm__ volatile("pause");
		return;
	}
	mewz_plat_block_until(mewz_plat_monotonic_ns() + halt);
}

void hostlink_start(void)
{
	static const struct vsock_plat plat = {mewz_plat_monotonic_ns,
					       link_relax, mem_boot_alloc};
	static const struct hostcall_transport t = {link_send, link_recv, NULL,
						    mem_boot_alloc};
	struct virtio_dev *dev = devices_find(VIRTIO_ID_VSOCK);

	if (!dev)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "hostlink: the VM has no virtio-vsock device");
	if (vsock_init(dev, &plat) < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "virtio-vsock: device setup failed");
	vsock_set_timeout(HOSTLINK_TIMEOUT_S * 1000000000ull);
	link_conn = vsock_connect(VSOCK_CID_HOST, HOSTLINK_PORT);
	if (link_conn < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "cannot connect to mewz-host over vsock");
	if (hostcall_start(&t) < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "mewz-host did not answer HELLO");
}
