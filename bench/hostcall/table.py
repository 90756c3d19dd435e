#!/usr/bin/env python3
"""table.py LOGS RUNS MIB ACCEL: the bench-hostcall table from run.sh's logs.

LOGS/<peer>.txt holds "ROUND KEY VALUE" lines.  Each figure is the median
over the runs; a ratio is taken within one run (the guest's memcpy and its
reads saw the same machine load), then the median.  Exit 1 if nothing ran.
"""
import os
import statistics
import sys

logs, runs, mib, accel = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
PEERS = [("host", "host (Linux)"), ("native", "mewz --native"),
         ("vm", "mewz VM (%s)" % accel)]
ROWS = [("null_us", "null round trip, fstat (us)", "%.1f"),
        ("pread4k_per_s", "4 KiB pread at random (/s)", "%.0f"),
        ("seq_read_mbs", "seq read, 1 MiB calls (MB/s)", "%.0f"),
        ("seq_pread_mbs", "seq pread, 1 MiB calls (MB/s)", "%.0f"),
        ("seq_write_mbs", "seq write, 1 MiB calls (MB/s)", "%.0f"),
        ("memcpy_mbs", "memcpy in guest, 1 MiB (MB/s)", "%.0f")]
RATIOS = [("seq_read_mbs", "seq read / memcpy (target>=50%)"),
          ("seq_pread_mbs", "seq pread / memcpy")]
W = 32

data = {}  # peer -> round -> key -> value
for p, _ in PEERS:
    data[p] = {}
    path = os.path.join(logs, p + ".txt")
    if os.path.exists(path):
        for line in open(path):
            r, k, v = line.split()
            data[p].setdefault(r, {})[k] = float(v)


def median(p, key):
    vals = [d[key] for d in data[p].values() if key in d]
    return statistics.median(vals) if vals else None


def ratio(p, key):
    vals = [100.0 * d[key] / d["memcpy_mbs"] for d in data[p].values()
            if key in d and d.get("memcpy_mbs")]
    return statistics.median(vals) if vals else None


def row(title, cells):
    print("%-*s" % (W, title) + "".join("%18s" % c for c in cells))


print("bench-hostcall: %s MiB file, median of %d runs (completed: %s)"
      % (mib, runs, ", ".join("%s %d" % (p, len(data[p])) for p, _ in PEERS)))
row("", [t for _, t in PEERS])
for key, title, fmt in ROWS:
    row(title, [fmt % median(p, key) if median(p, key) is not None else "n/a"
                for p, _ in PEERS])
for key, title in RATIOS:
    row(title, ["%.0f%%" % ratio(p, key) if ratio(p, key) is not None else "n/a"
                for p, _ in PEERS])
# The spread, so a reader can tell a difference from noise.
for p, title in PEERS:
    vals = sorted(d["seq_read_mbs"] for d in data[p].values() if "seq_read_mbs" in d)
    if vals:
        print("  %s, seq read per run (MB/s): %s"
              % (title, " ".join("%.0f" % v for v in vals)))
sys.exit(0 if any(data[p] for p, _ in PEERS) else 1)
