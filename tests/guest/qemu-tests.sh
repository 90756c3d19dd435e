#!/bin/bash
# qemu-tests.sh - the guest-qemu suite: boot the stand-in programs
# (tests/guest/apps) under QEMU TCG through guest/plat/kvm/qemu-run.sh and
# check their output, stderr and exit status.  Every run has a timeout.
#
# usage: qemu-tests.sh BUILD_DIR   (holds hello.elf, probe.elf, big.elf)
set -u
dir=$1
run=guest/plat/kvm/qemu-run.sh
passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mewz-qt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# boot NAME [qemu-run options] APP [-- args]: output in $tmp/NAME.{out,err}, status in $status.
boot() {
	local name=$1
	shift
	"$run" --accel tcg --timeout 60 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	status=$?
}

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	for f in out err; do
		[ -s "$tmp/$1.$f" ] && sed 's/^/    '"$f"': /' "$tmp/$1.$f" | head -n 5
	done
}

# expect NAME STATUS STDOUT-GREP STDERR-GREP [qemu-run args...]
# Empty patterns are not checked.
expect() {
	local name=$1 want=$2 out=$3 err=$4
	shift 4
	boot "$name" "$@"
	if [ "$status" != "$want" ]; then
		fail "$name" "status $status, want $want"
	elif [ -n "$out" ] && ! grep -qE -- "$out" "$tmp/$name.out"; then
		fail "$name" "stdout lacks /$out/"
	elif [ -n "$err" ] && ! grep -qE -- "$err" "$tmp/$name.err"; then
		fail "$name" "stderr lacks /$err/"
	else
		ok
	fi
}

hello=$dir/hello.elf probe=$dir/probe.elf big=$dir/big.elf

# Boot on both machines, in the smallest memory the issue asks for.
expect hello-microvm 0 '^Hello, world!$' '' --machine microvm --memory 16M "$hello"
expect hello-q35 0 '^Hello, world!$' '' --machine q35 --memory 16M "$hello"
expect hello-pc 0 '^Hello, world!$' '' --machine pc --memory 16M "$hello"

# Arguments and environment with spaces, quotes, backslashes and UTF-8.
boot args --env 'GREETING=hello world' --env "Q=it's \"quoted\"" --env 'U=ünï' \
	"$probe" -- args 'two words' "it's" '"dq"' 'back\slash' 'é ü 日本' '' '\x41'
printf '%s\n' 'arg[0]=<probe>' 'arg[1]=<args>' 'arg[2]=<two words>' "arg[3]=<it's>" \
	'arg[4]=<"dq">' 'arg[5]=<back\slash>' 'arg[6]=<é ü 日本>' 'arg[7]=<>' 'arg[8]=<\x41>' \
	'env=<GREETING=hello world>' "env=<Q=it's \"quoted\">" 'env=<U=ünï>' >"$tmp/args.want"
if [ "$status" = 0 ] && cmp -s "$tmp/args.out" "$tmp/args.want"; then ok; else
	fail args "status $status or output differs: $(diff "$tmp/args.want" "$tmp/args.out" | head -n 4 | tr '\n' '|')"
fi

# Every exit status reaches the host unchanged.
expect return 0 '' '' "$probe" -- return
for code in 0 1 42 255; do
	expect "exit-$code" "$code" '' '' "$probe" -- exit "$code"
done

# Clocks: monotonic ordering, realtime within a few seconds of the host's
# (the RTC has 1 s resolution), resolutions, an unknown clock.
before=$(date +%s)
boot clock "$probe" -- clock
after=$(date +%s)
real=$(sed -n 's/^realtime_s //p' "$tmp/clock.out")
if [ "$status" = 0 ] && grep -q '^monotonic ok$' "$tmp/clock.out" && grep -q '^resolution ok$' "$tmp/clock.out" &&
	grep -q '^bad clock EINVAL$' "$tmp/clock.out" && [ -n "$real" ] &&
	[ "$real" -ge $((before - 3)) ] && [ "$real" -le $((after + 3)) ]; then ok; else
	fail clock "status $status, realtime '$real' vs host $before..$after"
