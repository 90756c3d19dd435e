/*
 * Suite host-hostile: hostile clients send random bytes, malformed and
 * truncated frames, random well-formed requests, floods they never read
 * the answers to, and hang up mid-frame, while a good client on its own
 * thread keeps checking that it is served correctly.  The daemon must
 * stay up, answer the good client every time, and exit cleanly (no
 * sanitizer report) at the end.  The random stream is seeded, so a
 * failure can be replayed.  argv[1] is the daemon binary.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tc.h"
#include "th.h"

#define GOOD_LEN 100000

static struct th_env env;
static uint8_t good_data[GOOD_LEN];
static atomic_int stop_good;
static atomic_int good_ok, good_bad;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

/* The good client: HELLO once, then PING and a whole-file read and
 * compare, over and over, until told to stop. */
static void *good_client(void *arg)
{
	struct tc c;
	static uint8_t back[GOOD_LEN + 1];
	size_t n;

	(void)arg;
	if (tc_open_session(&c, env.sock, 65536) != 0) {
		atomic_fetch_add(&good_bad, 1);
		return NULL;
	}
	while (!atomic_load(&stop_good)) {
		bool ok = tc_call(&c, PROTO_OP_PING, NULL, NULL) == 0;

		ok = ok && tc_slurp(&c, c.pre[1].handle, "known.bin",
				    (char *)back, sizeof(back), &n) == 0;
		ok = ok && n == GOOD_LEN && memcmp(back, good_data, n) == 0;
		atomic_fetch_add(ok ? &good_ok : &good_bad, 1);
		if (!ok)
			break;
	}
	tc_close(&c);
	return NULL;
}

