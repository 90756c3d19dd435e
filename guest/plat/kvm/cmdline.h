/*
 * cmdline.h - the kernel command line: splitting into words with quoting,
 * and what the words mean.  Pure C (no kernel calls), unit-tested on the
 * host.
 *
 * Syntax.  Words are separated by spaces, tabs or newlines.  Inside a word
 *   \xHH     the byte 0xHH (two hex digits; \x00 is an error: WASI strings
 *            are NUL-terminated and cannot hold it)
 *   \C       the character C itself, for any other C (\\ \" \' \ )
 *   "..."    quoted: spaces are kept, backslash escapes still work
 *   '...'    quoted: everything up to the next ' is literal
 * so any byte string other than one containing NUL survives.  qemu-run.sh
 * writes every byte outside [A-Za-z0-9._/=:,+@%-] as \xHH.
 *
 * Meaning.  cmdline := option* [ "--" arg* ]
 *   env=K=V        append "K=V" to the environment (repeatable)
 *   watchdog=SECS  end the run with MEWZ_EXIT_WATCHDOG after SECS seconds
 *   stack=SIZE     the stack's size: bytes, or with a K or M suffix,
 *                  64K..512M (default 1M); deeper recursion traps
 *   devices        list the virtio devices found at boot on stderr, and
 *                  at exit how many device interrupts arrived
 *   hostlink       the VM has mewz-host's virtio-vsock device: connect to
 *                  it at boot (a missing device is a panic).  Without it
 *                  the kernel does not look for devices at all, which is
 *                  a sizeable part of a short program's boot under TCG
 *   inject=WHAT    fault injection for tests: symtab-fault (a fault while
 *                  a trap is being reported), panic-fault (a fault while a
 *                  panic is being reported)
 *   net=host|lwip  sockets through mewz-host (default) or the in-guest
 *                  lwIP stack over virtio-net (guest/net)
 *   ip=dhcp|ADDR/PREFIX[,GW]   net=lwip's IPv4 address (default dhcp)
 *   dns=ADDR       net=lwip's DNS server (default: DHCP's)
 *   stdin=serial   fd 0 reads the serial console (default: fd 0 is at end
 *                  of input, like </dev/null: a serial line has no EOF)
 *   arg*           the program's argv; argv[0] is its name.  Without
 *                  "--" argv is just { "app" }.
 * Unknown options are an error: a typo must not be silently ignored.
 */
#ifndef MEWZ_KVM_CMDLINE_H
#define MEWZ_KVM_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Split s (NUL-terminated, modified in place: words are unescaped into it
 * and NUL-terminated) into at most max words.  Returns the word count or
 * -1 on a syntax error (*err then says what) or too many words.
 */
int cmdline_split(char *s, char **words, size_t max, const char **err);

struct cmdline {
	char **argv;
	size_t argc;
	char **envp;
	size_t envc;
	uint64_t watchdog_s; /* 0: none */
	int stdin_serial;
	int list_devices;
	int hostlink;
	uint64_t stack_bytes; /* 0: default */
	const char *inject;   /* NULL: none */
	int net_lwip;	      /* net=lwip */
	const char *ip;	      /* ip= value, NULL: none */
	const char *dns;      /* dns= value, NULL: none */
};

/*
 * Interpret words (from cmdline_split).  argv and envp point into `words`
 * and `env`, which the caller sizes (env needs as many slots as words).
 * Returns 0, or -1 with *err set for an unknown or malformed option.
 */
int cmdline_interpret(char **words, size_t n, char **env, struct cmdline *out,
		      const char **err);

#endif /* MEWZ_KVM_CMDLINE_H */
