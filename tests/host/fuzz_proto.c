/*
 * libFuzzer target: the codec.  Any bytes as a frame: the header decoder
 * and the payload decoder must never read outside the input, and whatever
 * decodes must encode back to exactly the same bytes.  The input is also
 * walked with the list cursors HELLO's strings use.
 */
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_lists(const uint8_t *p, size_t n)
{
	struct proto_cur c;

	proto_cur_init(&c, p, (uint32_t)n);
	uint32_t count = proto_get_u32(&c);

	for (uint32_t i = 0; i < count && !c.bad; i++) {
		struct proto_preopen p;

		if (proto_get_preopen(&c, &p) && p.path.len)
			(void)p.path.p[p.path.len - 1]; /* in bounds */
	}
	(void)proto_cur_done(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_hdr h;
	struct proto_msg m;

	walk_lists(data, size);
	if (proto_decode_hdr(data, size, PROTO_FRAME_MAX, &h) != PROTO_OK)
		return 0;
	if (h.payload_len > size - PROTO_HDR_LEN)
		return 0;
	/* The payload in its own allocation, so ASan catches overreads. */
	uint8_t *payload = malloc(h.payload_len ? h.payload_len : 1);

	memcpy(payload, data + PROTO_HDR_LEN, h.payload_len);
	if (proto_decode(&h, payload, &m) == PROTO_OK) {
		size_t cap = PROTO_HDR_LEN + h.payload_len;
		uint8_t *out = malloc(cap);
		struct proto_hdr e = h;
		int64_t n = proto_encode(out, cap, &e, &m);

		if (n != (int64_t)cap || memcmp(out, data, cap) != 0)
			abort(); /* decode and encode disagree */
		free(out);
	}
	free(payload);
	return 0;
}
