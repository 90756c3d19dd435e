#!/bin/bash
# vsock-qemu.sh ELF DAEMON - the vsock-qemu suite: apps/vsock_client.c
# booted under QEMU TCG (microvm with vhost-user-vsock-device, q35 with
# vhost-user-vsock-pci) against DAEMON (mewz-host, ASan+UBSan build)
# serving a scratch share over --vhost-user.  Every QEMU run has a
# timeout (qemu-run.sh --timeout); no assertion depends on timing.
set -u
elf=$1
daemon=$2
here=$(cd "$(dirname "$0")" && pwd)
qemu_run=$here/../../guest/plat/kvm/qemu-run.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsock-qemu.XXXXXX")
pass=0 fail=0 dpid=
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1: $2"
	fail=$((fail + 1))
	[ -f "$tmp/out" ] && sed 's/^/     | /' "$tmp/out" | tail -n 20
}

mkdir "$tmp/share"
echo "content from the host" >"$tmp/share/from-host.txt"
head -c 3000000 /dev/urandom >"$tmp/share/rand.bin"

# Start the daemon and wait (bounded) for its "ready" on a fifo.
start_daemon() {
	rm -f "$tmp/ready"
	mkfifo "$tmp/ready"
	"$daemon" -v --share "$tmp/share:/data" --vhost-user "$tmp/vh.sock" \
		--ready-fd 3 3>"$tmp/ready" 2>>"$tmp/daemon.log" &
	dpid=$!
	local line=
	read -r -t 30 line <"$tmp/ready"
	[ "$line" = ready ]
}

# vm MACHINE OUT [qemu-run options] -- ARGS: one guest; its console to OUT.
vm() {
	local machine=$1 out=$2 opts=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	"$qemu_run" --machine "$machine" --memory 64M --timeout 120 --mewz-host "$tmp/vh.sock" \
		"${opts[@]+"${opts[@]}"}" "$elf" -- "$@" >"$out" 2>&1
}

has() { grep -qF -- "$2" "$1"; }

# Field N of the line starting with PREFIX in FILE.
field() { awk -v p="$2" -v n="$3" 'index($0, p) == 1 { print $n; exit }' "$1"; }

check_basic() {
	local name=$1 rc=$2
	if [ "$rc" != 0 ]; then
		bad "$name" "exit $rc"
	elif ! has "$tmp/out" "basic: ok" || ! has "$tmp/out" "read: content from the host"; then
		bad "$name" "guest output"
	elif [ "$(cat "$tmp/share/hello.txt")" != "hello from the guest over vsock" ]; then
		bad "$name" "hello.txt on the host"
	else
		ok "$name"
	fi
}

check_big() {
	local name=$1 rc=$2 out=$3 want_big want_rand
	want_big=$(cksum <"$tmp/share/big.bin" | awk '{print $1}')
	want_rand=$(cksum <"$tmp/share/rand.bin" | awk '{print $1}')
	if [ "$rc" != 0 ]; then
		bad "$name" "exit $rc"
	elif ! has "$out" "big: read back"; then
		bad "$name" "read back"
	elif [ "$(field "$out" "big: wrote" 5)" != "$want_big" ]; then
		bad "$name" "big.bin cksum: guest $(field "$out" "big: wrote" 5), host $want_big"
	elif [ "$(field "$out" "big: rand cksum" 4)" != "$want_rand" ]; then
		bad "$name" "rand.bin cksum: guest $(field "$out" "big: rand cksum" 4), host $want_rand"
	else
		ok "$name"
	fi
}

if ! start_daemon; then
	bad "daemon starts" "no ready"
	echo "$pass passed, $fail failed"
	exit 1
fi

vm microvm "$tmp/out" -- basic
check_basic "basic-microvm (HELLO, OPEN/WRITE/READ/CLOSE)" $?
rm -f "$tmp/share/hello.txt"
vm q35 "$tmp/out" -- basic
check_basic "basic-q35 (virtio-pci)" $?

