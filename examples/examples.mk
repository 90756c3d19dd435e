# examples/*.c -> build/examples/*.wasm with clang-19 and Debian's wasi-libc.
# Debian's wasi-libc knows the wasm32-wasi triple, not wasm32-wasip1.
EXAMPLES_SRC := $(wildcard examples/*.c)
EXAMPLES_WASM := $(EXAMPLES_SRC:examples/%.c=$(B)/examples/%.wasm)
EXAMPLES_CFLAGS := -O2 -Wall -Wextra -Werror

ALL += $(EXAMPLES_WASM)

# DEPFLAGS: some include examples/*.h (wasmedge_sock.h).
$(B)/examples/%.wasm: examples/%.c examples/examples.mk
	@mkdir -p $(@D)
	$(WASM_CC) $(EXAMPLES_CFLAGS) $(DEPFLAGS) -o $@ $<
