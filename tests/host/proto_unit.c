/*
 * Suite proto-unit: the codec alone.  Round trips of every operation in
 * both directions, every truncated and every over-long frame rejected,
 * header checks, encoder refusals, and the list cursors.
 */
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "th.h"

static const uint8_t sample_bytes[] = "sample string \0 with a NUL";

/* A message that fills fmt with values as wide as each field allows. */
static struct proto_msg sample(const char *fmt, uint64_t seed)
{
	struct proto_msg m;

	memset(&m, 0, sizeof(m));
	for (; *fmt; fmt++) {
		uint64_t v = seed * 0x9e3779b97f4a7c15ull + m.nval;

		switch (*fmt) {
		case 'b':
			m.val[m.nval++] = v & 0xff;
			break;
		case 'h':
			m.val[m.nval++] = v & 0xffff;
			break;
		case 'w':
			m.val[m.nval++] = v & 0xffffffffu;
			break;
		case 'q':
			m.val[m.nval++] = v;
			break;
		case 's':
			m.str[m.nstr].p = sample_bytes;
			m.str[m.nstr].len =
			    (uint32_t)((seed + m.nstr) % sizeof(sample_bytes));
			m.nstr++;
			break;
		}
	}
	return m;
}

static bool msg_equal(const struct proto_msg *a, const struct proto_msg *b)
{
	if (a->nval != b->nval || a->nstr != b->nstr)
		return false;
	for (int i = 0; i < a->nval; i++) {
		if (a->val[i] != b->val[i])
			return false;
	}
	for (int i = 0; i < a->nstr; i++) {
		if (a->str[i].len != b->str[i].len ||
		    memcmp(a->str[i].p, b->str[i].p, a->str[i].len) != 0)
			return false;
	}
	return true;
}

static void test_header(void)
{
	struct proto_hdr h = {0x01020304, 0x0506, PROTO_F_RESPONSE, 0x0a0b0c0d,
			      0x11223344},
			 g;
	uint8_t b[PROTO_HDR_LEN];
	static const uint8_t want[PROTO_HDR_LEN] = {
	    4, 3, 2, 1, 6, 5, 1, 0, 0xd, 0xc, 0xb, 0xa, 0x44, 0x33, 0x22, 0x11};

	proto_encode_hdr(b, &h);
	CHECK(memcmp(b, want, sizeof(b)) == 0); /* little-endian, in order */
	CHECK_EQ(proto_decode_hdr(b, sizeof(b), 0xffffffffu, &g), PROTO_OK);
	CHECK(memcmp(&g, &h, sizeof(h)) == 0);
	for (size_t n = 0; n < PROTO_HDR_LEN; n++)
		CHECK_EQ(proto_decode_hdr(b, n, PROTO_FRAME_MAX, &g),
			 PROTO_E_SHORT);
	/* Length limit: payload_len may reach max_frame - 16, not more. */
	h.flags = 0;
	h.payload_len = PROTO_FRAME_DEFAULT - PROTO_HDR_LEN;
	proto_encode_hdr(b, &h);
	CHECK_EQ(proto_decode_hdr(b, sizeof(b), PROTO_FRAME_DEFAULT, &g),
		 PROTO_OK);
	h.payload_len++;
	proto_encode_hdr(b, &h);
	CHECK_EQ(proto_decode_hdr(b, sizeof(b), PROTO_FRAME_DEFAULT, &g),
		 PROTO_E_LONG);
	h.payload_len = 0xffffffffu;
	proto_encode_hdr(b, &h);
	CHECK_EQ(proto_decode_hdr(b, sizeof(b), PROTO_FRAME_MAX, &g),
		 PROTO_E_LONG);
	CHECK_EQ(proto_decode_hdr(b, sizeof(b), 3, &g), PROTO_E_LONG);
	/* Every unknown flag bit. */
	for (int bit = 1; bit < 16; bit++) {
		h.payload_len = 0;
		h.flags = (uint16_t)(1u << bit);
		proto_encode_hdr(b, &h);
		CHECK_EQ(proto_decode_hdr(b, sizeof(b), PROTO_FRAME_MAX, &g),
			 PROTO_E_FLAGS);
	}
}

/* Encodes m for (op, resp), decodes it back, then checks every shorter
 * and one longer payload are refused. */
