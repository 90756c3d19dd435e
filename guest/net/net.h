/*
 * net.h - the lwIP port's internal interface (guest/net only).
 *
 * One thread of control: the program's.  Nothing in guest/net runs in
 * interrupt context, so lwIP (NO_SYS=1) needs no locks.  The stack moves
 * only when net_poll runs: every socket operation of backend.c calls it
 * first, and its wait loop calls it while the program blocks.
 */
#ifndef MEWZ_NET_NET_H
#define MEWZ_NET_NET_H

#include <stdint.h>

struct netif;

/* How the interface gets its address (config.c, from the kernel command
 * line: ip=dhcp | ip=ADDR/PREFIX[,GATEWAY], dns=ADDR). */
struct net_config {
	int dhcp;
	uint32_t addr, mask, gw, dns; /* network order; 0 = none */
};
int net_config_parse(const char *ip, const char *dns, struct net_config *c);

/* netif.c: find the virtio-net device, bring up the interface.  0, or
 * -ENODEV when the VM has no virtio-net device, or -EIO. */
int net_if_init(const struct net_config *c);
struct netif *net_if(void);

/*
 * Move the stack: reap sent frames, feed received ones to lwIP, repost
 * receive buffers, run due lwIP timers.  Returns non-zero if any frame
 * moved (the caller's wait loop keeps spinning a little while it does).
 * Frames it queues reach the device at the next net_flush.
 */
int net_poll(void);
/* Monotonic time a frame was last sent or received (wait.c). */
extern uint64_t net_last_activity_ns;

/* Whether the platform routes the device's receive interrupt
 * (mewz/devirq.h); net_rx_wake as virtio_net_rx_wake. */
int net_can_halt_for_rx(void);
int net_rx_wake(int on);
/* Loopback frames wait for the next net_poll. */
int net_loop_pending(void);

/*
 * Tell the device about frames queued since the last notification.  Each
 * notification is an exit that, under TCG, waits for QEMU's big lock
 * (often 0.1-0.4 ms while QEMU's main loop serves the user network), so
 * frames are handed over in bursts: when the program polls or is about
 * to wait (backend.c, wait.c), at connect, shutdown, close and UDP sends,
 * and every VNET_TX_BATCH frames (the driver) -- not at every TCP send.
 */
void net_flush(void);

/*
 * Wait until deadline_ns (monotonic) or until something may have changed:
 * polls, and halts the CPU once the network has been idle for a while
 * (wait.c explains the trade-off).
 */
void net_wait(uint64_t deadline_ns);

/* The socket backend (backend.c). */
struct sock_backend;
extern const struct sock_backend net_lwip_backend;

/* Kernel entry (start.c): bring up net=lwip and install the backend. */
int net_lwip_start(const char *ip, const char *dns);

#endif /* MEWZ_NET_NET_H */
