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

# Dependencies that timestamps alone miss:
# - Headers: every compile writes a .d file beside its output, read at the
#   end of this file.  One source per object: DEPFLAGS.  Several sources
#   compiled and linked in one clang run: cc_prog, since clang's -MMD then
#   keeps only the last source's list.
# - Flags and source lists: $(call stamp,NAME,TEXT) is a file holding TEXT,
#   rewritten (so newer) only when TEXT changes; a target that depends on
#   the stamp of its flags, or of its list of objects, is rebuilt when a
#   -D is added or a source removed.
DEPFLAGS := -MMD -MP
comma := ,
STAMPS := $(B)/stamps
stamp = $(STAMPS)/$(1)$(shell mkdir -p $(STAMPS) && printf '%s\n' '$(2)' | \
	cmp -s - $(STAMPS)/$(1) || printf '%s\n' '$(2)' >$(STAMPS)/$(1))
# $(call cc_prog,FLAGS,SOURCES[,LIBS]) in a recipe: build $@ from SOURCES,
# then record in $@.d every header they include.
cc_prog = $(CC) $(1) -o $@ $(2) $(3) && $(CC) $(1) -MM -MP -MT $@ $(2) >$@.d

# Fragments are read in this sorted order.  A rule that needs a variable
# of a later fragment (bench/ needs guest/'s GUEST_IMAGE_INPUTS) writes it
# $$(VAR) among its prerequisites: their second expansion comes after
# every fragment is read.  (No other prerequisite holds a literal $, so
# the second pass leaves them as they are.)
.SECONDEXPANSION:
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

# Every .d file under the build tree (not the third-party sources).
-include $(shell find $(B) -name '*.d' -not -path '$(B)/src/*' 2>/dev/null)