static int good_checkpoint(void)
{
	/* Wait (bounded) until the good client has completed one more
	 * round: proof it is being served now, not just earlier. */
	int start = atomic_load(&good_ok);

	for (int i = 0; i < 3000 && atomic_load(&good_bad) == 0; i++) {
		if (atomic_load(&good_ok) > start)
			return 0;
		struct timespec ts = {0, 10000000};

		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Sends without blocking: a paused daemon must not hang the test. */
static void send_some(struct tc *c, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len > 0) {
		ssize_t n = send(c->fd, b, len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0)
			return;
		b += n;
		len -= (size_t)n;
	}
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

static const char alphabet[] = "ab./\0x";

static void rnd_path(char *p, uint32_t *len)
{
	*len = rnd_below(24);
	for (uint32_t i = 0; i < *len; i++)
		p[i] = alphabet[rnd_below(sizeof(alphabet) - 1)];
}

/* A well-formed request of a random op with random fields. */
static size_t rnd_request(uint8_t *out, size_t cap)
{
	static const uint16_t ops[] = {
#define X(name, code, req, resp) code,
	    PROTO_OPS(X)
#undef X
		0x7e,
	    0x40};
	uint16_t op = ops[rnd_below(sizeof(ops) / sizeof(ops[0]))];
	const char *fmt = proto_format(op, false);
	static char paths[3][32];
	struct proto_msg m;
	struct proto_hdr h = {0, op, 0, (uint32_t)rnd(), 0};

	memset(&m, 0, sizeof(m));
	for (; fmt && *fmt; fmt++) {
		uint64_t v = rnd();

		switch (*fmt) {
		case 'b':
			m.val[m.nval++] = v & 0xff;
			break;
		case 'h':
			m.val[m.nval++] = v & 0xffff;
			break;
		case 'w':
			/* Mostly small: handles and lengths that exist. */
			m.val[m.nval++] =
			    rnd_below(4) ? v % 12 : v & 0xffffffff;
			break;
		case 'q':
			m.val[m.nval++] = rnd_below(4) ? v % 70000 : v;
			break;
		case 's':
			rnd_path(paths[m.nstr], &m.str[m.nstr].len);
			m.str[m.nstr].p = (const uint8_t *)paths[m.nstr];
			m.nstr++;
			break;
		}
	}
	if (fmt == NULL) { /* unknown op: a random payload */
		h.payload_len = rnd_below(32);
		proto_encode_hdr(out, &h);
		rnd_bytes(out + PROTO_HDR_LEN, h.payload_len);
		return PROTO_HDR_LEN + h.payload_len;
	}
	int64_t n = proto_encode(out, cap, &h, &m);

	return n > 0 ? (size_t)n : 0;
}

static void hello(struct tc *c)
{
	struct proto_msg in = tc_msg(TC_V(PROTO_VERSION, 0, 65536), TC_S0);
	struct proto_msg out;

	tc_call(c, PROTO_OP_HELLO, &in, &out);
}

/* One hostile connection of the given kind. */
static void hostile_round(int kind)
{
	static uint8_t buf[1 << 16];
	struct tc c;
	struct proto_hdr h;
	size_t n;

	if (tc_connect(&c, env.sock) != 0) {
		CHECK(!"connect failed");
		return;
	}
	switch (kind) {
	case 0: /* random bytes */
		n = 1 + rnd_below(4096);
		rnd_bytes(buf, n);
		send_some(&c, buf, n);
		break;
	case 1: /* random header, random payload */
		h = (struct proto_hdr){rnd_below(4096), (uint16_t)rnd(),
				       (uint16_t)(rnd_below(3) ? 0 : rnd()),
				       (uint32_t)rnd(), (uint32_t)rnd()};
		proto_encode_hdr(buf, &h);
		rnd_bytes(buf + PROTO_HDR_LEN, h.payload_len);
		send_some(&c, buf, PROTO_HDR_LEN + h.payload_len);
		break;
	case 2: /* HELLO, then many random well-formed requests */
		hello(&c);
		for (int i = 0; i < 200; i++) {
			n = rnd_request(buf, sizeof(buf));
			send_some(&c, buf, n);
		}
		break;
	case 3: /* a frame cut short, then hang up */
		hello(&c);
		h = (struct proto_hdr){1000, PROTO_OP_WRITE, 0, 1, 0};
		proto_encode_hdr(buf, &h);
		send_some(&c, buf, PROTO_HDR_LEN + 10);
		break;
	case 4: /* a length above the frame limit: dropped */
		h = (struct proto_hdr){0x7fffffff, PROTO_OP_READ, 0, 1, 0};
		proto_encode_hdr(buf, &h);
		send_some(&c, buf, PROTO_HDR_LEN);
		CHECK(tc_wait_eof(&c));
		break;
	case 5: { /* a valid exchange dribbled one byte at a time */
		struct proto_msg in = tc_msg(TC_V(PROTO_VERSION, 0, 65536),
					     TC_S0),
				 out;
		struct proto_hdr hh = {0, PROTO_OP_HELLO, 0, 42, 0}, rh;
		int64_t len = proto_encode(buf, sizeof(buf), &hh, &in);

		for (int64_t i = 0; i < len; i++)
			send_some(&c, buf + i, 1);
		CHECK(tc_recv(&c, &rh, &out) == 0 && rh.id == 42 &&
		      rh.status == 0);
		break;
	}
	case 6: { /* a flood of 1 MiB reads nobody reads back */
		hello(&c);
		struct proto_msg in;
		struct proto_hdr hh = {0, PROTO_OP_PREAD, 0, 0, 0};

		for (int i = 0; i < 3000; i++) {
			in = tc_msg(TC_V(c.pre[1].handle, 0, 1u << 20), TC_S0);
			hh.id = (uint32_t)i;
			int64_t len = proto_encode(buf, sizeof(buf), &hh, &in);

			send_some(&c, buf, (size_t)len);
		}
		/* The good client must get through while this one is
		 * stalled with replies piling up. */
		CHECK(good_checkpoint() == 0);
		break;
	}
	default: { /* many connections at once, then all gone */
		struct tc many[40];

		for (int i = 0; i < 40; i++) {
			if (tc_connect(&many[i], env.sock) == 0)
				send_some(&many[i], "\x10\0\0\0", 4);
		}
		for (int i = 0; i < 40; i++)
			tc_close(&many[i]);
		break;
	}
	}
	tc_close(&c);
}

static void run_kind(int kind, int rounds)
{
	for (int i = 0; i < rounds; i++)
		hostile_round(kind);
	CHECK(good_checkpoint() == 0);
	CHECK_EQ(atomic_load(&good_bad), 0);
}

static void test_random_bytes(void)
{
	run_kind(0, 200);
}

static void test_random_headers(void)
{
	run_kind(1, 300);
}

static void test_random_requests(void)
{
	run_kind(2, 40);
}

static void test_truncated(void)
{
	run_kind(3, 50);
}

static void test_oversized(void)
{
	run_kind(4, 20);
}

static void test_dribble(void)
{
	run_kind(5, 5);
}

static void test_flood(void)
{
	run_kind(6, 3);
}

static void test_many_conns(void)
{
	run_kind(7, 5);
}

int main(int argc, char **argv)
{
	pthread_t good;
	char p[512];

	if (argc < 2) {
		fprintf(stderr, "usage: host_hostile MEWZ-HOST\n");
		return 2;
	}
	alarm(500);
	signal(SIGPIPE, SIG_IGN);
	if (getenv("HOSTILE_SEED"))
		rng_state = strtoull(getenv("HOSTILE_SEED"), NULL, 0) | 1;
	printf("seed 0x%llx\n", (unsigned long long)rng_state);
	if (th_env_start(&env, argv[1], NULL) != 0) {
		printf("daemon did not start\n0 passed, 1 failed\n");
		th_env_clean(&env);
		return 1;
	}
	rnd_bytes(good_data, sizeof(good_data));
	th_write_file(th_join(p, sizeof(p), env.ro, "known.bin"), good_data,
		      sizeof(good_data));
	pthread_create(&good, NULL, good_client, NULL);
	th_run("random bytes", test_random_bytes);
	th_run("random headers and payloads", test_random_headers);
	th_run("random well-formed requests", test_random_requests);
	th_run("frames cut short", test_truncated);
	th_run("frames above the limit", test_oversized);
	th_run("one byte at a time", test_dribble);
	th_run("flood of unread 1 MiB replies", test_flood);
	th_run("40 connections at once", test_many_conns);
	atomic_store(&stop_good, 1);
	pthread_join(good, NULL);
	printf("  good client: %d rounds served, %d wrong\n",
	       atomic_load(&good_ok), atomic_load(&good_bad));
	th_run_result("good client served every time",
		      atomic_load(&good_bad) == 0 && atomic_load(&good_ok) > 0);
	/* Shut down while a client has a flood of jobs outstanding. */
	struct tc busy;

	if (tc_connect(&busy, env.sock) == 0) {
		hello(&busy);
		for (int i = 0; i < 500; i++) {
			struct proto_msg in =
			    tc_msg(TC_V(busy.pre[1].handle, 0, 60000), TC_S0);

			tc_send(&busy, PROTO_OP_PREAD, (uint32_t)i, &in);
		}
	}
	th_run_result("clean shutdown on SIGTERM with jobs in flight",
		      th_env_stop_daemon(&env) == 0);
	tc_close(&busy);
	th_env_clean(&env);
	return th_report();
}
