# Mewz: top-level build.
#   make deps   install every Debian package the build, tests and benchmarks need
#   make        build everything
#   make test   run every test suite (each ends with "N passed, N failed")
#   make run    build and run the built-in example end to end
#   make bench  run the benchmarks (ratios against peers measured in the same run)
#   make fuzz   run each fuzz target for a bounded time
#
# Each component adds itself through a fragment, <dir>/*.mk or
# <dir>/<sub>/*.mk: build targets go into ALL, test suites into SUITES (a
# suite NAME is run by the phony target suite-NAME), fuzz targets into FUZZ.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

B := build
CC := clang-19
LLVM_CONFIG := llvm-config-19
WARN := -Wall -Wextra -Wstrict-prototypes -Werror
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN)
# Host-side tests are also built and run with these.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
WASM_CC := clang-19 --target=wasm32-wasi
NPROC := $(shell nproc)

ALL :=
SUITES :=
FUZZ :=

include $(sort $(wildcard */*.mk */*/*.mk))

.PHONY: all test run bench fuzz deps clean format
all: $(ALL)

fuzz: $(FUZZ)

test: all
	@tests/run-suites.sh $(SUITES)

deps:
	@scripts/deps.sh

clean:
	rm -rf $(B)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
