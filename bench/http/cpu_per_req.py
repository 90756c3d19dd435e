#!/usr/bin/env python3
"""cpu_per_req.py PID URL SECS - CPU time per request, by thread.

Runs `wrk -t2 -c32 -dSECS --latency URL` and reports the CPU time
(utime + stime from /proc) that each thread of PID's process tree (a
`mewz run`: qemu-run.sh, QEMU's vCPU and main-loop threads, mewz-host)
and wrk itself used meanwhile, per request answered.  On a shared
machine requests/s swing with the other jobs' load; CPU time per request
is the steadier measure of what a mode costs.
"""
import os
import re
import subprocess
import sys
import time

TCK = os.sysconf('SC_CLK_TCK')


def tree(pid):
    pids = [pid]
    try:
        with open(f'/proc/{pid}/task/{pid}/children') as f:
            for child in f.read().split():
                pids += tree(int(child))
    except OSError:
        pass
    return pids


def thread_times(root):
    """{(pid, tid): (label, ticks)} for every thread under root."""
    out = {}
    for pid in tree(root):
        try:
            with open(f'/proc/{pid}/comm') as f:
                comm = f.read().strip()
            for tid in os.listdir(f'/proc/{pid}/task'):
                with open(f'/proc/{pid}/task/{tid}/stat') as f:
                    stat = f.read()
                fields = stat[stat.rindex(')') + 2:].split()
                role = 'main' if tid == str(pid) else 'thread'
                out[(pid, tid)] = (f'{comm}/{role}',
                                   int(fields[11]) + int(fields[12]))
        except OSError:
            pass  # a thread that ended meanwhile
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: cpu_per_req.py PID URL SECS')
    root, url, secs = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    before = thread_times(root)
    t0 = time.time()
    run = subprocess.run(['/usr/bin/time', '-f', 'WRKCPU %U %S', 'wrk',
                          '-t2', '-c32', f'-d{secs}s', '--latency', url],
                         capture_output=True, text=True, check=False)
    wall = time.time() - t0
    after = thread_times(root)
    rps = re.search(r'Requests/sec:\s+([\d.]+)', run.stdout)
    cpu = re.search(r'WRKCPU (\S+) (\S+)', run.stderr)
    if not rps or not cpu:
        sys.exit('wrk failed:\n' + run.stdout + run.stderr)
    reqs = float(rps.group(1)) * wall
    per = {}
    for key, (label, ticks) in after.items():
        used = (ticks - before.get(key, (label, 0))[1]) / TCK
        per[label] = per.get(label, 0.0) + used
    per['wrk'] = float(cpu.group(1)) + float(cpu.group(2))
    print(f'requests/s {float(rps.group(1)):.0f} over {wall:.1f} s')
    total = 0.0
    for label, used in sorted(per.items(), key=lambda kv: -kv[1]):
        if used >= 0.05:
            print(f'  {label:28s} {used:6.2f} s {used / reqs * 1e6:7.1f} us/request')
            total += used
    print(f'  {"total":28s} {total:6.2f} s {total / reqs * 1e6:7.1f} us/request')


if __name__ == '__main__':
    main()
