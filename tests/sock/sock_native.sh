#!/bin/bash
# sock-native: the socket examples as native programs (mewz build
# --native) whose sockets are mewz-host's, over loopback only.
#   sock_native.sh DAEMON SOCKC BINDIR [MEWZ WASMDIR]
# Every wait is bounded; a server that does not come up fails its cases.
set -u
D=$(realpath "$1") C=$(realpath "$2") BIN=$(realpath "$3")
MEWZ=${4:+$(realpath "$4")} WASM=${5:+$(realpath "$5")}
W=$(mktemp -d /tmp/mewz-sock.XXXXXX)
pass=0 fail=0
pids=()
# Ports from a per-run base, so parallel runs on one machine do not meet,
# and below the kernel's ephemeral range: a client port in TIME_WAIT there
# makes a server's bind fail with EADDRINUSE (see sock_qemu.sh, which
# draws from 20000-31990).
BASE=$((10000 + (RANDOM % 1000) * 10))
read -r eph_lo _ </proc/sys/net/ipv4/ip_local_port_range
[ $((BASE + 9)) -lt "$eph_lo" ] ||
	echo "(note: ports $BASE.. lie in the ephemeral range from $eph_lo; a bind may fail)"
P_ECHO=$BASE P_HTTP=$((BASE + 1)) P_FILE=$((BASE + 2)) P_UDP=$((BASE + 3))
P_CLOSED=$((BASE + 4)) P_POLICY=$((BASE + 5)) P_RUN=$((BASE + 6)) P_BARE=$((BASE + 7))

