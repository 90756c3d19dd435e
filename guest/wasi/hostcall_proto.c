/*
 * hostcall_proto.c - the one codec (proto/proto.c) built into the guest's
 * libraries.  Both guest makefiles take every .c file of guest/wasi, so
 * including the codec here compiles it without copying it and without a build
 * rule of its own.
 */
#include "../../proto/proto.c"
