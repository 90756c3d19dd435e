#!/bin/bash
# run.sh - boot benchmark: hello under the Mewz kernel against a minimal
# PVH kernel (minimal.S), both started with the same qemu-run.sh line, in
# the same run, interleaved; prints the medians and their ratio, the image
# size and the smallest -m that boots hello.  Not a test: nothing fails.
#
# usage: run.sh HELLO.elf MINIMAL.elf [RUNS]   (RUNS >= 10, default 15)
set -u
hello=$1 minimal=$2 runs=${3:-15}
qr=guest/plat/kvm/qemu-run.sh
machine=${BENCH_MACHINE:-microvm}

# Wall time of one boot, in microseconds; empty if it did not exit 0.
boot_us() {
	local t0 t1
	t0=$(date +%s%N)
	"$qr" --accel tcg --machine "$machine" --memory 16M --timeout 30 "$1" >/dev/null 2>&1 </dev/null || return 0
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

h=() m=()
for ((i = 0; i < runs; i++)); do
	h+=("$(boot_us "$hello")")
	m+=("$(boot_us "$minimal")")
done
hm=$(printf '%s\n' "${h[@]}" | grep . | median)
mm=$(printf '%s\n' "${m[@]}" | grep . | median)
# The minimum is printed too: on a loaded machine it is the steadier figure.
hmin=$(printf '%s\n' "${h[@]}" | grep . | sort -n | head -n 1)
mmin=$(printf '%s\n' "${m[@]}" | grep . | sort -n | head -n 1)
echo "boot ($machine, TCG, qemu-run.sh start -> exit, median of $runs)"
echo "  mewz hello:     median ${hm} us, min ${hmin} us  ($hello)"
echo "  minimal PVH:    median ${mm} us, min ${mmin} us"
awk -v a="$hm" -v b="$mm" -v c="$hmin" -v d="$mmin" \
	'BEGIN { printf "  ratio:          %.3f of medians, %.3f of minimums (target <= 1.10)\n", a / b, c / d }'

size=$(stat -c %s "$hello")
stripped=$(llvm-strip-19 -o - "$hello" | wc -c)
load=0
for h in $(llvm-readelf-19 -lW "$hello" | awk '$1 == "LOAD" { print $5 }'); do
	load=$((load + h)) # memory size of each loaded segment (hex)
done
echo "image: $size bytes ($stripped stripped, $load loaded)  (target <= 524288)"

# Smallest -m (MiB) at which hello still prints and exits 0.
lo=1 hi=16
while [ $lo -lt $hi ]; do
	mid=$(((lo + hi) / 2))
	if [ -n "$("$qr" --accel tcg --machine "$machine" --memory "${mid}M" --timeout 30 "$hello" 2>/dev/null </dev/null)" ] &&
		"$qr" --accel tcg --machine "$machine" --memory "${mid}M" --timeout 30 "$hello" >/dev/null 2>&1 </dev/null; then
		hi=$mid
	else
		lo=$((mid + 1))
	fi
done
echo "smallest memory: ${lo} MiB  (target: 16 MiB enough)"
