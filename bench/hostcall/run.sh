#!/bin/bash
# run.sh OUT MEWZ WASM NATIVE RUNS MIB NULL_OPS PREAD_OPS
# The hostcall benchmark, three peers in one run, RUNS rounds of each
# (interleaved, so a slow minute on a shared machine hits all of them):
#   host    NATIVE: hostcall_bench.c built for Linux, plain syscalls on the
#           same file (the host's own figure)
#   native  WASM under `mewz run --native --share`: every file call over
#           AF_UNIX to the mewz-host that mewz starts
#   vm      WASM under `mewz run --share`: a VM under QEMU, every file call
#           over virtio-vsock to mewz-host's vhost-user backend
#           (BENCH_ACCEL=kvm|tcg|auto, default auto: KVM when it can run a vCPU)
# Prints the median of each figure per peer and the ratio sequential read /
# in-guest memcpy (target >= 50%).  A benchmark: a peer that fails shows
# n/a and is reported, the script still exits 0 unless nothing ran.
set -u
out=$1 mewz=$2 wasm=$3 native=$4 runs=$5 mib=$6 nulls=$7 preads=$8
accel=${BENCH_ACCEL:-auto}
share=$out/share
logs=$out/logs
mkdir -p "$share" "$logs"
rm -f "$logs"/*
export MEWZ_CACHE_DIR=${MEWZ_CACHE_DIR:-$out/cache}

# auto: what qemu-run.sh picks (it checks that KVM can really run a vCPU;
# some hosts expose /dev/kvm but abort on it), named in the table.
if [ "$accel" = auto ]; then
	root=$(cd "$(dirname "$0")/../.." && pwd)
	accel=$("$root/guest/plat/kvm/qemu-run.sh" --accel auto --print-cmd /dev/null 2>/dev/null |
		grep -o -- '-accel [a-z]*' | head -1 | cut -d' ' -f2)
	[ -n "$accel" ] || accel=tcg
fi
# The VM's memory: the file is on the host, the guest holds two 1 MiB
# buffers; the default (64M) is plenty.
args=("$mib" "$nulls" "$preads")

# run_peer NAME ROUND: one run, its `hostcall:` lines appended to
# $logs/NAME.txt as "ROUND KEY VALUE"; failures go to $logs/NAME.err.
run_peer() {
	local name=$1 round=$2 o=$logs/$1.$2.out rc
	case $name in
	host) "$native" "$share" "${args[@]}" >"$o" 2>"$o.err" ;;
	native) "$mewz" run --native --share "$share:/data" "$wasm" -- /data "${args[@]}" \
		>"$o" 2>"$o.err" </dev/null ;;
	# --timeout bounds a stuck VM; it is not a timing assertion.
	vm) "$mewz" run --accel "$accel" --timeout 900 --share "$share:/data" "$wasm" \
		-- /data "${args[@]}" >"$o" 2>"$o.err" </dev/null ;;
	esac
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q '^hostcall: memcpy_mbs' "$o"; then
		echo "bench-hostcall: $name run $round failed (status $rc): $(head -c 300 "$o.err")" >&2
		return
	fi
	sed -n "s/^hostcall: /$round /p" "$o" >>"$logs/$name.txt"
}

for r in $(seq 1 "$runs"); do
	for p in host native vm; do run_peer "$p" "$r"; done
done
rm -f "$share/bench.bin"

python3 "$(dirname "$0")/table.py" "$logs" "$runs" "$mib" "$accel"
