/* unit_checks.h - decoder/validator edge cases the spec suite misses. */
#ifndef MEWZ_UNIT_CHECKS_H
#define MEWZ_UNIT_CHECKS_H

void run_unit_checks(unsigned *passed, unsigned *failed);

#endif /* MEWZ_UNIT_CHECKS_H */
