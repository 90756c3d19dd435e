# host/daemon: mewz-host, the file-serving daemon (libuv).
# (proto/ is named literally: its fragment is included after this one.)
#   $(B)/host/mewz-host       the daemon (-O2)
#   $(B)/host/mewz-host-san   the same under ASan+UBSan, used by tests/host
#   $(B)/host/mewz-host-tsan  the same under TSan (thread pool vs. loop)
# tests/host/host.mk builds the fuzz target from the same sources minus
# main.c.
DAEMON_SRC := $(filter-out host/daemon/main.c,$(wildcard host/daemon/*.c)) proto/proto.c
DAEMON_HDR := $(wildcard host/daemon/*.h) proto/proto.h
DAEMON_INC := -Ihost/daemon -Iproto
DAEMON_LIBS := -luv -lpthread

# Rebuilt when a source is added or removed, or the flags change.
DAEMON_STAMP := $(call stamp,daemon,$(CC) $(HOST_CFLAGS) $(DAEMON_INC) | $(SAN_FLAGS) | \
	$(DAEMON_SRC) $(DAEMON_LIBS))

ALL += $(B)/host/mewz-host $(B)/host/mewz-host-san $(B)/host/mewz-host-tsan

$(B)/host/mewz-host: host/daemon/main.c $(DAEMON_SRC) $(DAEMON_HDR) $(DAEMON_STAMP)
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(DAEMON_INC),host/daemon/main.c $(DAEMON_SRC),$(DAEMON_LIBS))

$(B)/host/mewz-host-san: host/daemon/main.c $(DAEMON_SRC) $(DAEMON_HDR) $(DAEMON_STAMP)
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) $(SAN_FLAGS) $(DAEMON_INC),host/daemon/main.c $(DAEMON_SRC),$(DAEMON_LIBS))

$(B)/host/mewz-host-tsan: host/daemon/main.c $(DAEMON_SRC) $(DAEMON_HDR) $(DAEMON_STAMP)
	@mkdir -p $(@D)
	$(call cc_prog,$(HOST_CFLAGS) -fsanitize=thread $(DAEMON_INC),host/daemon/main.c $(DAEMON_SRC),$(DAEMON_LIBS))
