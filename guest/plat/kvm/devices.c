/*
 * devices.c - which virtio devices this VM has, on either transport.
 * Drivers (next issues) take them from here; today the kernel option
 * `devices` lists them on stderr, which the guest-qemu suite checks.
 */
#include <mewz/runtime.h>

#include "../../drivers/virtio/virtio.h"
#include "kvm.h"

#define DEVICES_MAX 16

static struct virtio_dev devices[DEVICES_MAX];
static size_t nr_devices;
static int probed;

static void devices_scan(void)
{
	if (probed)
		return;
	probed = 1;
	nr_devices = virtio_mmio_probe(devices, DEVICES_MAX);
	nr_devices +=
	    virtio_pci_probe(devices + nr_devices, DEVICES_MAX - nr_devices);
}

struct virtio_dev *devices_find(uint32_t device_id)
{
	devices_scan();
	for (size_t i = 0; i < nr_devices; i++)
		if (devices[i].device_id == device_id)
			return &devices[i];
	return NULL;
}

void devices_probe(void)
{
	devices_scan();
	if (!args_list_devices())
		return;
	for (size_t i = 0; i < nr_devices; i++) {
		struct mewz_line l = {.len = 0};

		mewz_line_str(&l, "mewz: ");
		mewz_line_str(&l, devices[i].transport);
		mewz_line_str(&l, "@");
		mewz_line_hex(&l, devices[i].location);
		mewz_line_str(&l, ": device ");
		mewz_line_dec(&l, devices[i].device_id);
		mewz_line_str(
		    &l, (virtio_get_features(&devices[i]) & VIRTIO_F_VERSION_1)
			    ? " (virtio 1.x)"
			    : " (legacy)");
		mewz_line_emit(&l);
	}
}