# A hostile guest: six kinds of bad tx chains, each after one good
# packet the backend must have used; the backend marks the ring broken
# (logged), the daemon lives, and the guest then resets and is served.
for m in microvm q35; do
	before=$(grep -c "tx queue:" "$tmp/daemon.log")
	vm $m "$tmp/out" -- hostile
	rc=$?
	after=$(grep -c "tx queue:" "$tmp/daemon.log")
	if [ $rc != 0 ] || ! has "$tmp/out" "hostile: recovered"; then
		bad "hostile guest ($m)" "exit $rc"
	elif [ $((after - before)) != 6 ]; then
		bad "hostile guest ($m)" "$((after - before)) broken rings logged, not 6"
	elif ! kill -0 "$dpid" 2>/dev/null; then
		bad "hostile guest ($m)" "the daemon died"
	else
		ok "hostile guest ($m): 6 bad chains refused, then served"
	fi
done

vm microvm "$tmp/out" -- big 8
check_big "big-microvm (8 MiB each way, 3 MB random, cksum both sides)" $? "$tmp/out"
grep '^bench:' "$tmp/out" | sed 's/^/     microvm /'
vm q35 "$tmp/out" -- big 4
check_big "big-q35 (4 MiB each way)" $? "$tmp/out"

# Two VMs at once, each its own vhost-user connection and session.
vm microvm "$tmp/out1" -- ping 300 &
p1=$!
vm q35 "$tmp/out2" -- ping 300 &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
if [ $r1 = 0 ] && [ $r2 = 0 ] && has "$tmp/out1" "bench: null" && has "$tmp/out2" "bench: null"; then
	ok "two VMs at once"
else
	bad "two VMs at once" "exit $r1 and $r2"
fi

vm microvm "$tmp/out" -- ping 2000
if [ $? = 0 ]; then
	ok "ping x2000"
	grep '^bench:' "$tmp/out" | sed 's/^/     microvm /'
else
	bad "ping x2000" "failed"
fi

# A QEMU killed mid-conversation: the daemon stays up and serves the next.
vm microvm "$tmp/out" --qemu-arg -pidfile --qemu-arg "$tmp/qemu.pid" -- loop &
vmpid=$!
for _ in $(seq 300); do
	has "$tmp/out" "loop: running" && break
	sleep 0.1
done
if [ -s "$tmp/qemu.pid" ] && has "$tmp/out" "loop: running"; then
	kill -KILL "$(cat "$tmp/qemu.pid")"
	wait $vmpid
	rm -f "$tmp/share/hello.txt"
	vm microvm "$tmp/out" -- basic
	rc=$?
	if ! kill -0 "$dpid" 2>/dev/null; then
		bad "killed QEMU" "the daemon died"
	else
		check_basic "killed QEMU, then a second VM is served" $rc
	fi
else
	kill "$vmpid" 2>/dev/null
	wait $vmpid
	bad "killed QEMU" "the guest never started its loop"
fi

# The daemon stops (SIGTERM) under a guest in a loop of calls: the guest
# sees EIO (RST), never hangs, and the daemon exits 0.
vm microvm "$tmp/out" -- loop &
vmpid=$!
for _ in $(seq 300); do
	has "$tmp/out" "loop: running" && break
	sleep 0.1
done
kill -TERM "$dpid"
wait "$dpid"
drc=$?
dpid=
wait $vmpid
rc=$?
if [ $rc = 3 ] && has "$tmp/out" "(EIO)" && [ $drc = 0 ]; then
	ok "daemon stops: the guest's call fails with EIO, daemon exits 0"
else
	bad "daemon stops" "guest exit $rc, daemon exit $drc"
fi

# The daemon is killed (SIGKILL): QEMU keeps the device but nobody
# answers, so the guest's call fails with EIO after its 2 s timeout.
if start_daemon; then
	vm microvm "$tmp/out" -- loop 2 &
	vmpid=$!
	for _ in $(seq 300); do
		has "$tmp/out" "loop: running" && break
		sleep 0.1
	done
	kill -KILL "$dpid"
	wait "$dpid" 2>/dev/null
	dpid=
	wait $vmpid
	rc=$?
	if [ $rc = 3 ] && has "$tmp/out" "(EIO)"; then
		ok "daemon killed: the guest's call fails with EIO"
	else
		bad "daemon killed" "guest exit $rc"
	fi
else
	bad "daemon restarts" "no ready"
fi

if grep -qE "AddressSanitizer|runtime error|LeakSanitizer" "$tmp/daemon.log"; then
	bad "daemon sanitizer-clean" "$(grep -m1 -E 'Sanitizer|runtime error' "$tmp/daemon.log")"
else
	ok "daemon sanitizer-clean"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
