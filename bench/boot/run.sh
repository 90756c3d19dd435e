#!/bin/bash
# run.sh - boot benchmark: hello under the Mewz kernel against a minimal
# PVH kernel (minimal.S), both started with the same qemu-run.sh line, in
# the same run, interleaved; prints the medians and their ratio, the image
# size and the smallest -m that boots hello.  Not a test: nothing fails.
#
# usage: run.sh HELLO.elf MINIMAL.elf [RUNS]   (RUNS >= 10, default 41)
set -u
hello=$1 minimal=$2 runs=${3:-41}
qr=guest/plat/kvm/qemu-run.sh
machine=${BENCH_MACHINE:-microvm}

# One boot: "wall_us cpu_us" (cpu = user + sys of qemu-run and QEMU, which
# a loaded machine disturbs less than wall time); empty if it failed.  Wall
# time comes from EPOCHREALTIME (microseconds: time's milliseconds are 3%
# of a 33 ms boot).
boot_us() {
	local out rc t0 t1
	t0=${EPOCHREALTIME//[!0-9]/}
	out=$({ TIMEFORMAT='%3U %3S'; time "$qr" --accel tcg --machine "$machine" --memory 16M --timeout 30 \
		"$1" >/dev/null 2>&1 </dev/null; } 2>&1)
	rc=$?
	t1=${EPOCHREALTIME//[!0-9]/}
	[ "$rc" = 0 ] || return 0
	awk -v w=$((t1 - t0)) '{ printf "%d %d\n", w, ($1 + $2) * 1000000 }' <<<"$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

h=() m=()
for ((i = 0; i < runs; i++)); do
	h+=("$(boot_us "$hello")")
	m+=("$(boot_us "$minimal")")
done
col() { printf '%s\n' "${@:2}" | grep . | cut -d' ' -f"$1"; }
hm=$(col 1 "${h[@]}" | median)
mm=$(col 1 "${m[@]}" | median)
# The minimum and the CPU time are printed too: on a loaded machine they
# are the steadier figures.
hmin=$(col 1 "${h[@]}" | sort -n | head -n 1)
mmin=$(col 1 "${m[@]}" | sort -n | head -n 1)
hcpu=$(col 2 "${h[@]}" | median)
mcpu=$(col 2 "${m[@]}" | median)
echo "boot ($machine, TCG, qemu-run.sh start -> exit, median of $runs)"
echo "  mewz hello:     wall median ${hm} us, min ${hmin} us, cpu median ${hcpu} us  ($hello)"
echo "  minimal PVH:    wall median ${mm} us, min ${mmin} us, cpu median ${mcpu} us"
# Each hello boot and the minimal boot right after it ran under nearly the
# same load: the median of their ratios is the figure a drifting machine
# disturbs least.
pm=$(for ((i = 0; i < runs; i++)); do
	a=${h[i]%% *} b=${m[i]%% *}
	[ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { printf "%.6f\n", a / b }'
done | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v a="$hm" -v b="$mm" -v c="$hmin" -v d="$mmin" -v e="$hcpu" -v f="$mcpu" -v p="$pm" \
	'BEGIN { printf "  ratio:          %.3f wall medians, %.3f wall minimums, %.3f cpu medians, %.3f median of paired runs (target <= 1.10)\n", a / b, c / d, e / f, p }'

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