cleanup() {
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
# check NAME CMD...: passes when CMD exits 0 (output kept for a failure).
# Functions bound their own waits (curl --max-time, timeout on programs).
check() {
	local name=$1 to=(timeout 60); shift
	[ "$(type -t "$1")" = function ] && to=()
	if "${to[@]}" "$@" >"$W/out" 2>&1; then ok "$name"; else bad "$name"; fi
}

# up LOG PID: until LOG shows a server's banner (0), or PID is gone or 10 s
# have passed (1).
up() {
	for _ in $(seq 200); do
		grep -q "listening\|serving" "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "listening\|serving" "$1" 2>/dev/null
}

mkdir -p "$W/www"
head -c 16777216 /dev/urandom >"$W/www/big"
echo "small file" >"$W/www/small.txt"

"$D" --share "$W/www:/www" --unix "$W/h.sock" --allow-bind ::1 -v >"$W/host.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do [ -S "$W/h.sock" ] && break; sleep 0.05; done
export MEWZ_HOST_SOCKET=$W/h.sock

start() { # start NAME ARGS...: a server in the background, wait for its banner
	local name=$1; shift
	"$BIN/$name" "$@" >"$W/$name.log" 2>&1 &
	pids+=($!)
	up "$W/$name.log" "$!" && return
	echo "($name did not come up; its output:)"
	sed 's/^/     /' "$W/$name.log" | tail -n 20
}
start tcp_echo $P_ECHO
start http_hello $P_HTTP
start file_server $P_FILE /www
start udp_echo $P_UDP

# TCP echo: a few bytes, then 16 MiB sent and read concurrently.
check echo-small "$C" echo $P_ECHO 100
check echo-16MiB-checksum "$C" echo $P_ECHO 16777216

# HTTP hello: curl, keep-alive reuse, 64 concurrent keep-alive clients.
hello_curl() { [ "$(curl -s --max-time 10 http://127.0.0.1:$P_HTTP/)" = "Hello from Mewz!" ]; }
check http-curl hello_curl
keepalive() {
	curl -sv --max-time 10 http://127.0.0.1:$P_HTTP/a http://127.0.0.1:$P_HTTP/b 2>&1 |
		grep -qi "re-us"
}
check http-keepalive-reuse keepalive
check http-64-concurrent "$C" http $P_HTTP 64 20

# The file server: 16 MiB intact, a client leaving mid-transfer, then
# the server still serves.
file_big() {
	[ "$(curl -s --max-time 30 http://127.0.0.1:$P_FILE/big | sha256sum)" = \
		"$(sha256sum <"$W/www/big")" ]
}
check file-16MiB-sha256 file_big
check file-client-leaves-midway "$C" abort $P_FILE /big 1000000
file_small() { [ "$(curl -s --max-time 10 http://127.0.0.1:$P_FILE/small.txt)" = "small file" ]; }
check file-serves-after-abort file_small
file_404() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://127.0.0.1:$P_FILE/nope)" = 404 ]; }
check file-404 file_404

# The guest closes while the host still sends (an oversized request), and
# the server goes on serving.
check guest-closes-while-host-sends "$C" flood $P_HTTP 67108864
check http-after-flood "$C" http $P_HTTP 1 3

# UDP round trip, 1 to 9000 bytes.
check udp-round-trip "$C" udp $P_UDP 40

# The client: resolve "localhost", fetch, and a refused connection.
client_fetch() { timeout 30 "$BIN/http_client" localhost $P_HTTP / | grep -q "Hello from Mewz!"; }
check client-resolves-and-fetches client_fetch
client_refused() {
	! timeout 30 "$BIN/http_client" localhost $P_CLOSED / >"$W/cr.log" 2>&1 &&
		grep -qi "refused" "$W/cr.log"
}
check client-connect-refused client_refused

# Policy: binding 0.0.0.0 and connecting off loopback are refused, with
# an errno for the program and a line in the daemon's log.
policy_bind() {
	! timeout 30 "$BIN/tcp_echo" $P_POLICY 0.0.0.0 >"$W/pb.log" 2>&1 &&
		grep -q "denied" "$W/pb.log" &&
		grep -q "policy: refused bind to 0.0.0.0" "$W/host.log"
}
check policy-refuses-bind policy_bind
policy_connect() {
	! timeout 30 "$BIN/http_client" 192.0.2.1 80 / >"$W/pc.log" 2>&1 &&
		grep -q "denied" "$W/pc.log" &&
		grep -q "policy: refused connect to 192.0.2.1" "$W/host.log"
}
check policy-refuses-connect policy_connect

# The imports themselves, from inside a program: one line per case.
# sock_api: through examples/wasmedge_sock.h and wasi-libc; sock_we:
# WasmEdge's layouts as written from WasmEdge's source, every import.
run_prog() { # run_prog NAME: its ok/FAIL lines count; its exit status is
	local name=$1 rc n_ok n_fail # the number of its failures
	timeout 60 "$BIN/$name" >"$W/$name.log" 2>&1
	rc=$?
	n_ok=$(grep -c '^ok ' "$W/$name.log")
	n_fail=$(grep -c '^FAIL ' "$W/$name.log")
	grep -E '^(ok|FAIL) ' "$W/$name.log" | sed "s/^ok  */ok   $name: /; s/^FAIL /FAIL $name: /"
	pass=$((pass + n_ok)) fail=$((fail + n_fail))
	if [ "$rc" != "$n_fail" ] || [ "$n_ok" = 0 ]; then
		echo "FAIL $name: exited $rc"; fail=$((fail + 1))
		tail -n 5 "$W/$name.log" | sed 's/^/     /'
	fi
}
run_prog sock_api
run_prog sock_we

# The front-end: `mewz run --native --share` starts its own mewz-host, and
# the same hello program answers curl.
if [ -n "$MEWZ" ]; then
	mkdir -p "$W/runshare"
	timeout 120 "$MEWZ" run --native --share "$W/runshare" "$WASM/http_hello.wasm" \
		-- $P_RUN >"$W/run.log" 2>&1 &
	pids+=($!)
	up "$W/run.log" "$!" || sed 's/^/     /' "$W/run.log" | tail -n 20
	run_curl() { [ "$(curl -s --max-time 10 http://127.0.0.1:$P_RUN/)" = "Hello from Mewz!" ]; }
	check mewz-run-native-share-hello run_curl
fi

# Without --share, a program that imports socket calls still gets its own
# mewz-host (net=host), and a policy option reaches it.
if [ -n "$MEWZ" ]; then
	timeout 120 "$MEWZ" run --native --allow-bind 127.0.0.1 "$WASM/http_hello.wasm" \
		-- $P_BARE >"$W/bare.log" 2>&1 &
	pids+=($!)
	up "$W/bare.log" "$!" || sed 's/^/     /' "$W/bare.log" | tail -n 20
	bare_curl() { [ "$(curl -s --max-time 10 http://127.0.0.1:$P_BARE/)" = "Hello from Mewz!" ]; }
	check mewz-run-native-sockets-without-share bare_curl
fi

# Nothing the daemon did tripped its sanitizers.
no_san() { ! grep -q "ERROR: AddressSanitizer\|runtime error:" "$W/host.log"; }
check daemon-clean-under-asan no_san

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
