#!/bin/bash
# Suite `mewz-cache`: the cache's keys and its bounds, with `mewz build`
# (no QEMU needed: a VM image is only linked).  Every input of an image
# is copied into a private build tree, so each can be changed without
# touching the real one.
# Usage: test_cache.sh MEWZ MEWZC BUILD_TREE HELLO.wasm WORK_DIR
set -u
mewz=$1 mewzc=$2 build=$3 hello=$4 work=$5
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$repo/tests/lib/check.sh"

rm -rf "$work"
mkdir -p "$work/b/guest/linux" "$work/g/plat/kvm" "$work/g/wasi"
cp "$build"/guest/{libmewz-guest.a,liblwip.a,mksymtab,symtab-empty.o} "$work/b/guest/"
cp "$build/guest/linux/libmewz-linux.a" "$work/b/guest/linux/"
ln -s "$(readlink -f "$build/newlib")" "$work/b/newlib"
cp "$repo"/guest/plat/kvm/{link.sh,kernel.ld} "$work/g/plat/kvm/"
cp "$repo/guest/wasi/imports.def" "$work/g/wasi/"
cp "$mewzc" "$work/mewzc"
export MEWZ_BUILD=$work/b MEWZ_KVM_DIR=$work/g/plat/kvm MEWZ_CACHE_DIR=$work/cache \
	MEWZ_MEWZC=$work/mewzc MEWZ_LINUX_RUNTIME=$work/b/guest/linux/libmewz-linux.a
unset MEWZ_CACHE_MAX

# build NAME [mewz build options]: image path in $img, stderr in $err.
build() {
	local name=$1
	shift
	err=$("$mewz" build -v "$@" "$hello" -o "$work/out" 2>&1)
	local rc=$?
	[ "$rc" = 0 ] || bad "$name: exit $rc: $err"
	img=$(grep -oE "$MEWZ_CACHE_DIR/(elfs|bins)/[0-9a-f]{64}(\.elf)?" <<<"$err" | head -n 1)
}

# changed NAME: the last build made a new image, not the one in $prev.
changed() {
	contains "$1: links again" "$err" "mewz: linking"
	[ -n "$img" ] && [ "$img" != "$prev" ] && ok || bad "$1: same image $img"
}

# an archive with one more member: a new object file that nothing uses.
grow_archive() {
	printf 'int mewz_cache_test_%s;\n' "$RANDOM" >"$work/extra.c"
	clang-19 --target=x86_64-unknown-elf -c -o "$work/extra.o" "$work/extra.c"
	llvm-ar-19 q "$1" "$work/extra.o"
}

# --- keys: every input of an image ---------------------------------------
build first
contains "first build compiles" "$err" "mewz: compiling"
contains "first build links" "$err" "mewz: linking"
prev=$img
build again
contains "second build reuses the image" "$err" "mewz: cached image"
expect "second build, same image" "$img" "$prev"

touch "$work/b/guest/libmewz-guest.a" "$work/g/plat/kvm/link.sh"
build touched
contains "a touched but unchanged library keeps the image" "$err" "mewz: cached image"

for f in b/guest/libmewz-guest.a b/guest/liblwip.a; do
	prev=$img
	grow_archive "$work/$f"
	build "$f changed"
	changed "changed $f"
	lacks "changed $f: the object is reused" "$err" "mewz: compiling"
done
for f in g/plat/kvm/kernel.ld g/wasi/imports.def; do
	prev=$img
	printf '/* changed */\n' >>"$work/$f"
	build "$f changed"
	changed "changed $f"
done
prev=$img
printf '# changed\n' >>"$work/g/plat/kvm/link.sh"
build "link.sh changed"
changed "changed link.sh"
prev=$img
LD=ld.lld-19 build "LD named"
changed "link.sh's LD from the environment"

# mewzc by its bytes: a copy elsewhere is the same compiler; trailing
# bytes (ignored by the loader) make another one.
cp "$mewzc" "$work/mewzc2"
MEWZ_MEWZC=$work/mewzc2 build "mewzc copied"
contains "a copy of mewzc reuses the object" "$err" "mewz: cached object"
printf 'x' >>"$work/mewzc2"
MEWZ_MEWZC=$work/mewzc2 build "mewzc changed"
contains "a changed mewzc compiles again" "$err" "mewz: compiling"

