#!/usr/bin/env python3
"""run.py - the compute benchmark driver (see README.md).

Runs every program four ways from the same source and prints a table of
times with ratios to native and the geometric mean per column:

  native  gcc -O2
  mewz    clang-19 wasm32-wasi -O2 -> mewzc -O2 -> guest/plat/linux
          (through `build/bin/mewz build --native`, else `mewz run --native`)
  wasm2c  the same .wasm -> wasm2c -> gcc -O2 (wabt's wasm-rt-impl + our shim)
  node    the same .wasm under node:wasi (--single-threaded-gc)

The kernels' native, wasm and wasm2c builds come from bench/bench.mk; this
script builds Lua (bench/compute/lua/build-lua.sh) and the mewz peer, whose
tools may not be there yet: a missing peer is 'n/a' with a message, never
an error.  Every run's stdout is compared with native's; a difference or a
non-zero exit is reported loudly, marked in the table and left out of the
geomean.  This is a benchmark, not a test: it exits 0 unless it cannot run
at all.
"""
import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import time

PEERS = ("native", "mewz", "wasm2c", "node")
PROBLEMS = []  # "program on peer: what went wrong", repeated under the table
NOTES = []  # why a peer is n/a, repeated under the table
HERE = os.path.dirname(os.path.abspath(__file__))