fi

# poll_oneoff sleeps at least as long as asked and reports the event.
expect sleep 0 '^slept enough$' '' "$probe" -- sleep 100
if grep -q '^event ok$' "$tmp/sleep.out"; then ok; else fail sleep "event fields wrong"; fi
# ... and as long by the host's clock: a TSC rate calibrated too low (say,
# the window's first PIT sample taken across a descheduled vCPU) makes the
# guest's clock run fast and wake early (checked: half the rate fails
# here).  Only a lower bound: a slow host makes the run longer.
t0=${EPOCHREALTIME//[!0-9]/}
boot sleep-host "$probe" -- sleep 1000
t1=${EPOCHREALTIME//[!0-9]/}
if [ "$status" = 0 ] && [ $(((t1 - t0) / 1000)) -ge 1000 ]; then ok; else
	fail sleep-host "status $status, the VM ran $(((t1 - t0) / 1000)) ms for a 1000 ms sleep"
fi

# random_get: 32 bytes, different on every boot.
boot random1 "$probe" -- random
r1=$(cat "$tmp/random1.out")
boot random2 "$probe" -- random
r2=$(cat "$tmp/random2.out")
if [[ $r1 =~ ^[0-9a-f]{64}$ ]] && [[ $r2 =~ ^[0-9a-f]{64}$ ]] && [ "$r1" != "$r2" ]; then ok; else
	fail random "'$r1' vs '$r2'"
fi

# Without RDRAND/RDSEED (qemu64): EIO (probe exits 105) unless the VM has
# a virtio-rng, which then seeds the generator, on either transport.
expect random-no-source 105 '' '' --cpu qemu64 "$probe" -- random
expect random-virtio-mmio 0 '^[0-9a-f]{64}$' '' --cpu qemu64 --qemu-arg -device --qemu-arg virtio-rng-device \
	"$probe" -- random
expect random-virtio-pci 0 '^[0-9a-f]{64}$' '' --machine q35 --cpu qemu64 --qemu-arg -device \
	--qemu-arg virtio-rng-pci,disable-legacy=on "$probe" -- random

# Traps: out-of-bounds just past the current size, stack exhaustion, and
# every code through __wasm_trap, each naming its function.
expect oob-store 134 '' '^mewz: trap: out of bounds memory access in probe_oob_store$' "$probe" -- oob-store
expect oob-load 134 '' '^mewz: trap: out of bounds memory access in probe_oob_load$' "$probe" -- oob-load
expect stack 134 '' '^mewz: trap: call stack exhausted in probe_recurse$' "$probe" -- stack
# stack=SIZE: 4000 frames of >512 bytes exceed the default 1 MiB, not 8 MiB.
expect stack-default 134 '' '^mewz: trap: call stack exhausted in probe_recurse$' "$probe" -- recurse 4000
expect stack-8m 0 '^recursed$' '' --memory 32M --kernel-opt stack=8M "$probe" -- recurse 4000
i=0
for text in "unreachable" "integer divide by zero" "integer overflow" "invalid conversion to integer" \
	"out of bounds memory access" "out of bounds table access" "undefined element" \
	"uninitialized element" "indirect call type mismatch" "call stack exhausted"; do
	i=$((i + 1))
	expect "trap-$i" 134 '' "^mewz: trap: $text in _start\$" "$probe" -- trap "$i"
done

# Kernel faults and signals have their own statuses.
expect panic 139 '' '^mewz: panic: page fault in probe_null\+0x[0-9a-f]+ \(error 0x[0-9a-f]+, address 0x8\)$' "$probe" -- null
expect raise 143 '' '^mewz: terminated by signal 15$' "$probe" -- raise 15
expect watchdog 142 '' '^mewz: watchdog: ' --watchdog 1 "$probe" -- spin

# Faults while reporting a trap or a panic end the VM at once with the
# panic status (the report itself is what faulted, so no line), never hang.
expect fault-in-trap 139 '' '' --kernel-opt inject=symtab-fault "$probe" -- oob-store
expect fault-in-panic 139 '' '' --kernel-opt inject=panic-fault "$probe" -- null

# memory.grow: to 256 MiB when the VM has the RAM; bounded by -m otherwise.
expect grow-256m 0 '^pages 4096$' '' --memory 320M "$probe" -- grow 2 4096
boot grow-limit --memory 64M "$probe" -- grow 1
pages=$(sed -n 's/^pages //p' "$tmp/grow-limit.out")
if [ "$status" = 0 ] && [ -n "$pages" ] && [ "$pages" -ge 512 ] && [ "$pages" -lt 1024 ] &&
	grep -q '^grow0 ok$' "$tmp/grow-limit.out"; then ok; else
	fail grow-limit "status $status, pages '$pages' (want 512..1023 with 64M)"
fi
expect too-big 139 '' '^mewz: panic: the program needs 65536 KiB of linear memory' --memory 16M "$big" -- return

# The same kernel paths on q35 (SeaBIOS loads the PVH kernel there).
expect q35-oob 134 '' '^mewz: trap: out of bounds memory access in probe_oob_store$' --machine q35 "$probe" -- oob-store
expect q35-sleep 0 '^slept enough$' '' --machine q35 "$probe" -- sleep 50
expect q35-stack 134 '' '^mewz: trap: call stack exhausted in probe_recurse$' --machine q35 "$probe" -- stack

# Device discovery (drivers/ skeleton): a modern virtio-rng on each transport.
expect devices-mmio 0 '' '^mewz: virtio-mmio@0xfeb00[0-9a-f]{3}: device 4 \(virtio 1\.x\)$' --kernel-opt devices \
	--qemu-arg -device --qemu-arg virtio-rng-device "$probe" -- return
expect devices-pci 0 '' '^mewz: virtio-pci@0x[0-9a-f]+: device 4 \(virtio 1\.x\)$' --machine q35 --kernel-opt devices \
	--qemu-arg -device --qemu-arg virtio-rng-pci,disable-legacy=on "$probe" -- return
# hostlink (qemu-run.sh --mewz-host) promises mewz-host's vsock device: a
# VM without one must not run the program without its files.
expect hostlink-missing 139 '' '^mewz: panic: hostlink: the VM has no virtio-vsock device$' \
	--kernel-opt hostlink "$probe" -- return
boot devices-legacy --kernel-opt devices --qemu-arg -global --qemu-arg virtio-mmio.force-legacy=true \
	--qemu-arg -device --qemu-arg virtio-rng-device "$probe" -- return
if [ "$status" = 0 ] && ! grep -q 'device 4' "$tmp/devices-legacy.err"; then ok; else
	fail devices-legacy "a legacy (version 1) MMIO transport was not skipped"
fi

# The fd table and the errno of calls that cannot succeed.
boot fds "$probe" -- fds
if [ "$status" = 0 ] && [ "$(grep -c ' ok$' "$tmp/fds.out")" -ge 13 ] && ! grep -q WRONG "$tmp/fds.out"; then ok; else
	fail fds "status $status; $(grep WRONG "$tmp/fds.out" | tr '\n' '|')"
fi
expect renumber 0 '' '^renumbered stderr$' "$probe" -- renumber

# Programs compiled by mewzc: the built-in example, and every trap kind.
example=$dir/example-hello.elf traps=$dir/traps.elf
expect example 0 '^Hello from Mewz!$' '' --memory 16M "$example"
expect example-args 0 '^arg 1: two words$' '' --memory 16M "$example" -- 'two words' 'é'
expect example-utf8 0 '^arg 2: é$' '' --memory 16M "$example" -- 'two words' 'é'
# Traps inlined into _start are reported there, by its export name.
in='in (do_[a-z_0-9]+|_start)$'
expect wasm-unreachable 134 '' "^mewz: trap: unreachable $in" "$traps" -- u
expect wasm-div-zero 134 '' "^mewz: trap: integer divide by zero $in" "$traps" -- d
expect wasm-overflow 134 '' "^mewz: trap: integer overflow $in" "$traps" -- o
expect wasm-conversion 134 '' "^mewz: trap: invalid conversion to integer $in" "$traps" -- c
expect wasm-oob-load 134 '' "^mewz: trap: out of bounds memory access $in" "$traps" -- l
expect wasm-oob-store 134 '' "^mewz: trap: out of bounds memory access $in" "$traps" -- s
expect wasm-mismatch 134 '' "^mewz: trap: indirect call type mismatch $in" "$traps" -- m
expect wasm-null 134 '' "^mewz: trap: uninitialized element $in" "$traps" -- n
expect wasm-undefined 134 '' "^mewz: trap: undefined element $in" "$traps" -- e
expect wasm-stack 134 '' "^mewz: trap: call stack exhausted in do_recurse$" "$traps" -- r
expect wasm-grow-256m 0 '' '' --memory 320M "$traps" -- g
expect wasm-grow-limit 0 '' '' --memory 64M "$traps" -- h
expect wasm-exit 42 '' '' "$traps" -- x
expect wasm-return 0 '' '' "$traps"

# stdin: the serial line with --stdin, else at end of input at once.
"$run" --accel tcg --timeout 60 --stdin "$probe" -- readline <<<"hello from stdin" >"$tmp/stdin.out" 2>"$tmp/stdin.err"
status=$?
if [ "$status" = 0 ] && grep -qx 'got <hello from stdin>' "$tmp/stdin.out"; then ok; else fail stdin "status $status"; fi
expect stdin-eof 0 '^got <> eof$' '' "$probe" -- readline

# The native WASI calls through wasi-libc (clock_gettime, nanosleep,
# getentropy, isatty, fstat, open without preopens, lseek on a tty).
boot wasi --env MEWZ_TEST=yes "$dir/wasi.elf" -- hello 9
printf '%s\n' 'argc 3 argv1 <hello>' 'env MEWZ_TEST <yes>' 'nanosleep ok' 'realtime ok' 'getentropy ok' \
	'isatty(1) 1' 'fstat(1) chardev' 'open without preopens fails' 'lseek(1) ESPIPE' >"$tmp/wasi.want"
if [ "$status" = 9 ] && cmp -s "$tmp/wasi.out" "$tmp/wasi.want" && grep -qx 'to stderr' "$tmp/wasi.err"; then ok; else
	fail wasi "status $status; $(diff "$tmp/wasi.want" "$tmp/wasi.out" | head -n 4 | tr '\n' '|')"
fi

# A compute program prints the same under QEMU and natively (mewz run --native).
boot compute "$dir/compute.elf"
if [ "$status" != 0 ]; then
	fail compute "status $status under QEMU"
elif ! "${MEWZ:-build/bin/mewz}" run --native "$dir/compute.wasm" >"$tmp/compute-native.out" 2>"$tmp/compute-native.err"; then
	fail compute "mewz run --native failed: $(head -n 2 "$tmp/compute-native.err" | tr '\n' '|')"
elif ! cmp -s "$tmp/compute.out" "$tmp/compute-native.out" || ! grep -q '^primes below 10^6: 78498$' "$tmp/compute.out"; then
	fail compute "outputs differ: $(diff "$tmp/compute.out" "$tmp/compute-native.out" | head -n 4 | tr '\n' '|')"
else
	ok
fi

# Linking refuses a program whose imports the runtime lacks, naming each.
if guest/plat/kvm/link.sh "$tmp/bad.elf" "$dir/bad-imports.o" 2>"$tmp/link.err"; then
	fail link-imports "link.sh accepted missing imports"
elif grep -q 'fd_write has signature iii:i' "$tmp/link.err" && grep -q 'missing import wasi_snapshot_preview1.no_such_call' "$tmp/link.err" &&
	grep -q 'missing import env.other' "$tmp/link.err" && [ ! -e "$tmp/bad.elf" ]; then ok; else
	fail link-imports "$(tr '\n' '|' <"$tmp/link.err")"
fi

echo "guest-qemu: $passed passed, $failed failed"
[ "$failed" = 0 ]
