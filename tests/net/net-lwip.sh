#!/bin/bash
# net-lwip.sh OUTDIR - the net-lwip suite: tests/net/progs/server.c and
# client.c booted with net=lwip (virtio-net + lwIP in the guest) under QEMU
# TCG, with QEMU's user-mode network.  The host reaches the guest only
# through hostfwd on 127.0.0.1; the guest reaches the host only at
# 10.0.2.2 (QEMU's alias for the host's loopback).  Nothing leaves the
# machine.  Every QEMU run has a host-side timeout and every socket in
# netcheck.py has one too; no assertion depends on timing.
set -u
out=$1
here=$(cd "$(dirname "$0")" && pwd)
qemu_run=$here/../../guest/plat/kvm/qemu-run.sh
check=$here/netcheck.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/net-lwip.XXXXXX")
pass=0 fail=0 skip=0 qpid= upid= tap=

# End a run we started and everything it started (qemu-run.sh -> timeout
# -> QEMU), children first, by process id.
kill_tree() { # PID
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$c"; done
	kill "$1" 2>/dev/null
}

cleanup() {
	[ -n "$qpid" ] && kill_tree "$qpid" && wait "$qpid" 2>/dev/null
	[ -n "$upid" ] && kill "$upid" 2>/dev/null && wait "$upid" 2>/dev/null
	[ -n "$tap" ] && ip link del "$tap" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1: $2"
	fail=$((fail + 1))
	[ -f "$tmp/out" ] && sed 's/^/     | /' "$tmp/out" | tail -n 15
}

if ! command -v qemu-system-x86_64 >/dev/null || ! command -v python3 >/dev/null; then
	echo "skip: needs qemu-system-x86_64 and python3"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# netdev LINE for the machine: microvm takes the MMIO device, q35 PCI;
# NET_DEVICE_OPTS, if set, go on the device.
net_args() { # MACHINE NETDEV-OPTIONS
	local dev=virtio-net-device
	[ "$1" = q35 ] && dev=virtio-net-pci
	echo "--qemu-arg -netdev --qemu-arg user,id=n0,$2 --qemu-arg -device --qemu-arg $dev,netdev=n0${NET_DEVICE_OPTS:+,$NET_DEVICE_OPTS}"
}

