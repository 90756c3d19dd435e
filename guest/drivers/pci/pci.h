/*
 * pci.h - PCI configuration space through the legacy 0xcf8/0xcfc ports
 * (present on q35 and pc; microvm has no PCI unless asked for), and a
 * walk over the functions of the root bus.
 */
#ifndef MEWZ_PCI_H
#define MEWZ_PCI_H

#include <stdint.h>

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

#endif /* MEWZ_PCI_H */
