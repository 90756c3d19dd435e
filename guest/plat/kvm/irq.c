/*
 * irq.c - device interrupts as wake-ups (mewz/devirq.h), all delivered to
 * VEC_DEVICE on our LAPIC, whose handler only notes that it fired.
 *
 * microvm: with acpi=off (qemu-run.sh) QEMU gives it one IOAPIC and
 * wires virtio-mmio transport n (at 0xfeb00000 + 0x200 * n) to GSI 5 + n.
 * The pin is routed edge-triggered to VEC_DEVICE.  Edge, because the
 * handler does not touch the device: virtio-mmio keeps its line high
 * until the interrupt status is acknowledged (two more exits), and
 * QEMU's IOAPIC delivers an edge pin again each time the device raises
 * it, which is each time it notifies.  (QEMU's own IOAPIC, which microvm
 * uses with its default split irqchip, even under KVM; KVM's in-kernel one
 * would not deliver again while the pin stays high.)  The legacy PIC sees
 * the same line but its output (LINT0) stays masked.
 *
 * q35 and pc (modern virtio-pci): by MSI-X.  The transport has mapped the
 * driver's queues to one table entry (drivers/virtio/pci.c); here that
 * entry gets its message: a write to 0xfee00000 | our APIC ID << 12
 * (physical destination, no redirection hint) of VEC_DEVICE (fixed
 * delivery, edge: a message has no level to keep).  Nothing to
 * acknowledge at the device either.  INTx is not routed: a device
 * without MSI-X, or one that refused the vector, is -ENOTSUP.
 *
 * The handler records the interrupt and ends it at the LAPIC; the
 * waiting driver does the rest.
 */
#include <errno.h>
#include <string.h>

#include <mewz/devirq.h>
#include <mewz/plat.h>

#include "../../arch/x86_64/arch.h"
#include "../../arch/x86_64/cpu.h"
#include "../../drivers/virtio/virtio.h"
#include "kvm.h"

#define IOAPIC_BASE	   0xfec00000ull
#define IOAPIC_REGSEL	   0x00
#define IOAPIC_WIN	   0x10
#define IOAPIC_REDIR(pin)  (0x10u + 2u * (pin))
#define MICROVM_MMIO_SLOTS 8u
#define MICROVM_MMIO_GSI   5u
#define MSI_ADDRESS	   0xfee00000ull /* | destination APIC ID << 12 */

static volatile int irq_fired;
static volatile uint64_t irq_taken;

static void ioapic_write(uint32_t reg, uint32_t v)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;

	io[IOAPIC_REGSEL / 4] = reg;
	io[IOAPIC_WIN / 4] = v;
}

/* The GSI of a microvm virtio-mmio transport, or -1. */
static int device_gsi(const struct virtio_dev *dev)
{
	uint64_t off;

	if (strcmp(dev->transport, "virtio-mmio") != 0 ||
	    dev->location < VIRTIO_MMIO_BASE)
		return -1;
	off = dev->location - VIRTIO_MMIO_BASE;
	if (off % VIRTIO_MMIO_STRIDE ||
	    off / VIRTIO_MMIO_STRIDE >= MICROVM_MMIO_SLOTS)
		return -1;
	return (int)(MICROVM_MMIO_GSI + off / VIRTIO_MMIO_STRIDE);
}

int mewz_plat_irq_wake(struct virtio_dev *dev)
{
	int gsi = device_gsi(dev);
	uint64_t flags;

	lapic_enable(); /* accepting before anything is routed to it */
	if (gsi < 0)
		return virtio_irq_message(
		    dev, MSI_ADDRESS | (uint64_t)lapic_id() << 12, VEC_DEVICE);
	flags = irq_save();
	/* Destination first, then vector/mode with the mask bit clear:
	 * fixed delivery, physical destination, active high, edge. */
	ioapic_write(IOAPIC_REDIR(gsi) + 1, lapic_id() << 24);
	ioapic_write(IOAPIC_REDIR(gsi), VEC_DEVICE);
	irq_restore(flags);
	return 0;
}

/* Interrupt context (IST4, interrupts off). */
void plat_device_interrupt(void)
{
	irq_fired = 1;
	irq_taken++;
	lapic_eoi();
}

uint64_t irq_count(void)
{
	return irq_taken;
}

void mewz_plat_block_until_irq(uint64_t deadline_ns)
{
	cli();
	if (irq_fired) {
		irq_fired = 0;
		sti();
		return;
	}
	/* Still with interrupts off: block_until halts with "sti; hlt", so an
	 * interrupt pending from here on ends the halt. */
	mewz_plat_block_until(deadline_ns);
	irq_fired = 0;
}
