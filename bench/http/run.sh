#!/bin/bash
# run.sh OUTDIR SERVER.wasm SECS CONNS [ROUNDS] - wrk against the same
# hello server several ways in one run:
#   native    tests/net/progs/server.c built for Linux (the reference)
#   net=lwip  the wasm server in a VM, lwIP over virtio-net, QEMU user
#             network, mewz run --net=lwip -p
#   lwip+tap  the same over a tap device (mewz run --net=lwip --tap), the
#             production set-up where the host allows it: only as root
#             with /dev/net/tun and ip(8), on a private /30 with no route
#   net=host  the same wasm, mewz run --net=host: its sockets owned by
#             mewz-host over vhost-user vsock (falls back to mewz run
#             --native, the same hostcall path minus the VM)
# The VM modes run ROUNDS times (default 3), interleaved, so a machine
# whose speed drifts affects them alike; each figure is the median.
# Prints requests/s and p99 latency for each and the ratios.  The VM uses
# KVM when /dev/kvm is usable, TCG otherwise (BENCH_ACCEL=kvm|tcg|auto).
set -u
out=$1 wasm=$2 secs=$3 conns=$4 rounds=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
mewz=$root/build/bin/mewz
accel=${BENCH_ACCEL:-auto}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-http.XXXXXX")
pid= tap=
tap_net=192.168.252

kill_tree() { # PID: children first, by process id
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$c"; done
	kill "$1" 2>/dev/null
}
cleanup() {
	[ -n "$pid" ] && kill_tree "$pid" && wait "$pid" 2>/dev/null
	[ -n "$tap" ] && ip link del "$tap" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
	echo "bench-http: wrk is not installed (Debian package wrk)"
	exit 1
fi

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Wait up to 300 s for the server's "listening" line and a first answer.
ready() { # PORT LOG [ADDR]
	local i
	for i in $(seq 1 3000); do
		if grep -q listening "$2" && curl -s -m 5 -o /dev/null "http://${3:-127.0.0.1}:$1/"; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# wrk against PORT; sets rps and p99 (ms), or n/a.
measure() { # NAME PORT [ADDR]
	local log=$tmp/$1.wrk url=http://${3:-127.0.0.1}:$2/
	rps=n/a p99=n/a
	# warm-up (connection set-up, caches), then the measured run
	wrk -t1 -c"$conns" -d2s "$url" >/dev/null 2>&1
	if wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" >"$log" 2>&1; then
		rps=$(awk '/^Requests\/sec:/ {print $2}' "$log")
		p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) sub(/ms$/,"",v); else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' "$log")
		errs=$(awk '/Non-2xx|Socket errors/' "$log")
		[ -n "$errs" ] && echo "  $1: $errs"
	fi
	[ -z "$rps" ] && rps=n/a
	[ -z "$p99" ] && p99=n/a
}

stop() { # [PORT]: ask the server on 127.0.0.1:PORT to quit, then make sure
	[ -n "${1:-}" ] && python3 "$root/tests/net/netcheck.py" quit "$1" >/dev/null 2>&1
	kill_tree "$pid"
	wait "$pid" 2>/dev/null
	pid=
}

declare -A RPS P99 NOTE

# record MODE: append this run's figures to MODE's lists.
record() { RPS[$1]+="$rps " P99[$1]+="$p99 "; }

run_native() {
	port=$(free_port)
	"$out/server-native" "$port" 127.0.0.1 >"$tmp/native.log" 2>&1 &
	pid=$!
	if ready "$port" "$tmp/native.log"; then measure native "$port"; else rps=n/a p99=n/a; fi
	record native
	stop "$port"
}

run_lwip() {
	port=$(free_port)
	"$mewz" run "$wasm" --net=lwip -p "$port:8080" --accel "$accel" --timeout 600 -- 8080 127.0.0.1 \
		>"$tmp/lwip.log" 2>&1 &
	pid=$!
	if ready "$port" "$tmp/lwip.log"; then measure lwip "$port"; else rps=n/a p99=n/a; sed 's/^/  lwip| /' "$tmp/lwip.log" | tail -5; fi
	record lwip
	stop "$port"
}

# A tap device on a private /30 (no gateway: nothing leaves this host).
tap_up() {
	[ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && command -v ip >/dev/null || return 1
	ip -4 addr | grep -q "inet $tap_net\." && return 1
	tap=mwzb$$
	ip tuntap add dev "$tap" mode tap && ip addr add "$tap_net.1/30" dev "$tap" &&
		ip link set "$tap" up && return 0
	ip link del "$tap" 2>/dev/null
	tap=
	return 1
}

run_tap() {
	"$mewz" run "$wasm" --net=lwip --tap "$tap" --ip "$tap_net.2/30" --accel "$accel" --timeout 600 \
		-- 8080 0.0.0.0 >"$tmp/tap.log" 2>&1 &
	pid=$!
	if ready 8080 "$tmp/tap.log" "$tap_net.2"; then measure tap 8080 "$tap_net.2"; else rps=n/a p99=n/a; sed 's/^/  tap| /' "$tmp/tap.log" | tail -5; fi
	record tap
	stop # (QUIT goes to 127.0.0.1 only: the VM is stopped instead)
}

# In a VM through the same front-end: mewz run starts mewz-host, which owns
# the guest's sockets, over vhost-user vsock.  If that does not come up, the
# same wasm as a Linux process (mewz run --native): the hostcall path minus
# the VM.
run_host() {
	port=$(free_port)
	mkdir -p "$tmp/share"
	NOTE[host]="VM, mewz-host over vhost-user vsock"
	"$mewz" run "$wasm" --net=host --accel "$accel" --timeout 600 -- "$port" 127.0.0.1 \
		>"$tmp/host.log" 2>&1 &
	pid=$!
	if ! ready "$port" "$tmp/host.log"; then
		sed 's/^/  host| /' "$tmp/host.log" | tail -3
		kill_tree "$pid"; wait "$pid" 2>/dev/null
		NOTE[host]="native process (the VM did not come up)"
		"$mewz" run --native --share "$tmp/share" "$wasm" -- "$port" 127.0.0.1 >"$tmp/host.log" 2>&1 &
		pid=$!
		ready "$port" "$tmp/host.log" || { sed 's/^/  host| /' "$tmp/host.log" | tail -5; }
	fi
	measure host "$port"
	record host
	stop "$port"
}

run_native
havetap=0
tap_up && havetap=1
for ((r = 0; r < rounds; r++)); do
	run_lwip
	[ $havetap = 1 ] && run_tap
	run_host
done

ratio() { # A B -> A/B or n/a
	python3 -c "import sys
try: print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))
except Exception: print('n/a')" "$1" "$2"
}

