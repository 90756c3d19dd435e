/*
 * kvm.h - internals of the QEMU/KVM platform, shared by its files.
 */
#ifndef MEWZ_KVM_H
#define MEWZ_KVM_H

#include <stddef.h>
#include <stdint.h>

/*
 * What the boot protocol told us, in one struct whatever the protocol
 * (only PVH today).  Filled by pvh.c before anything else runs.
 */
#define BOOTINFO_MAGIC	 0x6d65777au /* "mewz" */
#define BOOTINFO_VERSION 1
#define BOOTINFO_MAX_RAM 16

struct bootinfo {
	uint32_t magic;
	uint32_t version;
	uint32_t nr_ram;
	uint32_t pad;
	struct {
		uint64_t start, end; /* [start, end) physical, usable RAM */
	} ram[BOOTINFO_MAX_RAM];
	const char *cmdline; /* NUL-terminated, in low memory, or "" */
};

/* pvh.c: 0, or -1 when start_info is not a PVH start_info. */
int pvh_parse(uint32_t start_info_pa, struct bootinfo *bi);

/* console.c */
void console_init(void);
void console_early_write(const char *s);

/* mem.c */
/* stack_bytes: the stack's size, 0 for the default. */
void mem_init(const struct bootinfo *bi, uint64_t stack_bytes);
uintptr_t mem_stack_top(void);
/* Free RAM in bytes right now (page frames not yet handed out). */
uint64_t mem_free_bytes(void);
void *mem_heap_sbrk(intptr_t incr);
/*
 * len bytes of contiguous RAM, page-aligned and identity-mapped (a device
 * reaches it at its address), never freed, contents undefined; NULL if no
 * range has room.  For drivers' rings and buffers and the hostcall
 * frames, taken when a device is set up instead of sitting in .bss.  What
 * it takes comes off the linear memory's limit, so call it before the
 * program runs.
 */
void *mem_boot_alloc(size_t len);

/* clock.c */
void clock_init(void);
uint64_t clock_tsc_to_ns(uint64_t tsc_delta);
uint64_t clock_tsc_hz(void);

/* timer.c: the LAPIC one-shot timer and the watchdog. */
int timer_ready(void);
void timer_wake_at(uint64_t deadline_ns);
void watchdog_arm(uint64_t deadline_ns);
/* irq.c: device interrupts taken so far (the `devices` option prints it
 * at exit, so tests can tell that a driver's waits end by interrupt). */
uint64_t irq_count(void);

/* The local APIC, for irq.c. */
void lapic_enable(void);
uint32_t lapic_id(void);
void lapic_eoi(void);

/* args.c */
void args_init(const char *cmdline);
uint64_t args_watchdog_s(void);
uint64_t args_stack_bytes(void);
int args_stdin_serial(void);
int args_list_devices(void);
/* hostlink: connect to mewz-host over the vsock device at boot. */
int args_hostlink(void);
/* net=lwip, and its ip= and dns= values (NULL when absent). */
int args_net_lwip(void);
const char *args_ip(void);
const char *args_dns(void);
/* Is fault injection `what` (cmdline.h: inject=) on? */
int args_inject(const char *what);

/* Fault on purpose (fault injection): a store to the unmapped page 0. */
static inline void inject_fault(void)
{
	*(volatile int *)(uintptr_t)8 = 0;
}

/* devices.c: find the virtio devices (both transports), once. */
void devices_probe(void); /* and list them if the `devices` option is on */
struct virtio_dev;
struct virtio_dev *devices_find(uint32_t device_id);

/* exit.c: end the VM with status, writing it to the status channel. */
_Noreturn void exit_raw(int status);
int exit_in_progress(void);

/* symtab.c */
const char *symtab_lookup(uintptr_t pc, uintptr_t *offset);

#endif /* MEWZ_KVM_H */