class Program:
    """One benchmark program: its builds and how to pass it the scale."""

    def __init__(self, name, native, wasm, wasm2c, args):
        self.name = name
        self.exe = {"native": native, "wasm2c": wasm2c}
        self.wasm = wasm
        self.args = args  # program arguments, after argv[0]
        self.cmd = {}  # peer -> argv prefix; absent means n/a
        self.why = {}  # peer -> reason it is n/a
        self.mewz_mode = None  # how the mewz peer runs, for the legend


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_once(cmd, timeout):
    """Runs cmd; returns (wall s, cpu s, exit status, stdout, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = -999, e.stdout or b"", b"timed out"
    except OSError as e:
        rc, out, err = -998, b"", str(e).encode()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, rc, out, err


def kernels(out_dir, only):
    progs = []
    wasm_dir = os.path.join(out_dir, "wasm")
    if not os.path.isdir(wasm_dir):
        return progs
    for f in sorted(os.listdir(wasm_dir)):
        if not f.endswith(".wasm"):
            continue
        name = f[:-5]
        if only and name not in only:
            continue
        progs.append(Program(name, os.path.join(out_dir, "native", name),
                             os.path.join(wasm_dir, f),
                             os.path.join(out_dir, "wasm2c", name), None))
    return progs


def lua_args(scale):
    with open(os.path.join(HERE, "lua", "bench.lua")) as f:
        script = f.read()
    # One -e chunk: lua.c takes an -e argument that starts with '-' for an
    # option, and the script starts with a comment.
    return ["-e", "SCALE=%d\n%s" % (scale, script)]


# Real programs built at bench time from Debian source packages:
# (name, build script under HERE, program arguments for a scale).
REAL_PROGRAMS = (
    ("lua", "lua/build-lua.sh", lua_args),
    ("zlib", "zlib/build-zlib.sh", lambda scale: [str(scale)]),
)


def real_program(out_dir, name, script, args_of, scale):
    """Builds one real program; None (with a message) if skipped."""
    prog_dir = os.path.join(out_dir, name)
    rt = os.path.join(out_dir, "wasm2c", "rt")
    log("%s: building from its Debian source package if not built yet" % name)
    p = subprocess.run([os.path.join(HERE, script), prog_dir, rt])
    if p.returncode == 3:
        return None
    if p.returncode != 0:
        log("%s: build failed (exit %d): skipped" % (name, p.returncode))
        return None
    return Program(name, os.path.join(prog_dir, name + ".native"),
                   os.path.join(prog_dir, name + ".wasm"),
                   os.path.join(prog_dir, name + ".wasm2c"), args_of(scale))


def prog_args(prog, scale):
    return prog.args if prog.args is not None else [str(scale)]


def setup_mewz(prog, mewz, out_dir, timeout):
    """Finds how to run prog on the mewz Linux platform, or records why not."""
    if not os.access(mewz, os.X_OK):
        prog.why["mewz"] = "%s is not built yet" % mewz
        return
    exe = os.path.join(out_dir, "mewz", prog.name)
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    extra = os.environ.get("MEWZ_BUILD_FLAGS", "").split()
    # Preferred: a standalone executable, so the timing holds no front-end work.
    _, _, rc, _, err = run_once([mewz, "build", "--native"] + extra +
                                [prog.wasm, "-o", exe], timeout)
    if rc == 0 and os.access(exe, os.X_OK):
        prog.cmd["mewz"] = [exe]
        prog.mewz_mode = "mewz build --native (a standalone executable)"
        return
    build_err = err.decode(errors="replace").strip().splitlines()
    # Fallback: `mewz run --native`; this first run fills its compile cache,
    # so the timed runs measure the cached path.
    cmd = [mewz, "run", "--native"] + extra + [prog.wasm, "--"]
    _, _, rc, _, err = run_once(cmd + prog_args(prog, 1), timeout)
    if rc == 0:
        prog.cmd["mewz"] = cmd
        prog.mewz_mode = "mewz run --native (includes the front-end's cache lookup)"
        return
    run_err = err.decode(errors="replace").strip().splitlines()
    prog.why["mewz"] = "mewz build --native: %s; mewz run --native: %s" % (
        build_err[-1] if build_err else "failed",
        run_err[-1] if run_err else "exit %d" % rc)


def setup_peers(prog, args):
    for peer in ("native", "wasm2c"):
        if os.access(prog.exe[peer], os.X_OK):
            prog.cmd[peer] = [prog.exe[peer]]
        else:
            prog.why[peer] = "%s is missing" % prog.exe[peer]
    setup_mewz(prog, args.mewz, args.out, args.timeout)
    if args.node:
        prog.cmd["node"] = [args.node, "--no-warnings", "--single-threaded-gc",
                            os.path.join(HERE, "runners", "node-wasi.mjs"),
                            prog.wasm]
    else:
        prog.why["node"] = "node is not installed"


def first_lines(data, n=3):
    lines = data.decode(errors="replace").splitlines()
    return " | ".join(lines[:n]) if lines else "(no output)"


METRICS = ("wall", "cpu")


def measure(prog, args):
    """Times every available peer of prog.

    Returns {metric: {peer: seconds, "FAIL" or None}} for wall-clock time and
    for the child's user+system CPU time (steadier when other work shares
    the cores, but it also counts node's background compiler threads).
    """
    times = {m: {p: [] for p in prog.cmd} for m in METRICS}
    bad = {}
    reference = None
    pargs = prog_args(prog, args.scale)
    # Interleave the peers so load from elsewhere on the machine hits each alike.
    for i in range(args.runs):
        for peer in PEERS:
            if peer not in prog.cmd or peer in bad:
                continue
            wall, cpu, rc, out, err = run_once(prog.cmd[peer] + pargs, args.timeout)
            if peer == "native" and reference is None:
                reference = out
            if rc != 0:
                bad[peer] = "exit %d: %s" % (rc, first_lines(err or out))
            elif reference is not None and out != reference:
                bad[peer] = "OUTPUT MISMATCH: got '%s', native printed '%s'" % (
                    first_lines(out), first_lines(reference))
            else:
                times["wall"][peer].append(wall)
                times["cpu"][peer].append(cpu)
    for peer, why in bad.items():
        log("!!! %s on %s: %s" % (prog.name, peer, why))
        PROBLEMS.append("%s on %s: %s" % (prog.name, peer, why))
    result = {}
    for m in METRICS:
        result[m] = {}
        for peer in PEERS:
            t = times[m].get(peer)
            if peer in bad:
                result[m][peer] = "FAIL"
            elif t:
                result[m][peer] = min(t) if args.stat == "best" else statistics.median(t)
            else:
                result[m][peer] = None
        if reference is None and "native" in prog.cmd and "native" not in bad:
            result[m]["native"] = "FAIL"
    return result


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def print_table(rows, args, metric):
    """One table for one metric; rows are (name, measure() result)."""
    rows = [(name, res[metric]) for name, res in rows]
    print()
    print("compute benchmark: %s time in seconds, %s of %d run(s), scale %d%%, "
          "load average at start %.2f on %d cores" % (
              "wall-clock" if metric == "wall" else "CPU (user+system)",
              args.stat, args.runs, args.scale, args.load, os.cpu_count() or 0))
    print("ratio = peer time / native time (lower is better; mewz target <= 1.05)")
    head = "%-11s %9s" % ("program", "native")
    for peer in PEERS[1:]:
        head += "  %9s %6s" % (peer, "ratio")
    print(head)
    print("-" * len(head))
    ratios = {p: [] for p in PEERS[1:]}
    for name, res in rows:
        nat = res.get("native")
        line = "%-11s %9s" % (name, fmt_time(nat))
        marked = False
        for peer in PEERS[1:]:
            t = res.get(peer)
            if isinstance(t, float) and isinstance(nat, float) and nat > 0:
                r = t / nat
                ratios[peer].append(r)
                line += "  %9s %6.2f" % (fmt_time(t), r)
            else:
                marked = marked or t == "FAIL"
                line += "  %9s %6s" % (fmt_time(t), "-")
        if marked or nat == "FAIL":
            line += "   <-- MISMATCH/FAIL"
        print(line)
    print("-" * len(head))
    line = "%-11s %9s" % ("geomean", "")
    for peer in PEERS[1:]:
        g = geomean(ratios[peer])
        n = "(%d)" % len(ratios[peer]) if len(ratios[peer]) != len(rows) else ""
        line += "  %9s %6s" % (n, "%.2f" % g if g else "n/a")
    print(line)
    counts = [len(ratios[p]) for p in PEERS[1:]]
    if any(c != len(rows) for c in counts):
        print("(n) = geomean over only n of %d programs" % len(rows))
    g = {p: geomean(ratios[p]) for p in PEERS[1:]}
    if g["mewz"]:
        print("target: mewz <= 1.05x native: %s (%.2f); faster than wasm2c: %s; "
              "faster than node: %s" % (
                  "met" if g["mewz"] <= 1.05 else "NOT met", g["mewz"],
                  yes_no(g["mewz"], g["wasm2c"]), yes_no(g["mewz"], g["node"])))


def print_notes():
    print()
    for p in PROBLEMS:
        print("!!! MISMATCH/FAIL %s" % p)
    for note in NOTES:
        print(note)


def yes_no(mine, theirs):
    if not theirs:
        return "n/a"
    return "yes" if mine < theirs else "NO"


def fmt_time(t):
    if isinstance(t, float):
        return "%.3f" % t
    return t if t else "n/a"


def which(prog):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, prog)
        if os.access(p, os.X_OK):
            return p
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="build/bench/compute",
                    help="build directory of bench.mk (default %(default)s)")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)),
                    help="timed runs per program and peer (default 3)")
    ap.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 100)),
                    help="work in percent; 100 is ~1 s natively (default 100)")
    ap.add_argument("--stat", choices=("median", "best"), default="median")
    ap.add_argument("--only", default="", help="comma-separated program names")
    ap.add_argument("--no-real", action="store_true",
                    help="skip the programs built from Debian source packages")
    ap.add_argument("--mewz", default="build/bin/mewz")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="seconds before one run counts as failed")
    args = ap.parse_args()
    args.runs = max(1, args.runs)
    args.node = which("node")
    only = set(filter(None, args.only.split(",")))
    args.load = os.getloadavg()[0]

    progs = kernels(args.out, only)
    for name, script, args_of in REAL_PROGRAMS:
        if args.no_real or (only and name not in only):
            continue
        prog = real_program(args.out, name, script, args_of, args.scale)
        if prog:
            progs.append(prog)
    if not progs:
        log("compute: no programs under %s (run 'make bench-compute')" % args.out)
        return 1
    for prog in progs:
        setup_peers(prog, args)
    reasons = sorted({"%s: %s" % (peer, why) for prog in progs
                      for peer, why in prog.why.items()
                      if all(peer not in p.cmd for p in progs)})
    for r in reasons:
        NOTES.append("n/a  %s" % r)
    for prog in progs:
        for peer, why in sorted(prog.why.items()):
            if any(peer in p.cmd for p in progs):
                NOTES.append("n/a  %s on %s: %s" % (prog.name, peer, why))
    for note in NOTES:
        log(note)
    for how in sorted({p.mewz_mode for p in progs if p.mewz_mode}):
        log("mewz peer: %s" % how)

    rows = []
    for prog in progs:
        log("running %s ..." % prog.name)
        rows.append((prog.name, measure(prog, args)))
    for metric in METRICS:
        print_table(rows, args, metric)
    print_notes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
