# bench/hostcall: what a file call through the hostcall path costs (issue 5,
# point 8): null round trip, 4 KiB random preads, 64 MiB sequential read and
# write in 1 MiB calls and in-guest memcpy, for the same C program as a Linux
# binary, under `mewz run --native --share` and in a VM under
# `mewz run --share`, median of BENCH_HOSTCALL_RUNS rounds.
#   make bench-hostcall [BENCH_HOSTCALL_RUNS=5] [BENCH_HOSTCALL_MIB=64]
#                       [BENCH_ACCEL=kvm|tcg|auto]
# Run by `make bench`.  Not in ALL or SUITES: it never fails `make test`.
BENCHHC_OUT := $(B)/bench/hostcall
BENCH_HOSTCALL_RUNS ?= 5
BENCH_HOSTCALL_MIB ?= 64
BENCH_HOSTCALL_NULLS ?= 2000
BENCH_HOSTCALL_PREADS ?= 2000

$(BENCHHC_OUT)/hostcall_bench.wasm: bench/hostcall/hostcall_bench.c
	@mkdir -p $(@D)
	$(WASM_CC) -O2 -Wall -Wextra -Werror -o $@ $<

$(BENCHHC_OUT)/hostcall_bench-native: bench/hostcall/hostcall_bench.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<

.PHONY: bench-hostcall
# $$: guest.mk, read after this fragment, defines GUEST_IMAGE_INPUTS.
bench-hostcall: $(BENCHHC_OUT)/hostcall_bench.wasm $(BENCHHC_OUT)/hostcall_bench-native \
		$(B)/bin/mewz $(B)/bin/mewzc $(B)/host/mewz-host $(B)/guest/linux/libmewz-linux.a \
		$$(GUEST_IMAGE_INPUTS)
	@MEWZ_MEWZC=$(B)/bin/mewzc MEWZ_LINUX_RUNTIME=$(B)/guest/linux/libmewz-linux.a \
		MEWZ_HOST_DAEMON=$(B)/host/mewz-host MEWZ_CACHE_DIR=$(BENCHHC_OUT)/cache \
		bench/hostcall/run.sh $(BENCHHC_OUT) $(B)/bin/mewz $(BENCHHC_OUT)/hostcall_bench.wasm \
		$(BENCHHC_OUT)/hostcall_bench-native $(BENCH_HOSTCALL_RUNS) $(BENCH_HOSTCALL_MIB) \
		$(BENCH_HOSTCALL_NULLS) $(BENCH_HOSTCALL_PREADS)

bench: bench-hostcall
ifneq ($(filter bench,$(MAKECMDGOALS)),)
bench-hostcall: | bench-http
endif
