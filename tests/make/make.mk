# Suite `make-deps`: the build's own dependency tracking (tests/make/deps.sh):
# header lists (.d) for every object and program, flag and source-list
# stamps, and image rules that depend on all link.sh reads.  It asks make
# what it would do (-n -W FILE) and builds nothing.
SUITES += make-deps

.PHONY: suite-make-deps
suite-make-deps: all $(B)/host/mewz/test_mewz $(B)/guest/linux/test_rt $(B)/tests/native/mewz-san
	@tests/make/deps.sh $(B) $(B)/tests/make
