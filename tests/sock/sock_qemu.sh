#!/bin/bash
# sock-qemu: the socket examples as unikernel images under QEMU (TCG),
# their sockets mewz-host's over virtio-vsock (vhost-user), loopback only.
#   sock_qemu.sh DAEMON SOCKC IMGDIR QEMU_RUN [MEWZ WASMDIR [NETSERVER]]
# Each VM has qemu-run's --timeout as a backstop; servers are ended by
# their QEMU pid at the end.  Same checks as sock-native, sized for TCG.
set -u
D=$(realpath "$1") C=$(realpath "$2") IMG=$(realpath "$3") QR=$(realpath "$4")
MEWZ=${5:+$(realpath "$5")} WASM=${6:+$(realpath "$6")}
NETSRV=${7:+$(realpath "$7")} # tests/net's server image (bench/http's)
W=$(mktemp -d /tmp/mewz-sockq.XXXXXX)
pass=0 fail=0
pids=() qpids=()
# Ports from a per-run base, so parallel runs on one machine do not meet,
# and below the kernel's ephemeral range (32768 up by default): a client
# port in TIME_WAIT (curl, wrk, sockc, from any test in the last minute)
# stays bound, and a server's bind to it fails with EADDRINUSE even with
# SO_REUSEADDR, since the client did not set it.  Drawing from 42000-61990
# made one run in about sixteen lose a server that way (sock-native draws
# from 10000-19990).
BASE=$((20000 + (RANDOM % 1200) * 10))
read -r eph_lo _ </proc/sys/net/ipv4/ip_local_port_range
[ $((BASE + 9)) -lt "$eph_lo" ] ||
	echo "(note: ports $BASE.. lie in the ephemeral range from $eph_lo; a bind may fail)"
P_ECHO=$BASE P_HTTP=$((BASE + 1)) P_FILE=$((BASE + 2)) P_UDP=$((BASE + 3))
P_CLOSED=$((BASE + 4)) P_POLICY=$((BASE + 5)) P_RUN=$((BASE + 6)) P_BARE=$((BASE + 7))
P_BENCH=$((BASE + 8))

cleanup() {
	for f in "$W"/*.qpid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() {
	fail=$((fail + 1)); echo "FAIL $1"
	[ -f "$W/out" ] && sed 's/^/     /' "$W/out" | tail -n 20
}
check() {
	local name=$1 to=(timeout 120); shift
	[ "$(type -t "$1")" = function ] && to=()
	if "${to[@]}" "$@" >"$W/out" 2>&1; then ok "$name"; else bad "$name"; fi
}
# up LOG PID: until LOG shows a server's banner (0), or PID is gone or 60 s
# have passed (1).
up() {
	for _ in $(seq 1200); do
		grep -q "listening\|serving" "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "listening\|serving" "$1" 2>/dev/null
}

# vm TAG IMAGE ARGS...: one guest in the foreground, console to $W/TAG.log.
# IMAGE is a name in IMGDIR or a path.
vm() {
	local tag=$1 img=$2; shift 2
	[[ $img == */* ]] || img=$IMG/$img.elf
	"$QR" --machine microvm --memory 64M --timeout 300 --mewz-host "$W/vh.sock" \
		--qemu-arg -pidfile --qemu-arg "$W/$tag.qpid" \
		"$img" -- "$@" >"$W/$tag.log" 2>&1
}

mkdir -p "$W/www"
head -c 16777216 /dev/urandom >"$W/www/big"
echo "small file" >"$W/www/small.txt"

"$D" --share "$W/www:/www" --vhost-user "$W/vh.sock" --allow-bind ::1 -v \
	>"$W/host.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do [ -S "$W/vh.sock" ] && break; sleep 0.05; done

start() { # start TAG IMAGE ARGS...: a server VM, wait for its banner
	local tag=$1
	vm "$@" &
	pids+=($!)
	up "$W/$tag.log" "$!" && return
	echo "($tag did not come up; its console:)"
	sed 's/^/     /' "$W/$tag.log" | tail -n 20
}
start echo tcp_echo $P_ECHO
start http http_hello $P_HTTP
start file file_server $P_FILE /www
start udp udp_echo $P_UDP
[ -n "$NETSRV" ] && start bench "$NETSRV" $P_BENCH 127.0.0.1

check echo-small "$C" echo $P_ECHO 100
check echo-16MiB-checksum "$C" echo $P_ECHO 16777216