# Boot the server in the background with the guest's 8080 on host $port;
# wait (bounded) for its "listening" line.
start_server() { # MACHINE [KERNEL-OPT...]
	local machine=$1 i
	shift
	local addr=${SERVER_ADDR:-0.0.0.0}
	port=$(free_port)
	local kopts=(--kernel-opt net=lwip)
	for o in "$@"; do kopts+=(--kernel-opt "$o"); done
	# shellcheck disable=SC2046
	"$qemu_run" --machine "$machine" --memory 32M --timeout 300 "${kopts[@]}" \
		$(net_args "$machine" "restrict=on,hostfwd=tcp:127.0.0.1:$port-:8080") \
		"$out/server.elf" -- 8080 "$addr" >"$tmp/out" 2>&1 &
	qpid=$!
	for i in $(seq 1 600); do
		grep -q '^listening' "$tmp/out" && return 0
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

# Ask the server to exit and collect its status (0 expected).
stop_server() { # NAME
	python3 "$check" quit "$port" >/dev/null 2>&1
	wait "$qpid"
	local rc=$?
	qpid=
	if [ "$rc" = 0 ]; then ok "$1: server exits 0 on QUIT"; else bad "$1: server exit" "status $rc"; fi
}

run_check() { # NAME CHECK [ARG]
	local name=$1 what=$2 r
	shift 2
	if r=$(python3 "$check" "$what" "$port" "$@" 2>&1); then ok "$name"; else bad "$name" "$r"; fi
}

# A server booted with `devices` says at exit how many device interrupts
# it took (empty: no such line).
irqs_taken() { sed -n 's/^mewz: device interrupts: \([0-9]*\)$/\1/p' "$tmp/out"; }

# An idle wait halts until virtio-net's receive interrupt (microvm: its
# IOAPIC line; q35: MSI-X), so a server that answered clients must have
# taken some; without the interrupt it would have halted in timer ticks
# and taken none.
check_irqs() { # WHAT
	local n
	n=$(irqs_taken)
	if [ -n "$n" ] && [ "$n" -gt 0 ]; then
		ok "$1: waits ended by virtio-net interrupts ($n)"
	else
		bad "$1: virtio-net receive interrupt" "device interrupts: '${n:-no line}'"
	fi
}

# --- microvm (virtio-mmio), DHCP ---------------------------------------------
if start_server microvm devices; then
	ok "microvm: boots with net=lwip, DHCP, listens"
	run_check "hello: HTTP/1.1 keep-alive answers" hello
	run_check "64 concurrent connections echo 32 KiB each" concurrent 64
	run_check "16 MiB download intact (CRC-32)" download $((16 << 20))
	run_check "16 MiB upload intact (CRC-32)" upload $((16 << 20))
	run_check "flow control: a paused reader stalls a 64 MiB sender, then all arrives" flowctl $((64 << 20))
	run_check "clients disconnecting mid-transfer; server goes on" midclose
	run_check "guest closes while the host sends; server goes on" guestclose
	run_check "hello after all of the above" hello
	stop_server microvm
	check_irqs microvm
else
	bad "microvm: boot with net=lwip" "no listening line"
	kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=
fi

# --- q35 (virtio-pci), static address ---------------------------------------
if start_server q35 ip=10.0.2.15/24,10.0.2.2 devices; then
	ok "q35 virtio-net-pci: boots with a static ip=, listens"
	run_check "q35: hello" hello
	run_check "q35: 4 MiB download intact" download $((4 << 20))
	stop_server q35
	check_irqs "q35 (MSI-X)"
else
	bad "q35: boot with net=lwip" "no listening line"
	kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=
fi

# --- q35, a virtio-net-pci without MSI-X (vectors=0): waits in ticks ---------
if NET_DEVICE_OPTS=vectors=0 start_server q35 ip=10.0.2.15/24,10.0.2.2 devices; then
	run_check "q35 without MSI-X: hello (the wait falls back to timer ticks)" hello
	stop_server "q35 without MSI-X"
	n=$(irqs_taken)
	if [ "$n" = 0 ]; then
		ok "q35 without MSI-X: no device interrupt routed"
	else
		bad "q35 without MSI-X" "device interrupts: '${n:-no line}'"
	fi
else
	bad "q35 without MSI-X: boot with net=lwip" "no listening line"
	kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=
fi

# --- an IPv6 socket bound to :: serves IPv4 clients too (dual stack) --------
if SERVER_ADDR=:: start_server microvm; then
	ok "microvm: an IPv6 listener on [::] comes up"
	run_check "IPv6 [::] listener: IPv4 client gets the hello" hello
	run_check "IPv6 [::] listener: 1 MiB upload intact" upload $((1 << 20))
	stop_server "IPv6 listener"
else
	bad "IPv6 listener on [::]" "no listening line"
	kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=
fi

# --- the front-end: mewz run --net=lwip -p HOST:GUEST, answered curl ---------
mewz=${MEWZ:-$here/../../build/bin/mewz}
if [ -x "$mewz" ] && command -v curl >/dev/null; then
	port=$(free_port)
	"$mewz" run "$out/server.wasm" --net=lwip -p "$port:8080" --timeout 300 -- 8080 >"$tmp/out" 2>&1 &
	qpid=$!
	for i in $(seq 1 1200); do
		grep -q '^listening' "$tmp/out" && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	body=$(curl -s -m 60 "http://127.0.0.1:$port/")
	if [ "$body" = "Hello, world" ]; then
		ok "mewz run --net=lwip -p $port:8080: curl gets the hello"
	else
		bad "mewz run --net=lwip" "curl got '$body'"
	fi
	stop_server "mewz run"
else
	echo "skip mewz run --net=lwip (no build/bin/mewz or curl)"
	skip=$((skip + 1))
fi

# --- examples/http_hello.c, unchanged, under mewz run --net=lwip -------------
hello_wasm=$here/../../build/examples/http_hello.wasm
if [ -x "$mewz" ] && [ -f "$hello_wasm" ] && command -v curl >/dev/null; then
	port=$(free_port)
	"$mewz" run "$hello_wasm" --net=lwip -p "$port:8080" --timeout 300 >"$tmp/out" 2>&1 &
	qpid=$!
	for i in $(seq 1 1200); do
		grep -q 'listening' "$tmp/out" && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	body=$(curl -s -m 60 "http://127.0.0.1:$port/")
	if [ "$body" = "Hello from Mewz!" ]; then
		ok "examples/http_hello.wasm: mewz run --net=lwip -p, curl gets its greeting"
	else
		bad "examples/http_hello.wasm under --net=lwip" "curl got '$body'"
	fi
	kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=
else
	echo "skip examples/http_hello.wasm (not built)"
	skip=$((skip + 1))
fi

# --- examples/file_server.c: files from mewz-host (--share), sockets lwIP -----
fs_wasm=$here/../../build/examples/file_server.wasm
if [ -x "$mewz" ] && [ -f "$fs_wasm" ] && command -v curl >/dev/null; then
	mkdir -p "$tmp/www"
	echo "static hello" >"$tmp/www/index.html"
	head -c $((3 << 20)) /dev/urandom >"$tmp/www/big.bin"
	port=$(free_port)
	"$mewz" run "$fs_wasm" --share "$tmp/www:/www" --net=lwip -p "$port:8080" --timeout 300 \
		-- 8080 /www >"$tmp/out" 2>&1 &
	qpid=$!
	for i in $(seq 1 1200); do
		grep -q 'serving' "$tmp/out" && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	body=$(curl -s -m 60 "http://127.0.0.1:$port/index.html")
	if [ "$body" = "static hello" ]; then
		ok "examples/file_server.wasm: --share and --net=lwip, curl gets a file"
	else
		bad "examples/file_server.wasm under --net=lwip" "curl got '$body'"
	fi
	if curl -s -m 120 "http://127.0.0.1:$port/big.bin" | cmp -s - "$tmp/www/big.bin"; then
		ok "examples/file_server.wasm under --net=lwip: a 3 MiB file intact"
	else
		bad "examples/file_server.wasm under --net=lwip" "3 MiB file differs"
	fi
	kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=
else
	echo "skip examples/file_server.wasm (not built)"
	skip=$((skip + 1))
fi

# --- the guest as a client: UDP round trip, connect refused ------------------
uport=$(free_port)
python3 "$check" udpecho "$uport" 120 &
upid=$!
# shellcheck disable=SC2046
if "$qemu_run" --memory 32M --timeout 120 --kernel-opt net=lwip $(net_args microvm "") \
	"$out/client.elf" -- udp 10.0.2.2 "$uport" >"$tmp/out" 2>&1 && grep -q '^ok udp' "$tmp/out"; then
	ok "UDP round trip guest -> host echo -> guest"
else
	bad "UDP round trip" "client failed"
fi
kill "$upid" 2>/dev/null; wait "$upid" 2>/dev/null; upid=
cport=$(free_port) # nothing listens there
# shellcheck disable=SC2046
if "$qemu_run" --memory 32M --timeout 120 --kernel-opt net=lwip $(net_args microvm "") \
	"$out/client.elf" -- refused 10.0.2.2 "$cport" >"$tmp/out" 2>&1 && grep -q '^ok refused' "$tmp/out"; then
	ok "connect to a closed port: ECONNREFUSED"
else
	bad "connect refused" "client failed"
fi

# --- tests/sock's API conformance programs, unchanged, under net=lwip -----
# One check per line each prints; sock_api's lines about mewz-host's bind
# policy are net=host's business and count as skipped here.
for prog in sock_api sock_we; do
	if [ ! -f "$out/$prog.elf" ]; then
		echo "skip tests/sock/$prog (not present)"
		skip=$((skip + 1))
		continue
	fi
	# shellcheck disable=SC2046
	"$qemu_run" --memory 32M --timeout 200 --kernel-opt net=lwip $(net_args microvm "restrict=on") \
		"$out/$prog.elf" >"$tmp/api" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		*policy*) echo "skip $prog (net=host only): ${line#* }"; skip=$((skip + 1)) ;;
		"ok   "*) ok "$prog: ${line#ok   }" ;;
		"FAIL "*) bad "$prog: ${line#FAIL }" "" ;;
		esac
	done <"$tmp/api"
	# Its exit status is its number of FAIL lines (the skipped ones
	# included), as in sock_native.sh: a trap or timeout halfway is not.
	n=$(grep -c '^FAIL ' "$tmp/api")
	if ! grep -qE '^ok ' "$tmp/api"; then
		bad "$prog under net=lwip" "no ok lines (exit $rc)"
	elif [ "$rc" != "$n" ]; then
		bad "$prog under net=lwip" "exited $rc with $n FAIL lines: $(tail -n 3 "$tmp/api" | tr '\n' '|')"
	fi
