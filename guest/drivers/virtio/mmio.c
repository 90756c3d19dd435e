/*
 * mmio.c - the virtio-mmio transport, version 2 (virtio 1.x, 4.2.2).
 *
 * microvm places its transports at 0xfeb00000 + 0x200 * n and, with
 * auto-kernel-cmdline=off (qemu-run.sh), tells the kernel nothing: we probe
 * for the magic value.  Version 1 (legacy) transports, which microvm gives
 * unless -global virtio-mmio.force-legacy=false, are skipped.
 */
#include <string.h>

#include "virtio.h"

#define MMIO_SLOTS    32
#define MMIO_MAX_DEVS 32

#define REG_MAGIC		0x000
#define REG_VERSION		0x004
#define REG_DEVICE_ID		0x008
#define REG_DEVICE_FEATURES	0x010
#define REG_DEVICE_FEATURES_SEL 0x014
#define REG_DRIVER_FEATURES	0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL		0x030
#define REG_QUEUE_NUM_MAX	0x034
#define REG_QUEUE_NUM		0x038
#define REG_QUEUE_READY		0x044
#define REG_QUEUE_NOTIFY	0x050
#define REG_INTERRUPT_STATUS	0x060
#define REG_INTERRUPT_ACK	0x064
#define REG_STATUS		0x070
#define REG_QUEUE_DESC_LOW	0x080
#define REG_QUEUE_DESC_HIGH	0x084
#define REG_QUEUE_DRIVER_LOW	0x090
#define REG_QUEUE_DRIVER_HIGH	0x094
#define REG_QUEUE_DEVICE_LOW	0x0a0
#define REG_QUEUE_DEVICE_HIGH	0x0a4
#define REG_CONFIG		0x100

#define MMIO_MAGIC 0x74726976u /* "virt" */

static uint32_t rd(struct virtio_dev *d, uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(d->location + reg);
}

static void wr(struct virtio_dev *d, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(d->location + reg) = v;
}

static uint64_t vm_get_features(struct virtio_dev *d)
{
	uint64_t f;

	wr(d, REG_DEVICE_FEATURES_SEL, 1);
	f = (uint64_t)rd(d, REG_DEVICE_FEATURES) << 32;
	wr(d, REG_DEVICE_FEATURES_SEL, 0);
	return f | rd(d, REG_DEVICE_FEATURES);
}

static void vm_set_features(struct virtio_dev *d, uint64_t f)
{
	wr(d, REG_DRIVER_FEATURES_SEL, 1);
	wr(d, REG_DRIVER_FEATURES, (uint32_t)(f >> 32));
	wr(d, REG_DRIVER_FEATURES_SEL, 0);
	wr(d, REG_DRIVER_FEATURES, (uint32_t)f);
}

static uint8_t vm_get_status(struct virtio_dev *d)
{
	return (uint8_t)rd(d, REG_STATUS);
}

static void vm_set_status(struct virtio_dev *d, uint8_t s)
{
	wr(d, REG_STATUS, s);
}

/* The config window is what is left of the 512-byte transport slot. */
static int vm_config_read(struct virtio_dev *d, uint32_t off, void *buf,
			  size_t len)
{
	volatile uint8_t *cfg =
	    (volatile uint8_t *)(uintptr_t)(d->location + REG_CONFIG);
	uint8_t *out = buf;

	if (off > VIRTIO_MMIO_STRIDE - REG_CONFIG ||
	    len > VIRTIO_MMIO_STRIDE - REG_CONFIG - off)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		out[i] = cfg[off + i];
	return 0;
}

static uint16_t vm_queue_max(struct virtio_dev *d, uint16_t idx)
{
	uint32_t max;

	wr(d, REG_QUEUE_SEL, idx);
	max = rd(d, REG_QUEUE_NUM_MAX);
	/* A device-controlled size: bounded to what the ring format allows. */
	return max > 32768 ? 32768 : (uint16_t)max;
}

static int vm_queue_enable(struct virtio_dev *d, uint16_t idx, uint16_t size,
			   uint64_t desc, uint64_t driver, uint64_t device)
{
	if (size == 0 || size > vm_queue_max(d, idx))
		return -EINVAL;
	wr(d, REG_QUEUE_SEL, idx);
	wr(d, REG_QUEUE_NUM, size);
	wr(d, REG_QUEUE_DESC_LOW, (uint32_t)desc);
	wr(d, REG_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	wr(d, REG_QUEUE_DRIVER_LOW, (uint32_t)driver);
	wr(d, REG_QUEUE_DRIVER_HIGH, (uint32_t)(driver >> 32));
	wr(d, REG_QUEUE_DEVICE_LOW, (uint32_t)device);
	wr(d, REG_QUEUE_DEVICE_HIGH, (uint32_t)(device >> 32));
	wr(d, REG_QUEUE_READY, 1);
	return 0;
}

static void vm_queue_notify(struct virtio_dev *d, uint16_t idx)
{
	wr(d, REG_QUEUE_NOTIFY, idx);
}

static uint32_t vm_isr_ack(struct virtio_dev *d)
{
	uint32_t isr = rd(d, REG_INTERRUPT_STATUS);

	wr(d, REG_INTERRUPT_ACK, isr);
	return isr;
}

static const struct virtio_config_ops vm_ops = {
    .get_features = vm_get_features,
    .set_features = vm_set_features,
    .get_status = vm_get_status,
    .set_status = vm_set_status,
    .config_read = vm_config_read,
    .queue_max = vm_queue_max,
    .queue_enable = vm_queue_enable,
    .queue_notify = vm_queue_notify,
    .isr_ack = vm_isr_ack,
};

size_t virtio_mmio_probe(struct virtio_dev *devs, size_t max)
{
	size_t n = 0;

	for (unsigned slot = 0; slot < MMIO_SLOTS && n < max; slot++) {
		struct virtio_dev d = {.transport = "virtio-mmio",
				       .location =
					   VIRTIO_MMIO_BASE +
					   (uint64_t)slot * VIRTIO_MMIO_STRIDE,
				       .ops = &vm_ops};

		if (rd(&d, REG_MAGIC) != MMIO_MAGIC)
			break; /* transports are contiguous */
		if (rd(&d, REG_VERSION) != 2)
			continue;
		d.device_id = rd(&d, REG_DEVICE_ID);
		if (d.device_id == 0)
			continue; /* an empty slot */
		devs[n++] = d;
	}
	return n;
}
