/*
 * pci.h - PCI configuration space through the legacy 0xcf8/0xcfc ports
 * (present on q35 and pc; microvm has no PCI unless asked for), and a
 * walk over the functions of the root bus.
 */
#ifndef MEWZ_PCI_H
#define MEWZ_PCI_H

#include <stdint.h>

/* BARs are usable below this: the kernel identity-maps 0-4 GiB. */
#define PCI_MAPPED_LIMIT (1ull << 32)

struct pci_addr {
	uint8_t bus, dev, fn;
};

uint32_t pci_read32(struct pci_addr a, uint8_t off);
uint16_t pci_read16(struct pci_addr a, uint8_t off);
uint8_t pci_read8(struct pci_addr a, uint8_t off);
void pci_write16(struct pci_addr a, uint8_t off, uint16_t v);

/*
 * The base address of BAR bar (memory BARs only; 64-bit ones combined),
 * or 0 for an I/O or unassigned BAR.
 */
uint64_t pci_bar_address(struct pci_addr a, unsigned bar);

/* Call fn for every present function on bus 0; stop early if it returns
 * non-zero. */
void pci_for_each(int (*fn)(struct pci_addr a, uint16_t vendor, uint16_t device,
			    void *arg),
		  void *arg);

/*
 * MSI-X (PCI Local Bus 3.0, 6.8.2): interrupts as messages, each a 32-bit
 * write of the entry's data to the entry's address.  The capability (id
 * 0x11) holds Message Control (table size - 1 in bits 10:0, function mask
 * bit 14, enable bit 15) and where the table lies (BAR index in bits 2:0
 * of the dword at +4, offset in the rest); the table's 16-byte entries are
 * address low, address high, data and vector control (bit 0: masked).
 */
#define PCI_CAP_MSIX 0x11

struct pci_msix {
	struct pci_addr a;
	uint8_t cap;		  /* the capability's offset; 0: no MSI-X */
	uint16_t size;		  /* table entries, 1-2048 */
	volatile uint32_t *table; /* identity-mapped */
};

/*
 * Fill m for the MSI-X capability at offset cap of a.  0, or -1 if its
 * table is unusable: in an I/O or unassigned BAR, or above 4 GiB.
 */
int pci_msix_init(struct pci_msix *m, struct pci_addr a, uint8_t cap);

/*
 * Turn MSI-X on with every entry masked: from now on the function
 * signals only by message (never its INTx line), and a message for a
 * masked entry waits in the pending bits until the entry is unmasked.
 */
void pci_msix_enable(const struct pci_msix *m);

/* Set entry's message (address, data) and unmask it; entry < m->size. */
void pci_msix_route(const struct pci_msix *m, uint16_t entry, uint64_t addr,
		    uint32_t data);

#endif /* MEWZ_PCI_H */
