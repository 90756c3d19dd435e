/*
 * membase.c - where the linear memory is and how big it is now (abi.h:
 * provided by the runtime).  Alone in its file so a platform that keeps
 * its own definitions links the rest of the archive without a clash.
 */
#include <stdint.h>

uint8_t *__wasm_memory_base;
uint64_t __wasm_memory_size;
