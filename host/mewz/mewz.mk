# host/mewz: the `mewz` front-end -> $(B)/bin/mewz.  Its tests are the
# `native` suite (tests/native), which drives it end to end.
MEWZFE_SRC := $(wildcard host/mewz/*.c)
MEWZFE_HDRS := $(wildcard host/mewz/*.h) compiler/include/mewz/abi.h

ALL += $(B)/bin/mewz

$(B)/bin/mewz: $(MEWZFE_SRC) $(MEWZFE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ihost/mewz -Icompiler/include -o $@ $(MEWZFE_SRC)
