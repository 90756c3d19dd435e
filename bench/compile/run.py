#!/usr/bin/env python3
"""run.py - the compile benchmark driver (see README.md).

Measures `mewzc -O2` at -j1 and -j2 on the largest modules we can make here:
modules written by gen-module (thousands of random, well-typed functions,
sized in MB) and, when bench/compute built it, Lua 5.4 compiled to wasm.
For each it prints the wall time, the CPU time (user+system) and the peak
RSS of the mewzc process (from wait4, so per process), the -j2 speed-up,
and whether the two objects are byte-identical, as DESIGN.md requires.
A benchmark, not a test: it exits 0 unless it cannot run at all.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# gen-module's average body is 600 bytes; functions come out ~1.5x that.
GEN_BYTES_PER_FUNC = 900


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_with_rusage(cmd, timeout):
    """Runs cmd; returns (wall s, cpu s, peak RSS KiB, exit status, stderr).

    Reaps with os.wait4 so the rusage is this child's alone (RUSAGE_CHILDREN
    would give the maximum RSS over every child so far; the forked Python
    image before exec, ~15 MiB, is a floor).  stderr goes to a
    temporary file, so a chatty child cannot block on a full pipe, and a
    timer kills a child that runs past the timeout.
    """
    with tempfile.TemporaryFile() as errf:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errf)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        err = errf.read(1 << 16)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode, err


def make_modules(args):
    mods = []
    gen = os.path.join(args.out, "gen-module")
    for size in filter(None, args.sizes.split(",")):
        mb = float(size)
        nfuncs = max(10, int(mb * 1e6 / GEN_BYTES_PER_FUNC))
        path = os.path.join(args.out, "gen-%smb.wasm" % size)
        if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(gen):
            subprocess.run([gen, "-n", str(nfuncs), "-s", "1", "-o", path], check=True)
            if subprocess.run(["wasm-validate", path]).returncode != 0:
                log("compile: %s does not validate (a gen-module bug): skipped" % path)
                continue
        mods.append(("gen-%smb" % size, path, nfuncs + 1))
    lua = os.path.join(args.compute_out, "lua", "lua.wasm")
    if os.path.exists(lua):
        mods.append(("lua", lua, None))
    else:
        log("compile: %s not built (run make bench-compute first): lua skipped" % lua)
    return mods


def measure(mewzc, path, jobs, args, tag):
    """Median wall/cpu and max RSS over args.runs compilations at -j jobs."""
    obj = os.path.join(args.out, "%s-j%d.o" % (tag, jobs))
    walls, cpus, rss, shards = [], [], 0, None
    for _ in range(args.runs):
        # -v makes mewzc report its shard count, which bounds the speed-up.
        wall, cpu, maxrss, rc, err = run_with_rusage(
            [mewzc, "-O2", "-v", "-j", str(jobs), path, "-o", obj], args.timeout)
        m = re.search(rb"(\d+) shards?", err)
        if m:
            shards = int(m.group(1))
        if rc != 0:
            lines = err.decode(errors="replace").strip().splitlines()
            log("!!! mewzc -j%d %s: exit %d: %s" % (jobs, path, rc,
                                                   lines[-1] if lines else ""))
            return None
        walls.append(wall)
        cpus.append(cpu)
        rss = max(rss, maxrss)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus),
            "rss": rss, "obj": obj, "shards": shards}


def same_file(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="build/bench/compile")
    ap.add_argument("--compute-out", default="build/bench/compute")
    ap.add_argument("--mewzc", default="build/bin/mewzc")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    ap.add_argument("--sizes", default="1,4",
                    help="generated module sizes in MB, comma-separated (default 1,4)")
    ap.add_argument("--timeout", type=float, default=1800.0)
    args = ap.parse_args()
    args.runs = max(1, args.runs)

    if not os.access(args.mewzc, os.X_OK):
        log("compile: %s is not built yet: nothing to measure" % args.mewzc)
        print("compile benchmark: n/a (mewzc missing)")
        return 0
    os.makedirs(args.out, exist_ok=True)
    mods = make_modules(args)
    load = os.getloadavg()
    rows = []
    for tag, path, nfuncs in mods:
        log("compiling %s at -j1 and -j2 ..." % tag)
        j1 = measure(args.mewzc, path, 1, args, tag)
        j2 = measure(args.mewzc, path, 2, args, tag)
        rows.append((tag, path, nfuncs, j1, j2))

    print()
    print("compile benchmark: mewzc -O2, median of %d run(s); RSS = peak resident "
          "set of the mewzc process" % args.runs)
    print("load average at start %.2f on %d cores (other load lowers the -j2 "
          "speed-up)" % (load[0], os.cpu_count() or 0))
    print("cpu = user+system seconds; cpu/wall near 1 at -j2 means the second "
          "core was busy elsewhere")
    head = "%-10s %6s %6s %6s | %7s %7s %6s | %7s %7s %6s %8s | %7s %9s" % (
        "module", "MB", "funcs", "shards", "j1 wall", "j1 cpu", "j1 MiB",
        "j2 wall", "j2 cpu", "j2 MiB", "cpu/wall", "speedup", "identical")
    print(head)
    print("-" * len(head))
    for tag, path, nfuncs, j1, j2 in rows:
        mb = os.path.getsize(path) / 1e6
        shards = (j1 or j2 or {}).get("shards")
        line = "%-10s %6.2f %6s %6s | " % (tag, mb, nfuncs if nfuncs else "-",
                                          shards if shards else "-")
        for j in (j1, j2):
            if j:
                line += "%7.2f %7.2f %6.0f " % (j["wall"], j["cpu"], j["rss"] / 1024)
            else:
                line += "%7s %7s %6s " % ("FAIL", "", "")
            if j is j2:
                line += "%8s " % ("%.2f" % (j["cpu"] / j["wall"]) if j else "")
            line += "| "
        if j1 and j2:
            line += "%6.2fx %9s" % (j1["wall"] / j2["wall"],
                                    "yes" if same_file(j1["obj"], j2["obj"]) else "NO <--")
        else:
            line += "%7s %9s" % ("-", "-")
        print(line)
    print("target: -j2 >= 1.8x faster than -j1 on a multi-megabyte module")
    return 0


if __name__ == "__main__":
    sys.exit(main())