hello_curl() { [ "$(curl -s --max-time 30 http://127.0.0.1:$P_HTTP/)" = "Hello from Mewz!" ]; }
check http-curl hello_curl
keepalive() {
	curl -sv --max-time 30 http://127.0.0.1:$P_HTTP/a http://127.0.0.1:$P_HTTP/b 2>&1 |
		grep -qi "re-us"
}
check http-keepalive-reuse keepalive
check http-64-concurrent "$C" http $P_HTTP 64 5
# 128 at once, six rounds, each opened as the last one closes: the new
# burst meets a server still closing the old (bench/http's pattern).
check http-128-concurrent-6-rounds "$C" http $P_HTTP 128 5 "" 6
# The same against bench/http's server, which once accepted and closed
# what did not fit its table: a burst that met the last one still open
# was refused (wrk got 0 requests/s, reconnecting without end).
[ -n "$NETSRV" ] && check bench-server-128-concurrent-6-rounds \
	"$C" http $P_BENCH 128 5 $'Hello, world\n' 6

file_big() {
	[ "$(curl -s --max-time 120 http://127.0.0.1:$P_FILE/big | sha256sum)" = \
		"$(sha256sum <"$W/www/big")" ]
}
check file-16MiB-sha256 file_big
check file-client-leaves-midway "$C" abort $P_FILE /big 1000000
file_small() { [ "$(curl -s --max-time 30 http://127.0.0.1:$P_FILE/small.txt)" = "small file" ]; }
check file-serves-after-abort file_small

check guest-closes-while-host-sends "$C" flood $P_HTTP 67108864
check http-after-flood "$C" http $P_HTTP 1 3

check udp-round-trip "$C" udp $P_UDP 40

client_fetch() { vm client http_client localhost $P_HTTP / && grep -q "Hello from Mewz!" "$W/client.log"; }
check client-resolves-and-fetches client_fetch
client_refused() { ! vm refused http_client localhost $P_CLOSED / && grep -qi "refused" "$W/refused.log"; }
check client-connect-refused client_refused
policy_bind() {
	! vm policy tcp_echo $P_POLICY 0.0.0.0 && grep -q "denied" "$W/policy.log" &&
		grep -q "policy: refused bind to 0.0.0.0" "$W/host.log"
}
check policy-refuses-bind policy_bind

# The programs that check the imports from inside, one line per case.
for prog in api:sock_api we:sock_we; do
	tag=${prog%%:*} name=${prog#*:}
	vm "$tag" "$name"
	api_rc=$?
	api_ok=$(grep -c '^ok ' "$W/$tag.log")
	api_fail=$(grep -c '^FAIL ' "$W/$tag.log")
	grep -E '^(ok|FAIL) ' "$W/$tag.log" | sed "s/^ok  */ok   $tag: /; s/^FAIL /FAIL $tag: /"
	pass=$((pass + api_ok)) fail=$((fail + api_fail))
	if [ "$api_rc" != "$api_fail" ] || [ "$api_ok" = 0 ]; then
		echo "FAIL $tag: $name exited $api_rc"; fail=$((fail + 1))
		tail -n 5 "$W/$tag.log" | sed 's/^/     /'
	fi
done

# The front-end: `mewz run --share DIR app.wasm` boots the VM with its own
# mewz-host, and the same hello program answers curl.
if [ -n "$MEWZ" ]; then
	mkdir -p "$W/runshare"
	timeout 300 "$MEWZ" run --timeout 280 --share "$W/runshare" \
		"$WASM/http_hello.wasm" -- $P_RUN >"$W/run.log" 2>&1 &
	pids+=($!)
	up "$W/run.log" "$!" || sed 's/^/     /' "$W/run.log" | tail -n 20
	run_curl() { [ "$(curl -s --max-time 30 http://127.0.0.1:$P_RUN/)" = "Hello from Mewz!" ]; }
	check mewz-run-vm-share-hello run_curl
fi

# Without --share, a program that imports socket calls still gets its own
# mewz-host (net=host), and a policy option reaches it.
if [ -n "$MEWZ" ]; then
	timeout 300 "$MEWZ" run --timeout 280 --allow-bind 127.0.0.1 "$WASM/http_hello.wasm" \
		-- $P_BARE >"$W/bare.log" 2>&1 &
	pids+=($!)
	up "$W/bare.log" "$!" || sed 's/^/     /' "$W/bare.log" | tail -n 20
	bare_curl() { [ "$(curl -s --max-time 30 http://127.0.0.1:$P_BARE/)" = "Hello from Mewz!" ]; }
	check mewz-run-vm-sockets-without-share bare_curl
fi

no_san() { ! grep -q "ERROR: AddressSanitizer\|runtime error:" "$W/host.log"; }
check daemon-clean-under-asan no_san

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
