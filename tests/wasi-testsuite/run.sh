#!/bin/bash
# Suite wasi-testsuite-adapter: mewz.py, the adapter through which
# WebAssembly/wasi-testsuite's runner drives mewz, in both of its forms.
# The programs are tests/wasi-fs's conformance programs (the suite's own
# binaries are not part of this tree).
#
# usage: run.sh MEWZ WASM_DIR WORK_DIR
set -u
mewz=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
wasm=$(cd "$2" && pwd) work=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check.sh"

rm -rf "$work"
mkdir -p "$work/fs-tests.dir"
work=$(cd "$work" && pwd)
export MEWZ="$mewz"

# The module form: the argv the runner would run.
got=$(cd "$here" && python3 - <<'PY' 2>&1
from pathlib import Path
import mewz
print(mewz.get_name(), mewz.get_wasi_versions())
print(mewz.compute_argv("t.wasm", (["a", "b c"], {"K": "v w"},
                        [(Path("/h/fs-tests.dir"), "fs-tests.dir")]),
                        [], "wasm32-wasip1")[1:])
try:
    mewz.compute_argv("t.wasm", ([], {}, [(Path("/h:x"), "d")]), [], "wasm32-wasip1")
    print("no error")
except ValueError as e:
    print("ValueError")
PY
)
expect "module: name, argv, a host path with ':' refused" "$got" \
"mewz ['wasm32-wasip1']
['run', '--share', '/h/fs-tests.dir:fs-tests.dir', '--env', 'K=v w', 't.wasm', '--', 'a', 'b c']
ValueError"
expect "module: get_version" "$(cd "$here" && python3 -c 'import mewz; print(mewz.get_version())')" \
	"$("$mewz" --version | cut -d' ' -f2)"
expect "command: --version" "$(python3 "$here/mewz.py" --version)" "$("$mewz" --version)"

# run NAME WANT_STATUS [mewz.py options]: one program through the command
# form, from a directory holding fs-tests.dir (as the runner does).
run() {
	local name=$1 want=$2 rc
	shift 2
	(cd "$work" && python3 "$here/mewz.py" "$@") >"$work/$name.out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
			ok
	else
		bad "$name: exit $rc, expected $want: $(tail -n 3 "$work/$name.out" | tr '\n' '|')"
	fi
}

for how in native vm; do
	if [ $how = native ]; then export MEWZ_ADAPTER_ARGS=--native; else export MEWZ_ADAPTER_ARGS="--accel tcg --timeout 600"; fi
	run "$how conf_exit" 33 --test-file "$wasm/conf_exit.wasm"
	run "$how conf_misc" 0 --test-file "$wasm/conf_misc.wasm" --arg first --arg 'the "second" arg' --arg 3 \
		--env a=text --env 'b=escap " ing' --env 'c=new
line'
	run "$how conf_fd" 0 --test-file "$wasm/conf_fd.wasm" --dir fs-tests.dir --arg fs-tests.dir
	expect "$how conf_fd: fs-tests.dir left empty" "$(find "$work/fs-tests.dir" -mindepth 1)" ""
	# A program that fails must fail through the adapter too: conf_fd
	# without its preopen exits 1.
	run "$how conf_fd without its directory" 1 --test-file "$wasm/conf_fd.wasm" --arg fs-tests.dir
done
check_report
