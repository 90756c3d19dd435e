# check.sh - check.h for shell suites, sourced: each check counts one case,
# and check_report prints the closing "N passed, N failed" line and
# returns non-zero on any failure (end the script with it).
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect NAME ACTUAL EXPECTED
expect() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: got [$2], expected [$3]"; fi
}

# contains NAME HAYSTACK NEEDLE / lacks NAME HAYSTACK NEEDLE
contains() {
	if [[ "$2" == *"$3"* ]]; then ok; else bad "$1: [$2] lacks [$3]"; fi
}
lacks() {
	if [[ "$2" != *"$3"* ]]; then ok; else bad "$1: [$2] has [$3]"; fi
}

check_report() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}
