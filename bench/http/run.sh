#!/bin/bash
# run.sh OUTDIR SERVER.wasm SECS CONNS - wrk against the same hello server
# three ways, one after the other in one run:
#   native    tests/net/progs/server.c built for Linux (the reference)
#   net=lwip  the wasm server in a VM, lwIP over virtio-net, QEMU user
#             network, mewz run --net=lwip -p
#   net=host  the same wasm, mewz run --net=host: its sockets owned by
#             mewz-host over vhost-user vsock (falls back to mewz run
#             --native, the same hostcall path minus the VM)
# Prints requests/s and p99 latency for each and the ratios.  The VM uses
# KVM when /dev/kvm is usable, TCG otherwise (BENCH_ACCEL=kvm|tcg|auto).
set -u
out=$1 wasm=$2 secs=$3 conns=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
mewz=$root/build/bin/mewz
accel=${BENCH_ACCEL:-auto}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-http.XXXXXX")
pid=

kill_tree() { # PID: children first, by process id
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$c"; done
	kill "$1" 2>/dev/null
}
cleanup() {
	[ -n "$pid" ] && kill_tree "$pid" && wait "$pid" 2>/dev/null
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
ready() { # PORT LOG
	local i
	for i in $(seq 1 3000); do
		if grep -q listening "$2" && curl -s -m 5 -o /dev/null "http://127.0.0.1:$1/"; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# wrk against PORT; sets rps and p99 (ms), or n/a.
measure() { # NAME PORT
	local log=$tmp/$1.wrk
	rps=n/a p99=n/a
	# warm-up (connection set-up, caches), then the measured run
	wrk -t1 -c"$conns" -d2s "http://127.0.0.1:$2/" >/dev/null 2>&1
	if wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$2/" >"$log" 2>&1; then
		rps=$(awk '/^Requests\/sec:/ {print $2}' "$log")
		p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) sub(/ms$/,"",v); else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' "$log")
		errs=$(awk '/Non-2xx|Socket errors/' "$log")
		[ -n "$errs" ] && echo "  $1: $errs"
	fi
	[ -z "$rps" ] && rps=n/a
	[ -z "$p99" ] && p99=n/a
}

stop() {
	python3 "$root/tests/net/netcheck.py" quit "$1" >/dev/null 2>&1
	kill_tree "$pid"
	wait "$pid" 2>/dev/null
	pid=
}

declare -A RPS P99 NOTE

# --- native ---------------------------------------------------------------
port=$(free_port)
"$out/server-native" "$port" 127.0.0.1 >"$tmp/native.log" 2>&1 &
pid=$!
if ready "$port" "$tmp/native.log"; then measure native "$port"; else rps=n/a p99=n/a; fi
RPS[native]=$rps P99[native]=$p99
stop "$port"

# --- net=lwip -------------------------------------------------------------
port=$(free_port)
"$mewz" run "$wasm" --net=lwip -p "$port:8080" --accel "$accel" --timeout 600 -- 8080 127.0.0.1 \
	>"$tmp/lwip.log" 2>&1 &
pid=$!
if ready "$port" "$tmp/lwip.log"; then measure lwip "$port"; else rps=n/a p99=n/a; sed 's/^/  lwip| /' "$tmp/lwip.log" | tail -5; fi
RPS[lwip]=$rps P99[lwip]=$p99
stop "$port"

# --- net=host -------------------------------------------------------------
# In a VM through the same front-end: mewz run starts mewz-host, which owns
# the guest's sockets, over vhost-user vsock.  If that does not come up, the
# same wasm as a Linux process (mewz run --native): the hostcall path minus
# the VM.
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
RPS[host]=$rps P99[host]=$p99
stop "$port"

ratio() { # A B -> A/B or n/a
	python3 -c "import sys
try: print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))
except Exception: print('n/a')" "$1" "$2"
}

# What qemu-run.sh picked for the VMs (it probes KVM once per host boot).
vm_accel=$("$root/guest/plat/kvm/qemu-run.sh" --accel "$accel" --print-cmd /dev/null 2>/dev/null |
	grep -o -- '-accel [a-z]*' | head -1 | cut -d' ' -f2)
echo "bench-http: wrk -t2 -c$conns -d${secs}s, hello over keep-alive; VM accel: $vm_accel"
printf '%-10s %14s %12s  %s\n' mode "requests/s" "p99 (ms)" note
printf '%-10s %14s %12s  %s\n' native "${RPS[native]}" "${P99[native]}" "the same C, Linux sockets"
printf '%-10s %14s %12s  %s\n' net=lwip "${RPS[lwip]}" "${P99[lwip]}" "lwIP in the guest, virtio-net, QEMU user net"
printf '%-10s %14s %12s  %s\n' net=host "${RPS[host]}" "${P99[host]}" "${NOTE[host]}"
echo "ratio net=lwip / net=host requests/s: $(ratio "${RPS[lwip]}" "${RPS[host]}") (target >= 2)"
echo "ratio net=lwip / native requests/s:   $(ratio "${RPS[lwip]}" "${RPS[native]}")"
echo "ratio net=host / native requests/s:   $(ratio "${RPS[host]}" "${RPS[native]}")"
