#!/usr/bin/env python3
"""Start-to-exit cost of two commands, run interleaved A B A B ... so that a noisy machine's drift hits both alike.

Each run is spawned directly (no shell) with stdout/stderr to /dev/null and reaped with wait4, which returns the
kernel's own CPU accounting of that process (user + sys, microsecond resolution) next to the wall time. Prints the
median of each figure and the median of the per-pair ratios A/B. CPU time is the figure to trust on a loaded
machine: wall time there is mostly waiting for a core.

    benchmarks/cli-start.py [--runs 200] [--a 'iscsinat -m session'] [--b 'iscsiadm -m session']
"""
import argparse
import os
import shlex
import statistics
import time


def run(argv, devnull):
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000, os.waitstatus_to_exitcode(status)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--a", default="./iscsinat -m session")
    p.add_argument("--b", default="iscsiadm -m session")
    args = p.parse_args()
    if not 1 <= args.runs <= 5000:
        p.error("--runs: 1..5000")
    a, b = shlex.split(args.a), shlex.split(args.b)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for _ in range(args.warmup):
        run(a, devnull)
        run(b, devnull)
    ra, rb = [], []
    for _ in range(args.runs):
        ra.append(run(a, devnull))
        rb.append(run(b, devnull))
    med = statistics.median
    print(f"runs {args.runs} interleaved (after {args.warmup} warm-up pairs)")
    print(f"A: {args.a}   exit codes {sorted(set(r[2] for r in ra))}")
    print(f"B: {args.b}   exit codes {sorted(set(r[2] for r in rb))}")
    print("| figure | A median | B median | A/B (median of pair ratios) |")
    print("|---|---:|---:|---:|")
    for i, name in ((1, "cpu (user+sys) ms"), (0, "wall ms")):
        print(f"| {name} | {med(r[i] for r in ra):.3f} | {med(r[i] for r in rb):.3f} | "
              f"{med(x[i] / y[i] for x, y in zip(ra, rb) if y[i] > 0):.3f} |")


if __name__ == "__main__":
    main()
