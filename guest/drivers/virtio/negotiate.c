/*
 * negotiate.c - the transport-independent start of device initialisation.
 */
#include "virtio.h"

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
	virtio_set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				 VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_get_status(d) & VIRTIO_STATUS_FEATURES_OK))
		goto failed;
	return features;
failed:
	virtio_set_status(d, VIRTIO_STATUS_FAILED);
	return 0;
}
