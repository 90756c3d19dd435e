/*
 * setup.c - bring-up, from the PVH entry (entry.S) to the program.  Each
 * step is essential: a failure ends the VM with MEWZ_EXIT_PANIC.
 */
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "../../arch/x86_64/arch.h"
#include "../../arch/x86_64/cpu.h"
#include "kvm.h"
#include "layout.h"

static struct bootinfo bootinfo;

/* hostlink.c */
void hostlink_start(void);

/* guest/net (liblwip.a): link.sh links it into images whose program
 * imports sockets; weak, so every other image links without it. */
extern int net_lwip_start(const char *ip, const char *dns)
    __attribute__((weak));

/* net=lwip: virtio-net + lwIP serve the sockets (after DHCP, if used). */
static void net_start(void)
{
	if (!args_net_lwip())
		return;
	if (!net_lwip_start)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "net=lwip, but the program imports no sockets "
			   "(lwIP is not linked in)");
	net_lwip_start(args_ip(), args_dns());
}

/* On the big stack: hand over to the platform-neutral runtime. */
static _Noreturn void kvm_main(void)
{
	mewz_runtime_init();
	/* mewz-host over virtio-vsock (preopens, net=host sockets), when the
	 * command line says the VM has it: other boots skip the device scan. */
	if (args_hostlink())
		hostlink_start();
	net_start();
	__wasm_memory_base = (uint8_t *)(uintptr_t)LINEAR_BASE;
	mewz_runtime_run();
}

_Noreturn void kvm_boot(uint32_t start_info_pa);
_Noreturn void kvm_boot(uint32_t start_info_pa)
{
	/* AVX for the program, if the CPU has it (SSE is on since entry.S).
	 * First, because enabling it changes the CPU state QEMU's TCG keys
	 * its translations on: code run before would be translated twice. */
	arch_cpu_init();
	/* Serial console next, so every later failure can be reported. */
	console_init();
	/* Exceptions land on known stacks from here on. */
	arch_desc_init();
	/* RAM ranges and the command line from PVH start_info. */
	if (pvh_parse(start_info_pa, &bootinfo) < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "not booted through PVH (no hvm_start_info)");
	/* argv, environment, options (the stack size among them). */
	args_init(bootinfo.cmdline);
	/* Frames, page tables, lazily committed regions. */
	mem_init(&bootinfo, args_stack_bytes());
	/* PICs masked, TSC origin; rate and RTC are measured on first use. */
	clock_init();
	/* virtio devices on MMIO and PCI (only when a driver or `devices` wants
	 * them). */
	if (args_list_devices())
		devices_probe();
	/* The watchdog if asked for (this sets up the LAPIC timer now). */
	if (args_watchdog_s())
		watchdog_arm(mewz_plat_monotonic_ns() +
			     args_watchdog_s() * 1000000000ull);
	sti();
	/* The stack with the guard below it; never returns. */
	arch_run_on_stack(mem_stack_top(), kvm_main);
}
