/*
 * lwipopts.h - lwIP 2.1.3 configuration for Mewz (net=lwip).
 *
 * NO_SYS=1 with the raw API only: one thread of control, the program's,
 * drives the stack from the socket backend's calls and wait loops
 * (guest/net/backend.c).  No netconn, no lwIP sockets: Mewz's own socket
 * layer sits on the raw tcp_/udp_ callbacks.
 *
 * Memory is static (.bss), never newlib's heap: .bss is identity-mapped,
 * so a pbuf's payload address is also its guest-physical address and the
 * virtio-net driver can hand TX pbufs to the device without copying them.
 * Budget (hello must run in 32 MiB): 4 MiB lwIP heap (TCP send buffers,
 * copies of small received frames) + ~1 MiB of RX buffers (driver) +
 * ~1 MiB of memp pools.
 */
#ifndef MEWZ_LWIPOPTS_H
#define MEWZ_LWIPOPTS_H

/* The kernel has its own mem_init (plat/kvm/mem.c); lwIP's heap init is
 * renamed in every lwIP unit, which all see this file first. */
#define mem_init lwip_mem_init

/* ---- system ------------------------------------------------------------ */
#define NO_SYS		     1
#define LWIP_TIMERS	     1
#define SYS_LIGHTWEIGHT_PROT 0 /* no interrupt handler touches lwIP */
#define LWIP_NETCONN	     0
#define LWIP_SOCKET	     0
#define LWIP_NETIF_API	     0
#define LWIP_SINGLE_NETIF    0 /* virtio-net + loopback */

/* ---- memory -------------------------------------------------------------- */
#define MEM_ALIGNMENT		 8
#define MEM_SIZE		 (4 * 1024 * 1024)
#define MEMP_NUM_PBUF		 256 /* PBUF_REF/ROM headers */
#define MEMP_NUM_RAW_PCB	 0
#define MEMP_NUM_UDP_PCB	 64
#define MEMP_NUM_TCP_PCB	 256
#define MEMP_NUM_TCP_PCB_LISTEN	 32
#define MEMP_NUM_TCP_SEG	 2048
#define MEMP_NUM_REASSDATA	 8
#define MEMP_NUM_FRAG_PBUF	 32
#define MEMP_NUM_ARP_QUEUE	 32
#define MEMP_NUM_ND6_QUEUE	 32
#define PBUF_POOL_SIZE		 32 /* RX uses the driver's own buffers */
#define PBUF_POOL_BUFSIZE	 1536
#define LWIP_SUPPORT_CUSTOM_PBUF 1 /* RX buffers lent to lwIP (netif.c) */
/* The sanity check measures TCP_WND against PBUF_POOL; RX here uses the
 * driver's buffers (VNET_RX_BUFS), not the pool. */
#define LWIP_DISABLE_TCP_SANITY_CHECKS 1

/* ---- protocols ------------------------------------------------------------- */
#define LWIP_IPV4	     1
#define LWIP_IPV6	     1
#define LWIP_ARP	     1
#define LWIP_ETHERNET	     1
#define LWIP_ICMP	     1
#define LWIP_RAW	     0
#define LWIP_UDP	     1
#define LWIP_TCP	     1
#define LWIP_DNS	     1
#define LWIP_DHCP	     1
#define LWIP_AUTOIP	     0
#define LWIP_IGMP	     0
#define LWIP_IPV6_DHCP6	     0
#define LWIP_IPV6_AUTOCONFIG 1 /* QEMU's user network advertises fec0::/64 */
#define LWIP_IPV6_MLD	     1
#define LWIP_ND6_QUEUEING    1
#define IP_REASSEMBLY	     1
#define IP_FRAG		     1
#define LWIP_IPV6_FRAG	     1
#define LWIP_IPV6_REASS	     1
/* 64-bit pointers do not fit in the IPv6 fragment header (ip6_frag.c). */
#define IPV6_FRAG_COPYHEADER 1
/* The DHCP server is QEMU's or the LAN's; the ARP probe would only add a
 * second to every boot. */
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_DHCP_CHECK_LINK_UP 1
#define DNS_MAX_SERVERS	    2
#define DNS_TABLE_SIZE	    8
#define LWIP_DNS_SECURE                                                        \
	(LWIP_DNS_SECURE_RAND_XID | LWIP_DNS_SECURE_NO_MULTIPLE_OUTSTANDING |  \
	 LWIP_DNS_SECURE_RAND_SRC_PORT)
#define SO_REUSE 1

/* ---- TCP ------------------------------------------------------------------- */
#define TCP_MSS		   1460
/* 44 segments: just under 64 KiB, so no window scaling is needed.  The
 * window only opens when the program has read the data (backend.c calls
 * tcp_recved from sock_recv), which bounds what one connection can hold. */
#define TCP_WND		   (44 * TCP_MSS)
#define TCP_SND_BUF	   (44 * TCP_MSS)
#define TCP_SND_QUEUELEN   (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT	   (TCP_SND_BUF / 2)
#define TCP_QUEUE_OOSEQ	   1
#define TCP_OOSEQ_MAX_PBUFS 16
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 128
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_TCP_TIMESTAMPS 0
#define LWIP_CALLBACK_API  1
#define LWIP_WND_SCALE	   0

/* ---- link and checksums ------------------------------------------------------ */
#define ETH_PAD_SIZE		     0
#define PBUF_LINK_ENCAPSULATION_HLEN 0 /* virtio-net header: its own desc */
#define LWIP_CHKSUM_ALGORITHM	     3
/* A loopback interface (127.0.0.1, ::1) and looping of our own address,
 * so a program can connect to itself; netif.c polls it (NO_SYS). */
#define LWIP_NETIF_LOOPBACK	     1
#define LWIP_HAVE_LOOPIF	     1
#define LWIP_LOOPBACK_MAX_PBUFS	     256
#define LWIP_NETIF_STATUS_CALLBACK   0
#define LWIP_NETIF_LINK_CALLBACK     0
#define LWIP_NETIF_HOSTNAME	     0

/* ---- diagnostics ----------------------------------------------------------- */
#define LWIP_STATS	0
#define LWIP_STATS_DISPLAY 0
#define LWIP_DEBUG	0
#define LWIP_PERF	0

#endif /* MEWZ_LWIPOPTS_H */