static void round_trip(uint16_t op, bool resp, const struct proto_msg *m)
{
	uint8_t buf[256], *frame;
	struct proto_hdr h = {0, op, resp ? PROTO_F_RESPONSE : 0, 77, 0}, g;
	struct proto_msg d;
	int64_t n = proto_encode(buf, sizeof(buf), &h, m);

	CHECK(n >= (int64_t)PROTO_HDR_LEN);
	if (n < (int64_t)PROTO_HDR_LEN)
		return;
	CHECK_EQ(proto_decode_hdr(buf, (size_t)n, PROTO_FRAME_MAX, &g),
		 PROTO_OK);
	CHECK_EQ(g.payload_len, n - PROTO_HDR_LEN);
	CHECK_EQ(proto_decode(&g, buf + PROTO_HDR_LEN, &d), PROTO_OK);
	CHECK(msg_equal(m, &d));
	/* Each truncation, in a buffer of exactly that size so that ASan
	 * sees any read past it. */
	for (uint32_t len = 0; len < g.payload_len; len++) {
		struct proto_hdr t = g;

		t.payload_len = len;
		frame = malloc(len ? len : 1);
		memcpy(frame, buf + PROTO_HDR_LEN, len);
		CHECK_EQ(proto_decode(&t, frame, &d), PROTO_E_SHORT);
		free(frame);
	}
	/* One byte too many. */
	{
		struct proto_hdr t = g;

		t.payload_len = g.payload_len + 1;
		frame = malloc(t.payload_len);
		memcpy(frame, buf + PROTO_HDR_LEN, g.payload_len);
		frame[g.payload_len] = 0;
		CHECK_EQ(proto_decode(&t, frame, &d), PROTO_E_LONG);
		free(frame);
	}
	/* Encoding into every smaller buffer fails cleanly. */
	for (int64_t cap = 0; cap < n; cap++) {
		struct proto_hdr t = h;

		CHECK_EQ(proto_encode(buf, (size_t)cap, &t, m), PROTO_E_SPACE);
	}
}

static void test_every_op(void)
{
	int ops = 0;

	for (uint32_t op = 0; op < 0x10000; op++) {
		const char *req = proto_format((uint16_t)op, false);

		if (req == NULL) {
			CHECK(proto_op_name((uint16_t)op) == NULL);
			continue;
		}
		ops++;
		CHECK(op < PROTO_OP_LIMIT);
		CHECK(proto_op_name((uint16_t)op) != NULL);
		for (uint64_t seed = 1; seed < 4; seed++) {
			struct proto_msg a = sample(req, seed);
			struct proto_msg b =
			    sample(proto_format((uint16_t)op, true), seed + 7);

			round_trip((uint16_t)op, false, &a);
			round_trip((uint16_t)op, true, &b);
		}
	}
	CHECK(ops >= 30);
}

static void test_string_lengths(void)
{
	/* WRITE: w then s.  A string length that overruns the payload, in
	 * every way that could wrap an addition. */
	static const uint32_t lens[] = {5, 0x7fffffffu, 0xfffffffcu,
					0xffffffffu};
	uint8_t p[12] = {1, 0, 0, 0};
	struct proto_hdr h = {sizeof(p), PROTO_OP_WRITE, 0, 1, 0};
	struct proto_msg m;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		proto_st32(p + 4, lens[i]);
		CHECK_EQ(proto_decode(&h, p, &m), PROTO_E_SHORT);
	}
	proto_st32(p + 4, 4);
	CHECK_EQ(proto_decode(&h, p, &m), PROTO_OK);
	CHECK_EQ(m.str[0].len, 4);
	CHECK(m.str[0].p == p + 8);
}

static void test_status_rules(void)
{
	uint8_t p[4] = {0};
	struct proto_hdr h = {0, PROTO_OP_CLOSE, 0, 1, 5};
	struct proto_msg m;

	CHECK_EQ(proto_decode(&h, p, &m), PROTO_E_STATUS); /* request */
	h.flags = PROTO_F_RESPONSE;
	CHECK_EQ(proto_decode(&h, p, &m), PROTO_OK); /* error reply */
	h.payload_len = 4;
	CHECK_EQ(proto_decode(&h, p, &m), PROTO_E_STATUS); /* with data */
	/* An error reply of an op whose success reply has fields. */
	h.op = PROTO_OP_TELL;
	h.payload_len = 0;
	CHECK_EQ(proto_decode(&h, p, &m), PROTO_OK);
	/* Encoding: a request may not carry a status. */
	uint8_t b[64];
	struct proto_hdr e = {0, PROTO_OP_PING, 0, 1, 3};

	CHECK_EQ(proto_encode(b, sizeof(b), &e, NULL), PROTO_E_STATUS);
	e.flags = PROTO_F_RESPONSE;
	CHECK_EQ(proto_encode(b, sizeof(b), &e, NULL), PROTO_HDR_LEN);
}

