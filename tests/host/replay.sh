#!/bin/bash
# Suite host-corpus: replays every file of tests/host/corpus/<target> once
# through build/.../fuzz_<target> (crash reproducers and seeds alike).
# Usage: replay.sh BUILD-DIR CORPUS-DIR
set -u
out=$1 corpus=$2 pass=0 fail=0
for t in proto host; do
	for f in "$corpus/$t"/*; do
		[ -f "$f" ] || continue
		if timeout 60 "$out/fuzz_$t" "$f" >/dev/null 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL fuzz_$t $f"
		fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
