# bench/compute and bench/compile: `make bench-compute`, `make bench-compile`
# (both run by `make bench`).  Benchmarks, not tests: nothing here is in ALL
# or SUITES, and only the tools' own build failures stop them.
#   BENCH_RUNS=N    timed runs per measurement (default 3)
#   BENCH_SCALE=P   compute work in percent of the ~1 s default (default 100)
#   BENCH_COMPUTE_ARGS=..., BENCH_COMPILE_ARGS=...  extra options for the
#                   run.py of each (see its --help)
BENCH_RUNS ?= 3
BENCH_SCALE ?= 100
BENCH_COMPUTE_ARGS ?=
BENCH_COMPILE_ARGS ?=

# --- compute: kernels built native (gcc), to wasm (clang) and via wasm2c ---
BENCHC_DIR := bench/compute
BENCHC_OUT := $(B)/bench/compute
BENCHC_NAMES := $(basename $(notdir $(wildcard $(BENCHC_DIR)/kernels/*.c)))
BENCHC_CFLAGS := -std=c11 -O2 $(WARN)
BENCHC_NATIVE := $(BENCHC_NAMES:%=$(BENCHC_OUT)/native/%)
BENCHC_WASM := $(BENCHC_NAMES:%=$(BENCHC_OUT)/wasm/%.wasm)
BENCHC_W2C := $(BENCHC_NAMES:%=$(BENCHC_OUT)/wasm2c/%)
BENCHC_RT := $(BENCHC_OUT)/wasm2c/rt
BENCHC_RT_OBJ := $(BENCHC_RT)/wasm-rt-impl.o $(BENCHC_RT)/wasi-shim.o
BENCHC_W2C_DEPS := $(BENCHC_RT_OBJ) $(BENCHC_DIR)/runners/wasm2c-main.c \
	$(BENCHC_DIR)/runners/wasi-shim.h $(BENCHC_DIR)/runners/build-wasm2c.sh

$(BENCHC_OUT)/native/%: $(BENCHC_DIR)/kernels/%.c $(BENCHC_DIR)/kernels/bench.h
	@mkdir -p $(@D)
	gcc $(BENCHC_CFLAGS) -o $@ $< -lm

$(BENCHC_OUT)/wasm/%.wasm: $(BENCHC_DIR)/kernels/%.c $(BENCHC_DIR)/kernels/bench.h
	@mkdir -p $(@D)
	$(WASM_CC) $(BENCHC_CFLAGS) -o $@ $< -lm

# wabt's runtime, with its default guard-page bounds checks (as mewz uses).
$(BENCHC_RT)/wasm-rt-impl.o: /usr/share/wabt/wasm2c/wasm-rt-impl.c
	@mkdir -p $(@D)
	gcc -O2 -w -c -o $@ $<

$(BENCHC_RT)/wasi-shim.o: $(BENCHC_DIR)/runners/wasi-shim.c $(BENCHC_DIR)/runners/wasi-shim.h
	@mkdir -p $(@D)
	gcc -std=c11 -D_GNU_SOURCE -O2 $(WARN) -I/usr/share/wabt/wasm2c -c -o $@ $<

$(BENCHC_OUT)/wasm2c/%: $(BENCHC_OUT)/wasm/%.wasm $(BENCHC_W2C_DEPS)
	$(BENCHC_DIR)/runners/build-wasm2c.sh $< $@ $(BENCHC_RT)

.PHONY: bench-compute bench-compute-build bench-tools
bench-compute-build: $(BENCHC_NATIVE) $(BENCHC_WASM) $(BENCHC_W2C)

# The mewz peer needs mewzc, the front-end and the Linux runtime archive
# (which `mewz` finds beside itself); they are built here (quietly, -k), and
# a failure only makes the mewz column n/a.
BENCH_TOOLS := $(B)/bin/mewzc $(B)/bin/mewz $(B)/guest/linux/libmewz-linux.a
bench-tools:
	@mkdir -p $(B)/bench
	@$(MAKE) --no-print-directory -k $(BENCH_TOOLS) >$(B)/bench/tools.log 2>&1 || \
		echo "bench: some of $(BENCH_TOOLS) did not build (see $(B)/bench/tools.log); the mewz peer may be n/a" >&2

bench-compute: bench-compute-build bench-tools
	python3 $(BENCHC_DIR)/run.py --out $(BENCHC_OUT) --runs $(BENCH_RUNS) \
		--scale $(BENCH_SCALE) $(BENCH_COMPUTE_ARGS)

bench: bench-compute

# --- compile: mewzc time and memory at -j1/-j2 on large modules ------------
BENCHK_OUT := $(B)/bench/compile

$(BENCHK_OUT)/gen-module: bench/compile/gen-module.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ $<

.PHONY: bench-compile
bench-compile: $(BENCHK_OUT)/gen-module bench-tools
	python3 bench/compile/run.py --out $(BENCHK_OUT) --compute-out $(BENCHC_OUT) \
		--runs $(BENCH_RUNS) $(BENCH_COMPILE_ARGS)

bench: bench-compile

# Under `make -j bench` the two must not time each other: compile waits for
# compute (which also builds the Lua module it measures).
ifneq ($(filter bench,$(MAKECMDGOALS)),)
bench-compile: | bench-compute
endif
