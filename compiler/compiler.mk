# compiler/: mewzc and libmewzc.a (decoder, validator, translator).
#   $(B)/compiler/libmewzc.a   every compiler/src/**/*.c except main.c
#   $(B)/bin/mewzc             the command
#   $(B)/bin/mewzc-san         the same under ASan+UBSan, used by tests/mewzc
COMPILER_SRC := $(sort $(wildcard compiler/src/*.c compiler/src/*/*.c))
COMPILER_LIB_SRC := $(filter-out compiler/src/main.c,$(COMPILER_SRC))
COMPILER_LLVM_CFLAGS := $(shell $(LLVM_CONFIG) --cflags)
COMPILER_LLVM_LIBS := $(shell $(LLVM_CONFIG) --ldflags) -lLLVM-19
COMPILER_CFLAGS := $(HOST_CFLAGS) -MMD -MP -Icompiler/src -Icompiler/include \
	$(COMPILER_LLVM_CFLAGS)
COMPILER_OBJ := $(COMPILER_LIB_SRC:compiler/src/%.c=$(B)/compiler/obj/%.o)
COMPILER_SAN_OBJ := $(COMPILER_SRC:compiler/src/%.c=$(B)/compiler/san/%.o)

ALL += $(B)/compiler/libmewzc.a $(B)/bin/mewzc
# Rebuild on a change of flags or of the list of sources (Makefile: stamp).
COMPILER_FLAGS_STAMP := $(call stamp,compiler-flags,$(CC) $(COMPILER_CFLAGS) | $(SAN_FLAGS))
COMPILER_OBJS_STAMP := $(call stamp,compiler-objs,$(COMPILER_SRC))

$(B)/compiler/obj/%.o: compiler/src/%.c $(COMPILER_FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(COMPILER_CFLAGS) -c -o $@ $<

$(B)/compiler/san/%.o: compiler/src/%.c $(COMPILER_FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(COMPILER_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(B)/compiler/libmewzc.a: $(COMPILER_OBJ) $(COMPILER_OBJS_STAMP)
	@mkdir -p $(@D)
	rm -f $@
	llvm-ar-19 rcs $@ $(COMPILER_OBJ)

# Linked beside and renamed into place, so a mewzc that is running (or about
# to be exec'd by a test) is never a half-written file.
$(B)/bin/mewzc: $(B)/compiler/obj/main.o $(B)/compiler/libmewzc.a
	@mkdir -p $(@D)
	$(CC) -o $@.tmp $^ $(COMPILER_LLVM_LIBS) -lpthread -lm
	mv -f $@.tmp $@

$(B)/bin/mewzc-san: $(COMPILER_SAN_OBJ) $(COMPILER_OBJS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $(COMPILER_SAN_OBJ) $(COMPILER_LLVM_LIBS) -lpthread -lm
