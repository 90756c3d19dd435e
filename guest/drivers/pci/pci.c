/*
 * pci.c - configuration mechanism #1 (ports 0xcf8/0xcfc).  A function
 * that reads vendor 0xffff is absent.  Only memory BARs below 4 GiB are
 * usable by drivers: the kernel maps 0-4 GiB (see plat/kvm/layout.h).
 */
#include "pci.h"

#include "../../arch/x86_64/cpu.h"

#define PCI_ADDR_PORT 0xcf8
#define PCI_DATA_PORT 0xcfc

static inline void outl_port(uint16_t port, uint32_t v)
{
	outl(port, v);
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint32_t cfg_addr(struct pci_addr a, uint8_t off)
{
	return 1u << 31 | (uint32_t)a.bus << 16 | (uint32_t)a.dev << 11 |
	       (uint32_t)a.fn << 8 | (off & 0xfc);
}

uint32_t pci_read32(struct pci_addr a, uint8_t off)
{
	outl_port(PCI_ADDR_PORT, cfg_addr(a, off));
	return inl(PCI_DATA_PORT);
}

uint16_t pci_read16(struct pci_addr a, uint8_t off)
{
	return (uint16_t)(pci_read32(a, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(struct pci_addr a, uint8_t off)
{
	return (uint8_t)(pci_read32(a, off) >> ((off & 3) * 8));
}

void pci_write16(struct pci_addr a, uint8_t off, uint16_t v)
{
	uint32_t old = pci_read32(a, off);
	uint32_t shift = (off & 2) * 8;

	old &= ~(0xffffu << shift);
	outl_port(PCI_ADDR_PORT, cfg_addr(a, off));
	outl_port(PCI_DATA_PORT, old | (uint32_t)v << shift);
}

uint64_t pci_bar_address(struct pci_addr a, unsigned bar)
{
	uint32_t lo;
	uint64_t addr;

	if (bar > 5)
		return 0;
	lo = pci_read32(a, (uint8_t)(0x10 + 4 * bar));
	if (lo & 1)
		return 0; /* I/O space */
	addr = lo & ~0xfull;
	if (((lo >> 1) & 3) == 2 && bar < 5) /* 64-bit */
		addr |= (uint64_t)pci_read32(a, (uint8_t)(0x14 + 4 * bar))
			<< 32;
	return addr;
}

/*
 * Bus 0 only: QEMU's q35 and pc put devices on the root bus unless a
 * bridge is configured, and each config access is a VM exit.
 */
void pci_for_each(int (*fn)(struct pci_addr a, uint16_t vendor, uint16_t device,
			    void *arg),
		  void *arg)
{
	for (unsigned bus = 0; bus < 1; bus++) {
		for (unsigned dev = 0; dev < 32; dev++) {
			for (unsigned f = 0; f < 8; f++) {
				struct pci_addr a = {(uint8_t)bus, (uint8_t)dev,
						     (uint8_t)f};
				uint32_t id = pci_read32(a, 0);

				if ((id & 0xffff) == 0xffff) {
					if (f == 0)
						break; /* no device here */
					continue;
				}
				if (fn(a, (uint16_t)id, (uint16_t)(id >> 16),
				       arg))
					return;
				/* Header type bit 7: more functions follow. */
				if (f == 0 && !(pci_read8(a, 0x0e) & 0x80))
					break;
			}
		}
	}
}

#define MSIX_CTRL	   2 /* Message Control, from the capability */
#define MSIX_TABLE	   4 /* Table BIR and offset */
#define MSIX_CTRL_SIZE	   0x07ffu
#define MSIX_CTRL_MASKALL  0x4000u
#define MSIX_CTRL_ENABLE   0x8000u
#define MSIX_ENTRY_WORDS   4 /* address low, address high, data, control */
#define MSIX_VECTOR_MASKED 1u

int pci_msix_init(struct pci_msix *m, struct pci_addr a, uint8_t cap)
{
	uint32_t where = pci_read32(a, (uint8_t)(cap + MSIX_TABLE));
	uint16_t ctrl = pci_read16(a, (uint8_t)(cap + MSIX_CTRL));
	uint16_t size = (uint16_t)((ctrl & MSIX_CTRL_SIZE) + 1);
	uint64_t base = pci_bar_address(a, where & 7);

	m->cap = 0;
	if (!base || base + (where & ~7u) + 16ull * size > PCI_MAPPED_LIMIT)
		return -1;
	m->a = a;
	m->cap = cap;
	m->size = size;
	m->table = (volatile uint32_t *)(uintptr_t)(base + (where & ~7u));
	return 0;
}

static void msix_control(const struct pci_msix *m, uint16_t bits)
{
	uint8_t off = (uint8_t)(m->cap + MSIX_CTRL);
	uint16_t v = pci_read16(m->a, off);

	v &= (uint16_t) ~(MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	pci_write16(m->a, off, (uint16_t)(v | bits));
}

void pci_msix_enable(const struct pci_msix *m)
{
	/* The whole function masked while its entries are masked one by
	 * one (they are after reset, but nothing else says so here). */
	msix_control(m, MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	for (uint16_t i = 0; i < m->size; i++)
		m->table[i * MSIX_ENTRY_WORDS + 3] |= MSIX_VECTOR_MASKED;
	msix_control(m, MSIX_CTRL_ENABLE);
}

void pci_msix_route(const struct pci_msix *m, uint16_t entry, uint64_t addr,
		    uint32_t data)
{
	volatile uint32_t *e = m->table + (uint32_t)entry * MSIX_ENTRY_WORDS;

	/* An entry's message may change only while it is masked. */
	e[3] |= MSIX_VECTOR_MASKED;
	e[0] = (uint32_t)addr;
	e[1] = (uint32_t)(addr >> 32);
	e[2] = data;
	e[3] &= ~MSIX_VECTOR_MASKED;
}