build native --native
contains "native links" "$err" "mewz: linking"
prev=$img
build "native again" --native
contains "native again is cached" "$err" "mewz: cached executable"
grow_archive "$MEWZ_LINUX_RUNTIME"
build "runtime changed" --native
changed "changed libmewz-linux.a"

# --- bounds: LRU eviction, clean ----------------------------------------
# sizes: the bytes of every entry
total() { find "$MEWZ_CACHE_DIR"/{objs,bins,elfs,ids} -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
entries() { find "$MEWZ_CACHE_DIR"/{objs,bins,elfs,ids} -type f | wc -l; }

n=$(entries)
info=$("$mewz" cache info)
contains "cache info counts the entries" "$info" "$MEWZ_CACHE_DIR: $n entries"

# Age everything, then use one image again: it becomes the newest.
find "$MEWZ_CACHE_DIR" -type f -exec touch -d '3 hours ago' {} +
build "reuse" --native
used=$img
oldest=$(find "$MEWZ_CACHE_DIR/elfs" -type f | head -n 1)
touch -d '4 hours ago' "$oldest"
mkdir -p "$MEWZ_CACHE_DIR/names/$(basename "$oldest" .elf)"
ln -s "$oldest" "$MEWZ_CACHE_DIR/names/$(basename "$oldest" .elf)/hello.wasm.elf"
out=$("$mewz" cache prune --max $(($(total) - 1)))
contains "prune evicts one entry" "$out" "1 entries evicted"
[ ! -e "$oldest" ] && ok || bad "the least recently used entry is still there"
[ ! -e "$MEWZ_CACHE_DIR/names/$(basename "$oldest" .elf)" ] && ok ||
	bad "the evicted image's names/ directory is still there"
[ -e "$used" ] && ok || bad "the entry used last was evicted"
expect "the rest stays" "$(entries)" $((n - 1))

# The automatic cap spares what was used in the last minutes.
touch -d '2 hours ago' "$MEWZ_CACHE_DIR/objs/old.o.tmp.1"
touch "$MEWZ_CACHE_DIR/objs/new.o.tmp.2"
prev=$img
grow_archive "$MEWZ_LINUX_RUNTIME"
MEWZ_CACHE_MAX=1K build "over the cap" --native
contains "over the cap: evicted" "$err" "least recently used entries evicted"
[ -e "$img" ] && ok || bad "the new executable was evicted"
[ -e "$used" ] && ok || bad "an entry used minutes ago was evicted"
expect "over the cap: only recent entries stay" "$(find "$MEWZ_CACHE_DIR" -type f -mmin +60 | grep -vc tmp)" 0
[ ! -e "$MEWZ_CACHE_DIR/objs/old.o.tmp.1" ] && ok || bad "an old temporary file stays"
[ -e "$MEWZ_CACHE_DIR/objs/new.o.tmp.2" ] && ok || bad "a fresh temporary file was removed"
MEWZ_CACHE_MAX=0 "$mewz" cache info | grep -q "cap none" && ok || bad "MEWZ_CACHE_MAX=0 is no cap"

mkdir -p "$MEWZ_CACHE_DIR/newlib-test/lib"
touch "$MEWZ_CACHE_DIR/newlib-test/lib/libc.a"
out=$("$mewz" cache clean)
contains "clean reports" "$out" "entries removed"
expect "clean leaves no entry" "$(entries)" 0
expect "clean leaves no temporary file" "$(find "$MEWZ_CACHE_DIR"/objs -type f | wc -l)" 0
expect "clean leaves no names" "$(ls "$MEWZ_CACHE_DIR/names" 2>/dev/null | wc -l)" 0
[ -e "$MEWZ_CACHE_DIR/newlib-test/lib/libc.a" ] && ok || bad "clean removed newlib"
build "after clean"
contains "after clean: compiles again" "$err" "mewz: compiling"

"$mewz" cache prune --max lots >/dev/null 2>&1
expect "a bad --max is a usage error" $? 2
"$mewz" cache frobnicate >/dev/null 2>&1
expect "an unknown cache command is a usage error" $? 2

check_report
