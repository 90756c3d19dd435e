# bench/boot: boot time of hello against a minimal PVH kernel (run.sh).
#   make bench-boot [BENCH_BOOT_RUNS=N]
# hello is examples/hello.c -> hello.wasm -> mewzc -> link.sh, the image
# `mewz run` boots (built by tests/guest/guest.mk).
BENCHB_OUT := $(B)/bench/boot
BENCH_BOOT_RUNS ?= 41

$(BENCHB_OUT)/minimal.elf: bench/boot/minimal.S bench/boot/minimal.ld
	@mkdir -p $(@D)
	$(CC) --target=x86_64-unknown-elf -c -o $(BENCHB_OUT)/minimal.o bench/boot/minimal.S
	ld.lld-19 -nostdlib -static -T bench/boot/minimal.ld -z max-page-size=4096 -o $@ $(BENCHB_OUT)/minimal.o

.PHONY: bench-boot
bench-boot: $(BENCHB_OUT)/minimal.elf $(B)/tests/guest/example-hello.elf
	@bench/boot/run.sh $(B)/tests/guest/example-hello.elf $(BENCHB_OUT)/minimal.elf $(BENCH_BOOT_RUNS)

bench: bench-boot
