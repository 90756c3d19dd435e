/*
 * entropy.c - RDSEED (true entropy) when the CPU has it, else RDRAND
 * (a DRBG the CPU reseeds), each retried: both may fail transiently when
 * the hardware pool is drained.  No source, or persistent failure, is an
 * error: the caller must not then hand out bytes.
 */
#include <errno.h>
#include <string.h>

#include <mewz/plat.h>

#include "../../arch/x86_64/arch.h"
#include "../../drivers/virtio/rng.h"
#include "kvm.h"

#define ENTROPY_RETRIES 100

static int rdseed64(uint64_t *v)
{
	unsigned char ok;

	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

static int rdrand64(uint64_t *v)
{
	unsigned char ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

static int hw_random(int (*insn)(uint64_t *), uint64_t *v)
{
	int i;

	for (i = 0; i < ENTROPY_RETRIES; i++) {
		if (insn(v))
			return 0;
		__asm__ volatile("pause");
	}
	return -EIO;
}

/* The virtio-rng fallback, set up on first use. */
static int virtio_entropy(void *buf, size_t len)
{
	static struct virtio_rng rng;
	static int tried;

	if (!tried) {
		struct virtio_dev *dev = devices_find(VIRTIO_ID_RNG);

		tried = 1;
		if (!dev || virtio_rng_init(&rng, dev) < 0)
			return -EIO;
	}
	return virtio_rng_read(&rng, buf, len);
}

int mewz_plat_entropy(void *buf, size_t len)
{
	int (*insn)(uint64_t *);
	uint8_t *p = buf;

	if (arch_has_rdseed())
		insn = rdseed64;
	else if (arch_has_rdrand())
		insn = rdrand64;
	else
		return virtio_entropy(buf, len);
	while (len > 0) {
		uint64_t v;
		size_t n = len < sizeof(v) ? len : sizeof(v);

		if (hw_random(insn, &v) < 0 &&
		    (insn == rdrand64 || hw_random(rdrand64, &v) < 0))
			return -EIO;
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	return 0;
}
