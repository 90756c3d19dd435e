/*
 * pci.c - the modern virtio-pci transport (virtio 1.x, 4.1): vendor
 * 0x1af4, device 0x1040 + type (or a transitional 0x1000-0x103f with the
 * type in the subsystem id), configured through the vendor capabilities
 * that point into its BARs.  Devices without the modern capabilities, or
 * whose BARs lie above 4 GiB, are skipped.
 *
 * Interrupts: only by MSI-X, and only for a driver that asks
 * (irq_prepare): one table entry, 0, for all the queues it then sets up;
 * configuration changes stay unmapped (NO_VECTOR).  The order is virtio
 * 1.2's: MSI-X enabled first (4.1.5.1.3 maps a queue only then), each
 * queue's vector written and read back before queue_enable (4.1.4.3.2:
 * every other queue field before it), DRIVER_OK after.  The entry stays
 * masked until the platform gives it a message (irq_message), whatever
 * arrived meanwhile waiting in its pending bit.  Without MSI-X the
 * device's INTx line is not used: nothing routes it.
 */
#include <string.h>

#include "../pci/pci.h"
#include "virtio.h"

#define VIRTIO_PCI_VENDOR   0x1af4
#define PCI_CAP_VENDOR	    0x09
#define CAP_COMMON	    1
#define CAP_NOTIFY	    2
#define CAP_ISR		    3
#define CAP_DEVICE	    4
#define VIRTIO_PCI_MAX_DEVS 16

/* Offsets in struct virtio_pci_common_cfg. */
#define CC_DFSELECT 0
#define CC_DF	    4
#define CC_GFSELECT 8
#define CC_GF	    12
#define CC_STATUS   20
#define CC_Q_SELECT 22
#define CC_Q_SIZE   24
#define CC_Q_MSIX   26
#define CC_Q_ENABLE 28
#define CC_Q_NOFF   30
#define CC_Q_DESC   32
#define CC_Q_DRIVER 40
#define CC_Q_DEVICE 48

/* Queues whose notify offset is cached (read once at enable). */
#define VP_NOTIFY_CACHE 8

/* An event mapped to no MSI-X entry; also how a device refuses one. */
#define VIRTIO_MSI_NO_VECTOR 0xffffu
/* The one MSI-X entry the queues of a driver that asks share. */
#define VP_QUEUE_VECTOR 0

struct vp_state {
	volatile uint8_t *common, *notify, *isr, *device;
	uint32_t notify_mult, device_len;
	/* queue_notify_off + 1 per queue, 0 = not cached: a kick is then
	 * one MMIO write instead of select + read + write. */
	uint32_t notify_off[VP_NOTIFY_CACHE];
	struct pci_msix msix; /* msix.cap == 0: none usable */
	/* VP_QUEUE_VECTOR once irq_prepare ran: what queue_enable maps
	 * each queue to; VIRTIO_MSI_NO_VECTOR before. */
	uint16_t queue_vector;
	/* A queue read back NO_VECTOR: no interrupts for this device. */
	int vector_refused;
};

static struct vp_state vp_states[VIRTIO_PCI_MAX_DEVS];
static size_t vp_used;

static struct vp_state *st(struct virtio_dev *d)
{
	return d->priv;
}
static void w8(volatile uint8_t *b, uint32_t o, uint8_t v)
{
	*(volatile uint8_t *)(b + o) = v;
}
static void w16(volatile uint8_t *b, uint32_t o, uint16_t v)
{
	*(volatile uint16_t *)(b + o) = v;
}
static void w32(volatile uint8_t *b, uint32_t o, uint32_t v)
{
	*(volatile uint32_t *)(b + o) = v;
}
static uint8_t r8(volatile uint8_t *b, uint32_t o)
{
	return *(volatile uint8_t *)(b + o);
}
static uint16_t r16(volatile uint8_t *b, uint32_t o)
{
	return *(volatile uint16_t *)(b + o);
}
static uint32_t r32(volatile uint8_t *b, uint32_t o)
{
	return *(volatile uint32_t *)(b + o);
}

