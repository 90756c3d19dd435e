#!/bin/bash
# Run each named suite (make suite-NAME), show its output, and add up the
# closing "N passed, N failed[, N skipped]" lines.  A suite that exits
# non-zero or prints no such line counts as one failure.  Exits non-zero if
# anything failed.
set -u
total_pass=0 total_fail=0 total_skip=0 bad=()
for s in "$@"; do
	echo "=== suite $s"
	log=$(mktemp)
	make --no-print-directory -s "suite-$s" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$line" ]; then
		echo "suite $s: no result line (exit $rc)"
		total_fail=$((total_fail + 1)); bad+=("$s"); continue
	fi
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | cut -d' ' -f1)
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | cut -d' ' -f1)
	k=$(grep -oE '[0-9]+ skipped' <<<"$line" | cut -d' ' -f1)
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + ${k:-0}))
	if [ "$f" != 0 ] || [ "$rc" != 0 ]; then
		[ "$f" = 0 ] && total_fail=$((total_fail + 1))
		bad+=("$s")
	fi
done
echo "=== all suites"
[ ${#bad[@]} -gt 0 ] && echo "failing suites: ${bad[*]}"
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
[ ${#bad[@]} -eq 0 ]
