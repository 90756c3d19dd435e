/*
 * provides.c - the imports this runtime provides, with signatures, as data
 * in section .mewz.provides of libmewz-guest.a: pairs of NUL-terminated
 * strings "module.field", "signature" (the layout of abi.h's imports
 * section), generated from guest/wasi/imports.def.  `mewz` reads it from
 * the archive to check a program before linking, exactly as for
 * libmewz-linux.a.  Nothing references this object, so it never reaches
 * an image.
 */
#define X(module, field, sig) #module "." #field "\0" sig "\0"
__attribute__((used, section(".mewz.provides")))
const char mewz_guest_provides[] =
#include "../../wasi/imports.def"
    ;
#undef X
