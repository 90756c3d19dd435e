/* sha256.h - SHA-256 (FIPS 180-4), for content-addressed cache keys. */
#ifndef MEWZ_SHA256_H
#define MEWZ_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t total; /* bytes hashed so far */
	uint8_t buf[64];
	size_t used;    /* bytes waiting in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Finish and write the digest as 64 lowercase hex digits plus NUL. */
void sha256_hex(struct sha256 *s, char out[65]);

#endif /* MEWZ_SHA256_H */
