/*
 * negotiate.c - the transport-independent start and end of device
 * initialisation (virtio 1.2, 3.1.1).  The status bits accumulate in the
 * order that section sets them: ACKNOWLEDGE, DRIVER, FEATURES_OK, and,
 * once the driver's queues are set up, DRIVER_OK.
 */
#include "virtio.h"

#define STATUS_FEATURES_OK                                                     \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |                    \
	 VIRTIO_STATUS_FEATURES_OK)

uint64_t virtio_negotiate(struct virtio_dev *d, uint64_t wanted)
{
	uint64_t features;

	virtio_set_status(d, 0); /* reset */
	virtio_set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	features = virtio_get_features(d) & (wanted | VIRTIO_F_VERSION_1);
	/* Legacy devices (no VERSION_1) are not supported. */
	if (!(features & VIRTIO_F_VERSION_1))
		goto failed;
	virtio_set_features(d, features);
	virtio_set_status(d, STATUS_FEATURES_OK);
	if (!(virtio_get_status(d) & VIRTIO_STATUS_FEATURES_OK))
		goto failed;
	return features;
failed:
	virtio_fail(d, 0);
	return 0;
}

void virtio_driver_ok(struct virtio_dev *d)
{
	virtio_set_status(d, STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

int virtio_fail(struct virtio_dev *d, int err)
{
	virtio_set_status(d, VIRTIO_STATUS_FAILED);
	return err;
}