static void test_unknown_ops(void)
{
	uint8_t p[1] = {0};
	struct proto_msg m;
	static const uint16_t bad[] = {0,    3,	   0x0f, 0x23, 0x2f,
				       0x39, 0x4e, 0x7f, 0x80, 0xffff};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct proto_hdr h = {0, bad[i], 0, 1, 0};
		uint8_t b[64];

		CHECK(proto_format(bad[i], false) == NULL);
		CHECK_EQ(proto_decode(&h, p, &m), PROTO_E_OP);
		CHECK_EQ(proto_encode(b, sizeof(b), &h, &m), PROTO_E_OP);
	}
}

static void test_encoder_refusals(void)
{
	uint8_t b[128];
	struct proto_hdr h = {0, PROTO_OP_SEEK, 0, 1, 0};
	struct proto_msg m;

	/* SEEK is "wqb": a whence of 256 does not fit its byte. */
	memset(&m, 0, sizeof(m));
	m.val[0] = 1;
	m.val[1] = 2;
	m.val[2] = 256;
	m.nval = 3;
	CHECK_EQ(proto_encode(b, sizeof(b), &h, &m), PROTO_E_FORMAT);
	m.val[2] = 255;
	CHECK_EQ(proto_encode(b, sizeof(b), &h, &m), PROTO_HDR_LEN + 13);
	m.val[0] = 1ull << 32; /* handle wider than u32 */
	CHECK_EQ(proto_encode(b, sizeof(b), &h, &m), PROTO_E_FORMAT);
	m.val[0] = 1;
	m.nval = 2; /* too few numbers */
	CHECK_EQ(proto_encode(b, sizeof(b), &h, &m), PROTO_E_FORMAT);
	m.nval = 3;
	m.nstr = 1; /* a string SEEK has no room for */
	CHECK_EQ(proto_encode(b, sizeof(b), &h, &m), PROTO_E_FORMAT);
	h.flags = 0x8000;
	m.nstr = 0;
	CHECK_EQ(proto_encode(b, sizeof(b), &h, &m), PROTO_E_FLAGS);
	h.flags = 0;
	CHECK_EQ(proto_encode(b, sizeof(b), &h, NULL), PROTO_E_FORMAT);
}

static void test_io_max(void)
{
	static const uint32_t frames[] = {PROTO_FRAME_MIN, PROTO_FRAME_DEFAULT,
					  PROTO_FRAME_MAX};

	for (size_t i = 0; i < 3; i++) {
		uint32_t mf = frames[i], io = proto_io_max(mf);
		uint8_t *buf = calloc(1, mf + 64), *data = calloc(1, io + 16);
		static const uint16_t ops[] = {PROTO_OP_WRITE, PROTO_OP_PWRITE};

		for (size_t k = 0; k < 2; k++) {
			struct proto_hdr h = {0, ops[k], 0, 1, 0}, g;
			struct proto_msg m;

			memset(&m, 0, sizeof(m));
			m.nval = ops[k] == PROTO_OP_WRITE ? 1 : 2;
			m.str[0].p = data;
			m.str[0].len = io;
			m.nstr = 1;
			int64_t n = proto_encode(buf, mf + 64, &h, &m);

			CHECK(n > 0 && n <= (int64_t)mf);
			CHECK_EQ(proto_decode_hdr(buf, (size_t)n, mf, &g),
				 PROTO_OK);
			m.str[0].len = io + 1 + 8; /* PWRITE's slack, and 1 */
			n = proto_encode(buf, mf + 64, &h, &m);
			CHECK(n > (int64_t)mf);
			CHECK_EQ(proto_decode_hdr(buf, (size_t)n, mf, &g),
				 PROTO_E_LONG);
		}
		/* A READ reply of io bytes fits too. */
		CHECK(PROTO_HDR_LEN + 4 + io <= mf);
		free(buf);
		free(data);
	}
}

