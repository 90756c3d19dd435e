/*
 * virtio.h - the contract between a virtio device driver (vsock, net, rng:
 * the next issues) and a transport (virtio-mmio, modern virtio-pci).
 *
 * A transport fills a struct virtio_config_ops with its static functions
 * and hands out struct virtio_dev.  Drivers call the inline wrappers
 * below, never the ops directly: a missing op is -ENOTSUP, not a crash.
 * Every value read from a device is untrusted; transports bound them.
 */
#ifndef MEWZ_VIRTIO_H
#define MEWZ_VIRTIO_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/* Device status bits (virtio 1.x, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER	  2u
#define VIRTIO_STATUS_DRIVER_OK	  4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED	  128u

/* Transport-independent feature bits. */
#define VIRTIO_F_VERSION_1 (1ull << 32)

/* Device types (virtio 1.x, 5). */
#define VIRTIO_ID_NET	  1
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG	  4
#define VIRTIO_ID_VSOCK	  19

/* virtio-mmio transports (QEMU microvm): slot n at BASE + n * STRIDE. */
#define VIRTIO_MMIO_BASE   0xfeb00000ull
#define VIRTIO_MMIO_STRIDE 0x200u

struct virtio_dev;

struct virtio_config_ops {
	uint64_t (*get_features)(struct virtio_dev *dev);
	void (*set_features)(struct virtio_dev *dev, uint64_t features);
	uint8_t (*get_status)(struct virtio_dev *dev);
	void (*set_status)(struct virtio_dev *dev, uint8_t status);
	/* Copy len bytes of device config at off; -EINVAL past its end. */
	int (*config_read)(struct virtio_dev *dev, uint32_t off, void *buf,
			   size_t len);
	/* Largest size of queue idx, 0 if the queue does not exist. */
	uint16_t (*queue_max)(struct virtio_dev *dev, uint16_t idx);
	/* Give the device a queue's three areas (guest physical) and enable it.
	 */
	int (*queue_enable)(struct virtio_dev *dev, uint16_t idx, uint16_t size,
			    uint64_t desc, uint64_t driver, uint64_t device);
	void (*queue_notify)(struct virtio_dev *dev, uint16_t idx);
	/* Read and acknowledge the interrupt status (bit 0: used buffer). */
	uint32_t (*isr_ack)(struct virtio_dev *dev);
	/*
	 * Interrupts as messages (virtio-pci: MSI-X; virtio-mmio has a line
	 * instead and neither op).  irq_prepare, by a driver after
	 * negotiation and before its queues: every queue set up from then on
	 * is mapped to one interrupt, held back (masked) for now.
	 * irq_message, by the platform once the driver is done: deliver that
	 * interrupt as a write of data to addr.  Both 0, or -ENOTSUP: no
	 * usable MSI-X, not prepared, or the device refused a queue.
	 */
	int (*irq_prepare)(struct virtio_dev *dev);
	int (*irq_message)(struct virtio_dev *dev, uint64_t addr,
			   uint32_t data);
};

struct virtio_dev {
	uint32_t device_id;    /* VIRTIO_ID_* */
	const char *transport; /* "virtio-mmio" or "virtio-pci" */
	uint64_t location;     /* MMIO base, or PCI bus/dev/fn */
	const struct virtio_config_ops *ops;
	void *priv; /* the transport's state */
};

static inline uint64_t virtio_get_features(struct virtio_dev *d)
{
	return d->ops->get_features ? d->ops->get_features(d) : 0;
}

static inline int virtio_set_features(struct virtio_dev *d, uint64_t f)
{
	if (!d->ops->set_features)
		return -ENOTSUP;
	d->ops->set_features(d, f);
	return 0;
}

static inline uint8_t virtio_get_status(struct virtio_dev *d)
{
	return d->ops->get_status ? d->ops->get_status(d)
				  : VIRTIO_STATUS_FAILED;
}

static inline int virtio_set_status(struct virtio_dev *d, uint8_t s)
{
	if (!d->ops->set_status)
		return -ENOTSUP;
	d->ops->set_status(d, s);
	return 0;
}

static inline int virtio_config_read(struct virtio_dev *d, uint32_t off,
				     void *buf, size_t len)
{
	return d->ops->config_read ? d->ops->config_read(d, off, buf, len)
				   : -ENOTSUP;
}

static inline uint16_t virtio_queue_max(struct virtio_dev *d, uint16_t idx)
{
	return d->ops->queue_max ? d->ops->queue_max(d, idx) : 0;
}

static inline int virtio_queue_enable(struct virtio_dev *d, uint16_t idx,
				      uint16_t size, uint64_t desc,
				      uint64_t driver, uint64_t device)
{
	return d->ops->queue_enable
		   ? d->ops->queue_enable(d, idx, size, desc, driver, device)
		   : -ENOTSUP;
}

static inline void virtio_queue_notify(struct virtio_dev *d, uint16_t idx)
{
	if (d->ops->queue_notify)
		d->ops->queue_notify(d, idx);
}

static inline int virtio_irq_prepare(struct virtio_dev *d)
{
	return d->ops->irq_prepare ? d->ops->irq_prepare(d) : -ENOTSUP;
}

static inline int virtio_irq_message(struct virtio_dev *d, uint64_t addr,
				     uint32_t data)
{
	return d->ops->irq_message ? d->ops->irq_message(d, addr, data)
				   : -ENOTSUP;
}

/*
 * The start of every driver's bring-up (virtio 1.x, 3.1.1): reset,
 * ACKNOWLEDGE, DRIVER, offer `wanted` & what the device has (VERSION_1 is
 * required), FEATURES_OK and check it stuck.  Returns the negotiated
 * features or 0 after setting FAILED.
 */
uint64_t virtio_negotiate(struct virtio_dev *d, uint64_t wanted);

/*
 * The end of bring-up, once the driver's own set-up (3.1.1 step 7: its
 * queues, config reads) is done: DRIVER_OK.  The device may use the
 * queues from now on; a driver notifies it only after this call.
 */
void virtio_driver_ok(struct virtio_dev *d);

/* A set-up step after virtio_negotiate failed: FAILED; returns err. */
int virtio_fail(struct virtio_dev *d, int err);

/* Discovery: fill devs with up to max devices; returns how many. */
size_t virtio_mmio_probe(struct virtio_dev *devs, size_t max);
size_t virtio_pci_probe(struct virtio_dev *devs, size_t max);

#endif /* MEWZ_VIRTIO_H */