static void w64(volatile uint8_t *b, uint32_t o, uint64_t v)
{
	w32(b, o, (uint32_t)v);
	w32(b, o + 4, (uint32_t)(v >> 32));
}

static uint64_t vp_get_features(struct virtio_dev *d)
{
	uint64_t f;

	w32(st(d)->common, CC_DFSELECT, 1);
	f = (uint64_t)r32(st(d)->common, CC_DF) << 32;
	w32(st(d)->common, CC_DFSELECT, 0);
	return f | r32(st(d)->common, CC_DF);
}

static void vp_set_features(struct virtio_dev *d, uint64_t f)
{
	w32(st(d)->common, CC_GFSELECT, 1);
	w32(st(d)->common, CC_GF, (uint32_t)(f >> 32));
	w32(st(d)->common, CC_GFSELECT, 0);
	w32(st(d)->common, CC_GF, (uint32_t)f);
}

static uint8_t vp_get_status(struct virtio_dev *d)
{
	return r8(st(d)->common, CC_STATUS);
}
static void vp_set_status(struct virtio_dev *d, uint8_t s)
{
	w8(st(d)->common, CC_STATUS, s);
}

static int vp_config_read(struct virtio_dev *d, uint32_t off, void *buf,
			  size_t len)
{
	uint8_t *out = buf;

	if (!st(d)->device || off > st(d)->device_len ||
	    len > st(d)->device_len - off)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		out[i] = r8(st(d)->device, off + (uint32_t)i);
	return 0;
}

static uint16_t vp_queue_max(struct virtio_dev *d, uint16_t idx)
{
	uint16_t max;

	w16(st(d)->common, CC_Q_SELECT, idx);
	max = r16(st(d)->common, CC_Q_SIZE);
	return max > 32768 ? 32768 : max;
}

static int vp_queue_enable(struct virtio_dev *d, uint16_t idx, uint16_t size,
			   uint64_t desc, uint64_t driver, uint64_t device)
{
	if (size == 0 || size > vp_queue_max(d, idx))
		return -EINVAL;
	w16(st(d)->common, CC_Q_SELECT, idx);
	w16(st(d)->common, CC_Q_SIZE, size);
	w64(st(d)->common, CC_Q_DESC, desc);
	w64(st(d)->common, CC_Q_DRIVER, driver);
	w64(st(d)->common, CC_Q_DEVICE, device);
	if (st(d)->queue_vector != VIRTIO_MSI_NO_VECTOR) {
		/* Read back: a device that cannot map it says NO_VECTOR. */
		w16(st(d)->common, CC_Q_MSIX, st(d)->queue_vector);
		if (r16(st(d)->common, CC_Q_MSIX) != st(d)->queue_vector)
			st(d)->vector_refused = 1;
	}
	w16(st(d)->common, CC_Q_ENABLE, 1);
	if (idx < VP_NOTIFY_CACHE)
		st(d)->notify_off[idx] =
		    (uint32_t)r16(st(d)->common, CC_Q_NOFF) + 1;
	return 0;
}

static void vp_queue_notify(struct virtio_dev *d, uint16_t idx)
{
	uint32_t off;

	if (idx < VP_NOTIFY_CACHE && st(d)->notify_off[idx]) {
		off = st(d)->notify_off[idx] - 1;
	} else {
		w16(st(d)->common, CC_Q_SELECT, idx);
		off = r16(st(d)->common, CC_Q_NOFF);
	}
	w16(st(d)->notify, off * st(d)->notify_mult, idx);
}

static uint32_t vp_isr_ack(struct virtio_dev *d)
{
	return r8(st(d)->isr, 0); /* reading clears it */
}

static int vp_irq_prepare(struct virtio_dev *d)
{
	if (!st(d)->msix.cap)
		return -ENOTSUP;
	pci_msix_enable(&st(d)->msix);
	st(d)->queue_vector = VP_QUEUE_VECTOR;
	st(d)->vector_refused = 0;
	return 0;
}

static int vp_irq_message(struct virtio_dev *d, uint64_t addr, uint32_t data)
{
	if (st(d)->queue_vector == VIRTIO_MSI_NO_VECTOR ||
	    st(d)->vector_refused)
		return -ENOTSUP;
	pci_msix_route(&st(d)->msix, st(d)->queue_vector, addr, data);
	return 0;
}

