#!/bin/bash
# qemu-run.sh - boot an app image under QEMU and exit with the program's
# status.  This script is the one place the QEMU command line is built;
# `mewz run` uses the same line (--print-cmd shows it).
#
# usage: qemu-run.sh [options] APP.elf [-- ARG...]
#   --machine microvm|q35|pc  machine type (default microvm)
#   --memory SIZE           guest RAM, QEMU syntax (default 64M)
#   --env K=V               add to the program's environment (repeatable)
#   --timeout SECS          host-side limit; past it QEMU is killed and the
#                           status is 142 (default 60; 0 = none)
#   --watchdog SECS         the guest ends itself after SECS seconds with
#                           status 142 (kernel option watchdog=SECS)
#   --accel kvm|tcg|auto    (default tcg; auto: kvm when /dev/kvm is
#                           read-writable and a paused QEMU with -cpu host
#                           starts: some hosts expose /dev/kvm but abort
#                           on MSR 0x10a.  KVM runs -cpu host)
#   --stdin                 connect stdin to the program's fd 0
#   --cpu NAME              QEMU CPU model (default: max under TCG, host under KVM)
#   --qemu-arg ARG          pass ARG to QEMU as is (repeatable; e.g. devices)
#   --kernel-opt WORD       add a kernel option (cmdline.h), e.g. devices
#   --mewz-host SOCK        attach mewz-host's vhost-user vsock device at the
#                           socket SOCK (guest RAM shared through a memfd,
#                           as vhost-user needs) and tell the kernel so
#                           (option hostlink): files and net=host sockets
#   --gdb PORT              wait for gdb on localhost:PORT before the first
#                           instruction (gdb APP.elf -ex 'target remote :PORT');
#                           implies --timeout 0
#   --print-cmd             print the QEMU command line instead of running
#   ARG...                  argv[1..]; argv[0] is APP's name without .elf
#
# Console: the program's stdout is COM1 (QEMU's stdout), its stderr an
# isa-debugcon at port 0xe9 (appended to our stderr).  The status goes
# through a second debugcon (port 0xea) into a temporary file, because
# isa-debug-exit alone cannot carry even statuses (see exit.c).
#
# Exit status: the program's own (0-255); 134 trap, 139 kernel panic or a
# VM that ended without a status, 142 watchdog/timeout, 128+n proc_raise,
# 128+n also when we are stopped by signal n (TERM, INT, HUP: QEMU too).
set -u
LC_ALL=C
export LC_ALL

watchdog=0 machine=microvm memory=64M timeout=60 accel=tcg print=0 use_stdin=0
envs=() extra=() kopts=() cpu= hostsock=
while [ $# -gt 0 ]; do
	case $1 in
	--machine) machine=$2; shift 2 ;;
	--memory) memory=$2; shift 2 ;;
	--env) envs+=("$2"); shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--watchdog) watchdog=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--stdin) use_stdin=1; shift ;;
	--qemu-arg) extra+=("$2"); shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--gdb) extra+=(-gdb "tcp:127.0.0.1:$2" -S); timeout=0; shift 2 ;;
	--kernel-opt) kopts+=("$2"); shift 2 ;;
	--mewz-host) hostsock=$2; shift 2 ;;
	--print-cmd) print=1; shift ;;
	-*) echo "qemu-run: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -lt 1 ]; then
	echo "usage: qemu-run.sh [options] APP.elf [-- ARG...]" >&2
	exit 2
fi
app=$1
shift
[ "${1:-}" = "--" ] && shift
if [ ! -r "$app" ]; then
	echo "qemu-run: $app: not readable" >&2
	exit 2
fi

# One word of the kernel command line (cmdline.h): every byte outside a
# safe set becomes \xHH, so spaces, quotes and UTF-8 survive -append.
quote() {
	local s=$1 out= c h i
	if [ -z "$s" ]; then
		printf "''" # an empty argument is still an argument
		return
	fi
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._/=:,+@%-]) out+=$c ;;
		*) printf -v h '%02x' "'$c"; out+="\\x$h" ;;
		esac
	done
	printf '%s' "$out"
}

name=$(basename "$app" .elf)
cmdline=
for e in "${envs[@]+"${envs[@]}"}"; do
	cmdline+="env=$(quote "$e") "
done
for o in "${kopts[@]+"${kopts[@]}"}"; do
	cmdline+="$(quote "$o") "
done
[ "$use_stdin" = 1 ] && cmdline+="stdin=serial "
[ "$watchdog" != 0 ] && cmdline+="watchdog=$(quote "$watchdog") "
cmdline+="-- $(quote "$name")"
for a in "$@"; do
	cmdline+=" $(quote "$a")"
done

