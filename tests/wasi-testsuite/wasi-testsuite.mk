# tests/wasi-testsuite: mewz.py, the adapter for WebAssembly/wasi-testsuite's
# runner; suite wasi-testsuite-adapter checks it with tests/wasi-fs's
# conformance programs, natively and in a VM.
SUITES += wasi-testsuite-adapter

.PHONY: suite-wasi-testsuite-adapter
suite-wasi-testsuite-adapter: $(WASIFS_OUT)/conf_exit.wasm $(WASIFS_OUT)/conf_misc.wasm \
		$(WASIFS_OUT)/conf_fd.wasm $(B)/bin/mewz $(B)/bin/mewzc \
		$(B)/guest/linux/libmewz-linux.a $(B)/host/mewz-host $(GUEST_IMAGE_INPUTS)
	@# mewz finds its compiler, runtime and daemon beside itself, as a
	@# user's would; the runner works in its own directory.
	@MEWZ_CACHE_DIR=$(abspath $(B)/tests/wasi-testsuite/cache) \
		tests/wasi-testsuite/run.sh $(B)/bin/mewz $(WASIFS_OUT) $(B)/tests/wasi-testsuite/work
