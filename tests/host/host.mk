# tests/host: the hostcall codec and mewz-host, all under ASan+UBSan.
#   proto-unit    the codec alone
#   host-unit     the daemon's errno table, handle table and path helpers
#   host-session  a session in process: job cap, backpressure, teardown
#   host-fs       every file op and its errors, over AF_UNIX, against a
#                 daemon started for the run
#   host-escape   the confinement corpus
#   host-hostile  random and malformed frames while a good client is served
#   host-fs-tsan, host-hostile-tsan
#                 host-fs and host-hostile against the TSan daemon (the
#                 thread pool against the loop); any report fails them
#   host-corpus   every file of tests/host/corpus replayed through the fuzz
#                 targets (seeds, and each crash a fuzzer ever found)
# Fuzz targets: fuzz-proto (codec), fuzz-host (the daemon's request path,
# in process); `make fuzz-proto FUZZ_SECONDS=60`.
TH_OUT := $(B)/tests/host
TH_CFLAGS := $(HOST_CFLAGS) $(SAN_FLAGS) -Iproto -Itests/host
TH_COMMON := tests/host/th.c tests/host/tc.c proto/proto.c
TH_HDRS := tests/host/th.h tests/host/tc.h proto/proto.h
TH_DAEMON := $(B)/host/mewz-host-san
FUZZ_SECONDS ?= 60

ALL += $(TH_OUT)/proto_unit $(TH_OUT)/host_unit $(TH_OUT)/host_session \
	$(TH_OUT)/host_fs $(TH_OUT)/host_escape \
	$(TH_OUT)/host_hostile
SUITES += proto-unit host-unit host-session host-fs host-escape host-hostile host-corpus \
	host-fs-tsan host-hostile-tsan
FUZZ += fuzz-proto fuzz-host

$(TH_OUT)/proto_unit: tests/host/proto_unit.c $(TH_COMMON) $(TH_HDRS) tests/host/host.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(TH_CFLAGS),tests/host/proto_unit.c $(TH_COMMON))

$(TH_OUT)/host_unit: tests/host/host_unit.c $(TH_COMMON) $(TH_HDRS) \
		$(wildcard host/daemon/*.h) host/daemon/errno_map.c \
		host/daemon/handles.c host/daemon/resolve.c host/daemon/fs.c \
		$(wildcard host/daemon/fs_*.c) tests/host/host.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(TH_CFLAGS) -Ihost/daemon,tests/host/host_unit.c \
		$(TH_COMMON) host/daemon/errno_map.c host/daemon/handles.c \
		host/daemon/resolve.c host/daemon/fs.c $(wildcard host/daemon/fs_*.c))

$(TH_OUT)/host_session: tests/host/host_session.c $(TH_COMMON) $(TH_HDRS) \
		$(wildcard host/daemon/*.c host/daemon/*.h) tests/host/host.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(TH_CFLAGS) -Ihost/daemon,tests/host/host_session.c \
		$(TH_COMMON) $(DAEMON_LIB_SRC),-luv -lpthread)

$(TH_OUT)/host_%: tests/host/host_%.c $(TH_COMMON) $(TH_HDRS) tests/host/host.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(TH_CFLAGS),$< $(TH_COMMON),-lpthread)

.PHONY: suite-host-unit suite-host-session
suite-host-unit: $(TH_OUT)/host_unit
	@$<

suite-host-session: $(TH_OUT)/host_session
	@$<

.PHONY: suite-proto-unit suite-host-fs suite-host-escape suite-host-hostile
suite-proto-unit: $(TH_OUT)/proto_unit
	@$<

suite-host-fs suite-host-escape suite-host-hostile: suite-host-%: $(TH_OUT)/host_% $(TH_DAEMON)
	@timeout 600 $(TH_OUT)/host_$(subst -,_,$*) $(TH_DAEMON)

# Fuzz targets: ASan+UBSan+libFuzzer, run for $(FUZZ_SECONDS) seconds each
# on a corpus under $(TH_OUT) seeded from tests/host/corpus.
TH_FUZZ_FLAGS := $(HOST_CFLAGS) -fsanitize=fuzzer,address,undefined -Iproto -Ihost/daemon
DAEMON_LIB_SRC = $(filter-out host/daemon/main.c,$(wildcard host/daemon/*.c))

$(TH_OUT)/fuzz_proto: tests/host/fuzz_proto.c proto/proto.c proto/proto.h tests/host/host.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(TH_FUZZ_FLAGS),tests/host/fuzz_proto.c proto/proto.c)

$(TH_OUT)/fuzz_host: tests/host/fuzz_host.c proto/proto.c proto/proto.h $(wildcard host/daemon/*.c host/daemon/*.h) \
		tests/host/host.mk
	@mkdir -p $(@D)
	$(call cc_prog,$(TH_FUZZ_FLAGS),tests/host/fuzz_host.c proto/proto.c $(DAEMON_LIB_SRC),-luv -lpthread)

.PHONY: fuzz-proto fuzz-host
fuzz-proto fuzz-host: fuzz-%: $(TH_OUT)/fuzz_%
	@mkdir -p $(TH_OUT)/corpus-$*
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		$(TH_OUT)/corpus-$* tests/host/corpus/$*

.PHONY: suite-host-fs-tsan suite-host-hostile-tsan
suite-host-fs-tsan suite-host-hostile-tsan: suite-host-%-tsan: $(TH_OUT)/host_% $(B)/host/mewz-host-tsan
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" timeout 600 \
		$(TH_OUT)/host_$(subst -,_,$*) $(B)/host/mewz-host-tsan

.PHONY: suite-host-corpus
suite-host-corpus: $(TH_OUT)/fuzz_proto $(TH_OUT)/fuzz_host
	@tests/host/replay.sh $(TH_OUT) tests/host/corpus
