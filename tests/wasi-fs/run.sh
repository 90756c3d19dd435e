#!/bin/bash
# Suites wasi-fs-native / wasi-fs-qemu: the conformance programs
# (tests/wasi-fs/*.c) and examples/files.c run through `mewz run [--native]
# --share`, each program's own checks added up, plus checks of the host
# directories afterwards.  Every program runs twice: with a mewz-host that
# mewz starts for it (--share), and against one running daemon with the
# smallest frame (--host, --max-frame 4096), so every large read, write and
# readdir is split; the two outputs must be identical.  Then: a program
# that traps leaves the shared daemon serving, and a daemon that is killed
# turns the program's calls into EIO.  As root, conf_readdir's inode check
# also runs on an overlay mounted here (ovl_up); elsewhere it is skipped.
#
# Usage: run.sh MODE MEWZ DAEMON WASM_DIR EXAMPLES_DIR WORK_DIR [REF_DIR]
#   MODE native: `mewz run --native --share` (AF_UNIX to mewz-host)
#   MODE qemu:   `mewz run --accel tcg --share` (mewz-host over vhost-user
#                vsock into a microvm under QEMU TCG); the shared daemon
#                is DAEMON with --vhost-user
#   REF_DIR      a native run's WORK_DIR: every output must equal its own
# Outputs are kept in WORK_DIR/out-MODE-PASS/.
set -u
mode=$1 mewz=$2 daemon=$3 wasm=$4 examples=$5 work=$6 ref=${7:-}
pass=0 fail=0 skip=0
dpid=

# The overlay that conf_readdir_ino lists (ovl_up), unmounted on any exit.
ovl=$work/ovl
ovl_down() {
	local m
	for m in "$ovl/mnt" "$ovl/lower"; do
		# Lazily if still busy (a daemon exiting): never leave a
		# mount for the next run's rm -rf to delete through.
		if mountpoint -q "$m" 2>/dev/null; then umount "$m" || umount -l "$m"; fi
	done
	return 0
}
cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	ovl_down
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: got [$2], expected [$3]"; fi; }

ovl_down # left by a run that was killed
rm -rf "$work"
mkdir -p "$work"
export MEWZ_CACHE_DIR=${MEWZ_CACHE_DIR:-$work/cache}

# A fresh share for program $1: data emptied (the directories themselves
# stay, a running daemon holds them open) and ro holding ro.txt.
fresh() {
	mkdir -p "$work/share/data" "$work/share/ro"
	find "$work/share/data" -mindepth 1 -delete
	find "$work/share/ro" -mindepth 1 -delete
	printf 'read only\n' >"$work/share/ro/ro.txt"
	[ "$1" = files ] && printf 'line one\nline two\n' >"$work/share/data/notes.txt"
	return 0
}

# launch WASM own|host [mewz run options]: run the program with a daemon
# mewz starts for it (--share) or against the running one (--host).
launch() {
	local file=$1 how=$2
	shift 2
	local opts=("$@")
	if [ "$mode" = qemu ]; then
		# TCG, a bound on a stuck VM; not a timing assertion.
		opts+=(--accel tcg --timeout 600)
	else
		opts+=(--native)
	fi
	if [ "$how" = own ]; then
		"$mewz" run "${opts[@]}" "$file" "${shares[@]}" \
			${pargs[@]+-- "${pargs[@]}"}
	else
		"$mewz" run "${opts[@]}" "$file" --host "$hostsock"
	fi
}