done

# --- the socket examples, unchanged, under net=lwip --------------------------
# Started in the background with a forward; wait for their first line.
start_example() { # NAME NETDEV-OPTS ARGS...
	local name=$1 nd=$2 i
	shift 2
	# shellcheck disable=SC2046
	"$qemu_run" --memory 32M --timeout 200 --kernel-opt net=lwip $(net_args microvm "$nd") \
		"$out/ex-$name.elf" -- "$@" >"$tmp/out" 2>&1 &
	qpid=$!
	for i in $(seq 1 600); do
		[ -s "$tmp/out" ] && return 0
		kill -0 "$qpid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
if [ -f "$out/ex-tcp_echo.elf" ]; then
	port=$(free_port)
	if start_example tcp_echo "restrict=on,hostfwd=tcp:127.0.0.1:$port-:8081" 8081; then
		run_check "examples/tcp_echo: 8 clients at once, 256 KiB each echoed" rawecho 8
	else
		bad "examples/tcp_echo under net=lwip" "did not start"
	fi
	kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=
fi
if [ -f "$out/ex-udp_echo.elf" ]; then
	port=$(free_port)
	# restrict=on would drop the replies to a UDP forward (libslirp); the
	# program only answers its sender, the host's loopback.
	if start_example udp_echo "hostfwd=udp:127.0.0.1:$port-:8082" 8082 &&
		run_check "examples/udp_echo: a datagram comes back" udpping; then
		wait "$qpid"
		rc=$?
		qpid=
		if [ "$rc" = 0 ]; then ok "examples/udp_echo: \"quit\" ends it with status 0"; else bad "udp_echo quit" "status $rc"; fi
	else
		[ -n "$qpid" ] && { kill_tree "$qpid"; wait "$qpid" 2>/dev/null; qpid=; }
	fi
fi
if [ -f "$out/ex-http_client.elf" ]; then
	hport=$(free_port)
	python3 "$check" httpd "$hport" 120 &
	upid=$!
	for i in $(seq 1 100); do # until it listens
		(: >"/dev/tcp/127.0.0.1/$hport") 2>/dev/null && break
		sleep 0.1
	done
	# shellcheck disable=SC2046
	"$qemu_run" --memory 32M --timeout 120 --kernel-opt net=lwip $(net_args microvm "") \
		"$out/ex-http_client.elf" -- 10.0.2.2 "$hport" / >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" = 0 ] && grep -q 'Hello from the host' "$tmp/out"; then
		ok "examples/http_client: fetches a page from the host (10.0.2.2)"
	else
		bad "examples/http_client under net=lwip" "status $rc"
	fi
	kill "$upid" 2>/dev/null; wait "$upid" 2>/dev/null; upid=
fi

# --- mewz run --net lwip --tap: a tap device on a private /30 ----------------
# The host side is 192.168.251.1, the guest 192.168.251.2, no gateway: the
# two ends of a link that exists only on this machine (created here,
# deleted on exit).  Needs root, /dev/net/tun and ip(8); skipped otherwise.
tap_net=192.168.251
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null ||
	! command -v curl >/dev/null || [ ! -x "$mewz" ]; then
	echo "skip mewz run --tap (needs root, /dev/net/tun, ip, curl and build/bin/mewz)"
	skip=$((skip + 1))
elif ip -4 addr | grep -q "inet $tap_net\."; then
	echo "skip mewz run --tap ($tap_net.0/30 is in use on this host)"
	skip=$((skip + 1))
elif ! { tap=mwzt$$ && ip tuntap add dev "$tap" mode tap &&
	ip addr add "$tap_net.1/30" dev "$tap" && ip link set "$tap" up; }; then
	# The host's set-up, not the code under test (no CAP_NET_ADMIN, say).
	echo "skip mewz run --tap (could not create tap device $tap)"
	ip link del "$tap" 2>/dev/null
	skip=$((skip + 1))
else
	"$mewz" run "$out/server.wasm" --net lwip --tap "$tap" --ip "$tap_net.2/30" \
		--timeout 300 -- 8080 0.0.0.0 >"$tmp/out" 2>&1 &
	qpid=$!
	for i in $(seq 1 600); do
		grep -q '^listening' "$tmp/out" && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	body=$(curl -s -m 20 "http://$tap_net.2:8080/")
	if [ "$body" = "Hello, world" ]; then
		ok "mewz run --net lwip --tap $tap --ip $tap_net.2/30: curl gets the hello"
	else
		bad "mewz run --tap" "curl got '$body'"
	fi
	python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], 8080), timeout=10)
s.sendall(b"QUIT\n")' "$tap_net.2" >/dev/null 2>&1
	wait "$qpid"
	rc=$?
	qpid=
	if [ "$rc" = 0 ]; then ok "mewz run --tap: server exits 0 on QUIT"; else bad "mewz run --tap: server exit" "status $rc"; fi
	ip link del "$tap" 2>/dev/null
	tap=
fi

# --- misconfiguration ends the VM with a reason -----------------------------
"$qemu_run" --memory 32M --timeout 60 --kernel-opt net=lwip "$out/server.elf" -- 8080 >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 139 ] && grep -q 'no virtio-net device' "$tmp/out"; then
	ok "net=lwip without a virtio-net device: panic 139 with a reason"
else
	bad "net=lwip without a device" "status $rc"
fi
"$qemu_run" --memory 32M --timeout 60 --kernel-opt net=lwip --kernel-opt ip=10.0.2.300/24 \
	$(net_args microvm "restrict=on") "$out/server.elf" -- 8080 >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 139 ] && grep -q 'bad ip=' "$tmp/out"; then
	ok "malformed ip= option: panic 139 with a reason"
else
	bad "malformed ip=" "status $rc"
fi

if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