# The median of a mode's figures (n/a when none was measured).
med() {
	tr ' ' '\n' <<<"$1" | grep -E '^[0-9.]+$' | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# What qemu-run.sh picked for the VMs (it probes KVM once per host boot).
vm_accel=$("$root/guest/plat/kvm/qemu-run.sh" --accel "$accel" --print-cmd /dev/null 2>/dev/null |
	grep -o -- '-accel [a-z]*' | head -1 | cut -d' ' -f2)
echo "bench-http: wrk -t2 -c$conns -d${secs}s, hello over keep-alive; VM accel: $vm_accel; VM modes: median of $rounds interleaved rounds"
printf '%-10s %14s %12s  %s\n' mode "requests/s" "p99 (ms)" note
row() { # MODE LABEL NOTE
	printf '%-10s %14s %12s  %s\n' "$2" "$(med "${RPS[$1]}")" "$(med "${P99[$1]}")" "$3 [runs: ${RPS[$1]% }]"
}
row native native "the same C, Linux sockets"
row lwip net=lwip "lwIP in the guest, virtio-net, QEMU user net"
[ $havetap = 1 ] && row tap lwip+tap "lwIP in the guest, virtio-net, tap $tap_net.0/30"
row host net=host "${NOTE[host]}"
lw=$(med "${RPS[lwip]}") ho=$(med "${RPS[host]}")
echo "ratio net=lwip / net=host requests/s: $(ratio "$lw" "$ho") (target >= 2)"
[ $havetap = 1 ] && echo "ratio lwip+tap / net=host requests/s: $(ratio "$(med "${RPS[tap]}")" "$ho") (the production set-up where the host allows tap)"
echo "ratio net=lwip / native requests/s:   $(ratio "$lw" "$(med "${RPS[native]}")")"
echo "ratio net=host / native requests/s:   $(ratio "$ho" "$(med "${RPS[native]}")")"
