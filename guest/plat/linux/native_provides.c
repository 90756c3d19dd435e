/*
 * native_provides.c - the list of imports this runtime provides, with
 * their signatures, as data in section .mewz.provides of the runtime
 * archive: pairs of NUL-terminated strings "module.field", "signature"
 * (the layout of abi.h's MEWZ_IMPORTS_SECTION).  `mewz` reads it from the
 * archive to check a program's imports before linking, so the host never
 * includes guest headers and the list has one source, guest/wasi's
 * imports.def.  Nothing references this object: it never reaches a
 * linked program.
 */
#define X(module, field, sig) #module "." #field "\0" sig "\0"
__attribute__((used, section(".mewz.provides"))) const char mewz_linux_provides[] =
#include "imports.def"
	;
#undef X