static void test_cursors(void)
{
	uint8_t b[32];
	struct proto_put w;
	struct proto_cur c;

	proto_put_init(&w, b, sizeof(b));
	proto_put_u32(&w, 2);
	proto_put_str(&w, "ab", 2);
	proto_put_u64(&w, 0x1122334455667788ull);
	proto_put_u8(&w, 9);
	CHECK(!w.bad);
	CHECK_EQ(w.off, 4 + 6 + 8 + 1);
	proto_cur_init(&c, b, w.off);
	CHECK_EQ(proto_get_u32(&c), 2);
	struct proto_str s = proto_get_str(&c);

	CHECK(s.len == 2 && memcmp(s.p, "ab", 2) == 0);
	CHECK(proto_get_u64(&c) == 0x1122334455667788ull);
	CHECK_EQ(proto_get_u8(&c), 9);
	CHECK(proto_cur_done(&c));
	/* Reading on past the end: zeroes and the bad flag. */
	CHECK_EQ(proto_get_u32(&c), 0);
	CHECK(c.bad && !proto_cur_done(&c));
	/* A string whose length overruns. */
	proto_cur_init(&c, b, 7); /* u32 2, then a length cut short */
	proto_get_u32(&c);
	s = proto_get_str(&c);
	CHECK(c.bad && s.p == NULL && s.len == 0);
	/* Leftover bytes are not "done". */
	proto_cur_init(&c, b, 5);
	proto_get_u32(&c);
	CHECK(!proto_cur_done(&c));
	/* Writing past the end sets bad and never overruns. */
	uint8_t small[6];

	proto_put_init(&w, small, sizeof(small));
	proto_put_u32(&w, 1);
	proto_put_u32(&w, 2);
	CHECK(w.bad);
	CHECK_EQ(w.off, 4);
	proto_put_init(&w, small, sizeof(small));
	proto_put_str(&w, "abcdef", 6);
	CHECK(w.bad);
}

static void test_preopen_list(void)
{
	uint8_t b[128];
	struct proto_put w;
	struct proto_cur c;
	struct proto_preopen in = {7,
				   0x1234,
				   0x5678,
				   PROTO_PREOPEN_RO,
				   {(const uint8_t *)"/data", 5}},
			     out;

	proto_put_init(&w, b, sizeof(b));
	proto_put_u32(&w, 1);
	proto_put_preopen(&w, &in);
	CHECK(!w.bad);
	CHECK_EQ(w.off, 4 + 4 + 8 + 8 + 1 + 4 + 5);
	proto_cur_init(&c, b, w.off);
	CHECK_EQ(proto_get_u32(&c), 1);
	CHECK(proto_get_preopen(&c, &out));
	CHECK(proto_cur_done(&c));
	CHECK_EQ(out.handle, 7);
	CHECK(out.rights_base == 0x1234 && out.rights_inheriting == 0x5678);
	CHECK_EQ(out.flags, PROTO_PREOPEN_RO);
	CHECK(out.path.len == 5 && memcmp(out.path.p, "/data", 5) == 0);
	/* Every truncation of the entry fails cleanly. */
	for (uint32_t n = 4; n < w.off; n++) {
		proto_cur_init(&c, b, n);
		proto_get_u32(&c);
		CHECK(!proto_get_preopen(&c, &out));
	}
}

static void test_wasi_values(void)
{
	/* Spot checks against the WASI preview 1 ABI. */
	CHECK_EQ(PROTO_WASI_ENOENT, 44);
	CHECK_EQ(PROTO_WASI_EROFS, 69);
	CHECK_EQ(PROTO_WASI_ENOTCAPABLE, 76);
	CHECK_EQ(PROTO_R_FD_READ, 1 << 1);
	CHECK_EQ(PROTO_R_SOCK_ACCEPT, 1 << 29);
	CHECK_EQ(PROTO_DIRENT_LEN, 24);
}

int main(void)
{
	th_run("header layout and limits", test_header);
	th_run("every op: round trips, truncations, over-long", test_every_op);
	th_run("string lengths that overrun", test_string_lengths);
	th_run("status rules", test_status_rules);
	th_run("unknown ops", test_unknown_ops);
	th_run("encoder refusals", test_encoder_refusals);
	th_run("io_max fits the frame", test_io_max);
	th_run("list cursors", test_cursors);
	th_run("HELLO preopen list entries", test_preopen_list);
	th_run("WASI values", test_wasi_values);
	return th_report();
}
