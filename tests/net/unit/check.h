/* check.h - the net-unit suite's test groups, on the shared harness. */
#ifndef MEWZ_NET_UNIT_CHECK_H
#define MEWZ_NET_UNIT_CHECK_H

#include "../../lib/check.h"

void test_virtio_net(void);
void test_config(void);

#endif /* MEWZ_NET_UNIT_CHECK_H */