static const struct virtio_config_ops vp_ops = {
    .get_features = vp_get_features,
    .set_features = vp_set_features,
    .get_status = vp_get_status,
    .set_status = vp_set_status,
    .config_read = vp_config_read,
    .queue_max = vp_queue_max,
    .queue_enable = vp_queue_enable,
    .queue_notify = vp_queue_notify,
    .isr_ack = vp_isr_ack,
    .irq_prepare = vp_irq_prepare,
    .irq_message = vp_irq_message,
};

/* Where a vendor capability points, or NULL if unusable (above 4 GiB). */
static volatile uint8_t *cap_region(struct pci_addr a, uint8_t cap,
				    uint32_t *len)
{
	uint8_t bar = pci_read8(a, cap + 4);
	uint32_t off = pci_read32(a, cap + 8);
	uint64_t base = pci_bar_address(a, bar);

	*len = pci_read32(a, cap + 12);
	if (!base || base + off + *len > PCI_MAPPED_LIMIT)
		return NULL;
	return (volatile uint8_t *)(uintptr_t)(base + off);
}

/* Fill s from the capability list (MSI-X too, if its table is usable); 0
 * if the common, notify and isr parts exist. */
static int vp_map(struct pci_addr a, struct vp_state *s)
{
	uint8_t cap;
	unsigned guard = 0;
	uint32_t len;

	memset(s, 0, sizeof(*s));
	s->queue_vector = VIRTIO_MSI_NO_VECTOR;
	if (!(pci_read16(a, 0x06) & 0x10)) /* no capability list */
		return -1;
	for (cap = pci_read8(a, 0x34) & 0xfc; cap && guard++ < 48;
	     cap = pci_read8(a, cap + 1) & 0xfc) {
		if (pci_read8(a, cap) == PCI_CAP_MSIX && !s->msix.cap)
			pci_msix_init(&s->msix, a, cap);
		if (pci_read8(a, cap) != PCI_CAP_VENDOR)
			continue;
		switch (pci_read8(a, cap + 3)) {
		case CAP_COMMON:
			s->common = cap_region(a, cap, &len);
			break;
		case CAP_NOTIFY:
			s->notify = cap_region(a, cap, &len);
			s->notify_mult = pci_read32(a, cap + 16);
			break;
		case CAP_ISR:
			s->isr = cap_region(a, cap, &len);
			break;
		case CAP_DEVICE:
			s->device = cap_region(a, cap, &s->device_len);
			break;
		}
	}
	return s->common && s->notify && s->isr ? 0 : -1;
}

struct probe_ctx {
	struct virtio_dev *devs;
	size_t max, n;
};

static int vp_probe_one(struct pci_addr a, uint16_t vendor, uint16_t device,
			void *arg)
{
	struct probe_ctx *ctx = arg;
	struct virtio_dev *d;
	uint32_t type;

	if (vendor != VIRTIO_PCI_VENDOR || device < 0x1000 || device > 0x107f)
		return 0;
	type = device >= 0x1040 ? device - 0x1040u : pci_read16(a, 0x2e);
	if (vp_used == VIRTIO_PCI_MAX_DEVS ||
	    vp_map(a, &vp_states[vp_used]) < 0)
		return 0;
	/* Memory space and bus mastering on, so the device can reach its rings.
	 */
	pci_write16(a, 0x04, (uint16_t)(pci_read16(a, 0x04) | 0x6));
	d = &ctx->devs[ctx->n++];
	memset(d, 0, sizeof(*d));
	d->device_id = type;
	d->transport = "virtio-pci";
	d->location = (uint64_t)a.bus << 16 | (uint64_t)a.dev << 8 | a.fn;
	d->ops = &vp_ops;
	d->priv = &vp_states[vp_used++];
	return ctx->n == ctx->max;
}

size_t virtio_pci_probe(struct virtio_dev *devs, size_t max)
{
	struct probe_ctx ctx = {devs, max, 0};

	if (max)
		pci_for_each(vp_probe_one, &ctx);
	return ctx.n;
}