# prog NAME WASM STATUS own|host [mewz run options]: run it; output in
# $work/out-$mode-$passname/NAME.
prog() {
	local name=$1 file=$2 want=$3 how=$4
	shift 4
	local out=$work/out-$mode-$passname/$name
	mkdir -p "${out%/*}"
	launch "$file" "$how" "$@" >"$out" 2>"$out.err" </dev/null
	local rc=$?
	expect "$passname $name exit status (stderr: $(head -c 300 "$out.err"))" "$rc" "$want"
	# The program's own checks count one by one.
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	if [ -n "$line" ] && [ "$name" != crash ]; then
		pass=$((pass + ${line%% *}))
		local f=${line#*, }
		fail=$((fail + ${f%% *}))
		grep '^FAIL' "$out" | sed "s/^/$passname $name: /"
	elif [ "$name" != files ] && [ "$name" != crash ] && [ "$name" != conf_exit ]; then
		bad "$passname $name: no result line"
	fi
	[ "$name" = crash ] && return
	if [ -n "$ref" ]; then
		local refpass=$passname
		[ "$passname" = q35 ] && refpass=share
		expect "$passname $name: output identical to native" \
			"$(cat "$out")" "$(cat "$ref/out-native-$refpass/$name" 2>/dev/null)"
	fi
}

# The host side after each program.
after_fd() {
	local d=$work/share/data
	expect "$passname fd: a.txt on the host" "$(cat "$d/a.txt")" "HELLO world!!??#"
	expect "$passname fd: b.txt size" "$(stat -c %s "$d/b.txt")" 4096
	expect "$passname fd: big.bin size" "$(stat -c %s "$d/big.bin")" 1048579
}

after_path() {
	local d=$work/share/data
	expect "$passname path: tree" "$(cd "$d" && find . | sort | tr '\n' ' ')" ". ./e ./e/h ./e/h2 ./e/l "
	expect "$passname path: e/h" "$(cat "$d/e/h")" "0123456789"
	expect "$passname path: h2 is a hard link" "$(stat -c %i "$d/e/h2")" "$(stat -c %i "$d/e/h")"
	expect "$passname path: e/l target" "$(readlink "$d/e/l")" "h"
	expect "$passname path: ro share untouched" \
		"$(cd "$work/share/ro" && find . | sort | tr '\n' ' ')$(cat "$work/share/ro/ro.txt")" \
		". ./ro.txt read only"
}

after_readdir() {
	expect "$passname readdir: share left empty" "$(ls -A "$work/share/data")" ""
}

after_files() {
	local d=$work/share/data
	expect "$passname files: tree" "$(cd "$d" && find . | sort | tr '\n' ' ')" \
		". ./archive ./archive/notes-copy.txt ./notes.txt "
	expect "$passname files: copy content" "$(cat "$d/archive/notes-copy.txt")" "line one
line two"
	expect "$passname files: output" "$(cat "$work/out-$mode-$passname/files")" "copied /data/notes.txt -> /data/notes-copy.txt (18 bytes)
copied /data/notes.txt -> /data/scratch.txt (18 bytes)
/data:
  archive              dir  0
  notes-copy.txt       file 18
  notes.txt            file 18
  scratch.txt          file 18
renamed notes-copy.txt -> archive/notes-copy.txt
deleted scratch.txt
/data:
  archive              dir  0
  notes.txt            file 18
/data/archive:
  notes-copy.txt       file 18"
}

# start_daemon ARGS...: a mewz-host in the background, $dpid, ready when
# this returns (it writes "ready" to --ready-fd; no polling).
start_daemon() {
	local fifo=$work/ready.fifo
	rm -f "$fifo" && mkfifo "$fifo"
	"$daemon" "$@" --ready-fd 9 9>"$fifo" 2>>"$work/daemon.log" &
	dpid=$!
	local line=
	read -r line <"$fifo"
	rm -f "$fifo"
	if [ "$line" = ready ]; then ok; else bad "daemon did not start ($*)"; fi
}

shares=(--share "$work/share/data:/data" --share "$work/share/ro:/ro:ro")
pargs=()
programs="fd path readdir files"

wasm_of() { if [ "$1" = files ]; then echo "$examples/files.wasm"; else echo "$wasm/fs_$1.wasm"; fi; }

# ovl_up: an overlay at $ovl/mnt whose lower layer is a tmpfs and whose
# upper one lies in $work, on another file system: overlayfs then lists a
# merged directory (and "." of one) under another inode than its stat
# gives.  It holds a merged directory sub (sub/g from below), a lower-only
# file f, an upper-only file u and a symlink l -> f.  Fails where it
# cannot be made: not root, no overlayfs, an upper file system it refuses.
ovl_up() {
	[ "$(id -u)" = 0 ] || return 1
	mkdir -p "$ovl/lower" "$ovl/upper/sub" "$ovl/work" "$ovl/mnt" || return 1
	mount -t tmpfs -o size=1m tmpfs "$ovl/lower" 2>/dev/null || return 1
	mkdir "$ovl/lower/sub" && echo g >"$ovl/lower/sub/g" &&
		echo f >"$ovl/lower/f" && echo u >"$ovl/upper/u" &&
		ln -s f "$ovl/upper/l" &&
		mount -t overlay overlay -o "lowerdir=$ovl/lower,upperdir=$ovl/upper,workdir=$ovl/work" \
			"$ovl/mnt" 2>/dev/null
}

# --- pass 1: mewz starts a daemon for each program ----------------------
passname=share
for p in $programs; do
	fresh $p
	prog "$p" "$(wasm_of $p)" 0 own
	after_$p
done

# The conformance programs (conf_*.c): a scratch share under the name an
# independent suite gives it ("fs-tests.dir", or "/" in its newer
# layout), the name as argv[1]; each must leave its share empty.
conf() {
	local out=$1 name=$2 want=$3
	shift 3
	prog "$out" "$wasm/conf_$name.wasm" "$want" own "$@"
	expect "$passname $out: share left empty" \
		"$(find "$work/share/conf" "$work/share/conf2" -mindepth 1)" ""
}
mkdir -p "$work/share/conf" "$work/share/conf2"
saved_shares=("${shares[@]}")
shares=(--share "$work/share/conf:fs-tests.dir")
pargs=(fs-tests.dir)
for p in fd path readdir stdio; do
	conf "conf_$p" "$p" 0
done
shares=(--share "$work/share/conf:/")
pargs=(/)
conf conf_fd_root fd 0
shares=(--share "$work/share/conf:/" --share "$work/share/conf2:fs-tests.dir")
pargs=(/ fs-tests.dir)
conf conf_preopen preopen 0
shares=()
pargs=(first 'the "second" arg' 3)
conf conf_misc misc 0 --env a=text --env 'b=escap " ing' --env 'c=new
line'
pargs=()
conf conf_exit exit 33
# fd_readdir's d_ino against path_filestat_get's ino where the two come
# from different places (ovl_up); skipped, not passed, where there is no
# such overlay.
if ovl_up; then
	shares=(--share "$ovl/mnt:fs-tests.dir")
	pargs=(fs-tests.dir ino f l sub u)
	prog conf_readdir_ino "$wasm/conf_readdir.wasm" 0 own
else
	echo "skip conf_readdir_ino: needs root and overlayfs over a tmpfs"
	skip=$((skip + 1))
fi
ovl_down
shares=("${saved_shares[@]}")

# q35: the device on virtio-pci instead of virtio-mmio.
if [ "$mode" = qemu ]; then
	passname=q35
	fresh files
	prog files "$(wasm_of files)" 0 own --machine q35
	after_files
fi

# --- pass 2: one running daemon, 4 KiB frames ---------------------------
passname=host
fresh none
if [ "$mode" = native ]; then
	hostsock=$work/host.sock
	start_daemon "${shares[@]}" --unix "$hostsock" --max-frame 4096
else
	hostsock=$work/host.vh
	start_daemon "${shares[@]}" --vhost-user "$hostsock" --max-frame 4096
fi
for p in $programs; do
	fresh $p
	prog "$p" "$(wasm_of $p)" 0 host
	after_$p
	expect "$p: same output at 4 KiB frames as at the default" \
		"$(cat "$work/out-$mode-host/$p")" "$(cat "$work/out-$mode-share/$p")"
done

# A trapping program does not take the shared daemon down.
fresh none
prog crash "$wasm/fs_crash.wasm" 134 host
expect "crash: got to the trap" "$(head -n 1 "$work/out-$mode-host/crash")" "about to trap"
if kill -0 "$dpid" 2>/dev/null; then ok; else bad "daemon died with the program"; fi
fresh readdir
prog readdir-after-crash "$wasm/fs_readdir.wasm" 0 host
kill -TERM "$dpid"
wait "$dpid"
expect "daemon exits 0 on SIGTERM" "$?" 0
dpid=

# --- a daemon that goes away: EIO, no hang ------------------------------
passname=gone
fresh none
stdin_opt=()
if [ "$mode" = native ]; then
	hostsock=$work/gone.sock
	start_daemon "${shares[@]}" --unix "$hostsock"
else
	hostsock=$work/gone.vh
	start_daemon "${shares[@]}" --vhost-user "$hostsock"
	stdin_opt=(--stdin)
fi
# (--stdin: a serial line carries the "go" line to the VM.)
mkfifo "$work/gone.in" "$work/gone.out"
mkdir -p "$work/out-$mode-gone"
launch "$wasm/fs_gone.wasm" host "${stdin_opt[@]+"${stdin_opt[@]}"}" \
	<"$work/gone.in" >"$work/gone.out" 2>"$work/out-$mode-gone/gone.err" &
gpid=$!
exec 6>"$work/gone.in" 7<"$work/gone.out"
first=
while read -r -u 7 first && [ "$first" != opened ]; do :; done
expect "gone: program opened its file" "$first" "opened"
# bash reports the killed job on its stderr: expected, so hidden.
exec 8>&2 2>/dev/null
kill -KILL "$dpid"
wait "$dpid"
exec 2>&8 8>&-
dpid=
echo go >&6
exec 6>&-
cat <&7 >"$work/out-$mode-gone/gone"
exec 7<&-
wait "$gpid"
expect "gone: program ended normally" "$?" 0
line=$(grep -E '^[0-9]+ passed' "$work/out-$mode-gone/gone")
if [ -n "$line" ]; then
	pass=$((pass + ${line%% *}))
	f=${line#*, }
	fail=$((fail + ${f%% *}))
	grep '^FAIL' "$work/out-$mode-gone/gone" | sed 's/^/gone: /'
else
	bad "gone: no result line"
fi
if [ -n "$ref" ]; then
	expect "gone: output identical to native" "$(cat "$work/out-$mode-gone/gone")" \
		"$(cat "$ref/out-native-gone/gone" 2>/dev/null)"
fi

# The daemons run under ASan+UBSan: their logs must be clean.
if grep -qE 'Sanitizer|runtime error' "$work/daemon.log" 2>/dev/null; then
	bad "daemon sanitizer report in $work/daemon.log"
else
	ok
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