# KVM is usable when /dev/kvm opens and QEMU can create and reset a vCPU
# with -cpu host: some hosts (nested setups) expose /dev/kvm but abort on
# the first vCPU register write.  A paused QEMU that quits at once tells in
# ~0.1 s; the answer is kept for this boot of the host.
kvm_usable() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	local boot mark
	boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
	mark="${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/mewz-kvm-$(id -u)-$boot"
	if [ ! -f "$mark" ]; then
		# In a subshell, so the shell's "Aborted" notice goes nowhere.
		if (echo quit | timeout 10 qemu-system-x86_64 -accel kvm -cpu host -M microvm \
			-nodefaults -display none -S -monitor stdio >/dev/null 2>&1) 2>/dev/null; then
			echo kvm >"$mark"
		else
			echo tcg >"$mark"
		fi
	fi
	[ "$(cat "$mark")" = kvm ]
}

case $accel in
auto) if kvm_usable; then accel=kvm; else accel=tcg; fi ;;
kvm | tcg) ;;
*) echo "qemu-run: --accel must be kvm, tcg or auto" >&2; exit 2 ;;
esac
case $machine in
# microvm: no option ROMs or ACPI to set up; PIT (TSC calibration), RTC
# (realtime) and the ISA serial port on; and QEMU must not append
# virtio_mmio.device=... to the command line: it would land in argv (the
# kernel finds MMIO transports by probing instead).
# Its virtio-mmio transports are legacy (version 1) unless told otherwise.
microvm) mflags=(-M microvm,x-option-roms=off,acpi=off,isa-serial=on,rtc=on,pit=on,auto-kernel-cmdline=off
	-global virtio-mmio.force-legacy=false) ;;
q35) mflags=(-M q35) ;;
pc) mflags=(-M pc) ;;
*) echo "qemu-run: --machine must be microvm, q35 or pc" >&2; exit 2 ;;
esac

# mewz-host: vhost-user maps all of guest RAM, so RAM is one shared memfd
# as large as -m; the kernel connects only when told (hostlink).
if [ -n "$hostsock" ]; then
	vsockdev=vhost-user-vsock-pci
	[ "$machine" = microvm ] && vsockdev=vhost-user-vsock-device
	memsize=$memory # -m takes a bare number as MiB, a backend's size= as bytes
	[[ $memsize =~ [0-9]$ ]] && memsize+=M
	extra=(-object "memory-backend-memfd,id=hostmem,size=$memsize,share=on"
		-machine memory-backend=hostmem
		-chardev "socket,id=hostsock,path=$hostsock"
		-device "$vsockdev,chardev=hostsock"
		"${extra[@]+"${extra[@]}"}")
	cmdline="hostlink $cmdline"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mewz-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/status"
# -cpu max under TCG: it has RDRAND, random_get's usual entropy source.
if [ -z "$cpu" ]; then
	cpu=max
	[ "$accel" = kvm ] && cpu=host
fi
qemu=(qemu-system-x86_64 "${mflags[@]}" -accel "$accel" -cpu "$cpu" -m "$memory"
	-nodefaults -no-reboot -display none
	-chardev stdio,id=con,signal=on -serial chardev:con
	-add-fd fd=4,set=2 -chardev file,id=err,path=/dev/fdset/2,append=on -device isa-debugcon,iobase=0xe9,chardev=err
	-chardev file,id=st,path="$tmp/status" -device isa-debugcon,iobase=0xea,chardev=st
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	"${extra[@]+"${extra[@]}"}"
	-kernel "$app" -append "$cmdline")

if [ "$print" = 1 ]; then
	printf '%q ' "${qemu[@]}"
	echo
	exit 0
fi

# QEMU writes the program's stderr through a dup of our fd 2 (fd 4, as
# -add-fd refuses 0-2): it shares our offset, so a redirected stderr file is
# appended to in order rather than overwritten.
exec 4>&2
if [ "$use_stdin" = 1 ]; then
	exec 3<&0
else
	exec 3</dev/null
fi
run=("${qemu[@]}")
[ "$timeout" != 0 ] && run=(timeout --kill-after=2 "$timeout" "${qemu[@]}")
# QEMU runs as our child, and a TERM, INT or HUP sent to us (a test
# stopping its server, Ctrl-C, `mewz run` being killed) is passed on, so a
# VM never outlives the command that started it.  timeout(1) forwards it.
"${run[@]}" <&3 &
qpid=$!
sig=0
trap 'sig=143; kill -TERM "$qpid" 2>/dev/null' TERM
trap 'sig=130; kill -TERM "$qpid" 2>/dev/null' INT
trap 'sig=129; kill -TERM "$qpid" 2>/dev/null' HUP
while :; do
	wait "$qpid"
	rc=$?
	# A trapped signal interrupts wait; wait again until QEMU is gone.
	kill -0 "$qpid" 2>/dev/null || break
done
trap - TERM INT HUP
status=$(head -n 1 "$tmp/status")
if [[ $status =~ ^[0-9]{1,3}$ ]] && [ "$status" -le 255 ]; then
	exit "$status"
fi
if [ "$sig" != 0 ]; then
	echo "mewz: stopped by signal $((sig - 128))" >&2
	exit "$sig"
fi
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "mewz: watchdog: the VM did not finish within ${timeout}s" >&2
	exit 142
fi
echo "mewz: panic: the VM ended without an exit status (QEMU exit $rc)" >&2
exit 139
