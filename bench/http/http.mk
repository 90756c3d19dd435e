# bench/http: wrk against the hello server (tests/net/progs/server.c in its
# HTTP mode) in net=lwip and net=host, beside the same C compiled natively.
#   make bench-http [BENCH_HTTP_SECS=10] [BENCH_HTTP_CONNS=32] [BENCH_HTTP_ROUNDS=3]
# Run by `make bench`.  Not in ALL or SUITES.
BENCHH_OUT := $(B)/bench/http
BENCH_HTTP_SECS ?= 10
BENCH_HTTP_CONNS ?= 32
BENCH_HTTP_ROUNDS ?= 3

$(BENCHH_OUT)/server-native: tests/net/progs/server.c tests/net/progs/we_sock.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 $(WARN) -o $@ $<

.PHONY: bench-http
# $$: guest.mk, read after this fragment, defines GUEST_IMAGE_INPUTS.
bench-http: $(BENCHH_OUT)/server-native $(B)/tests/net/server.wasm $(B)/bin/mewz \
		$(B)/host/mewz-host $$(GUEST_IMAGE_INPUTS) $(B)/guest/liblwip.a \
		$(B)/guest/linux/libmewz-linux.a
	@bench/http/run.sh $(BENCHH_OUT) $(B)/tests/net/server.wasm $(BENCH_HTTP_SECS) $(BENCH_HTTP_CONNS) \
		$(BENCH_HTTP_ROUNDS)

bench: bench-http
ifneq ($(filter bench,$(MAKECMDGOALS)),)
bench-http: | bench-compile bench-boot
endif
