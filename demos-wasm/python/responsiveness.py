#!/usr/bin/env python3
"""The responsiveness demo in CPython: a heartbeat on the event loop while a CPU-bound job runs.

A heartbeat task wakes up every 1/60 s (a "frame", as the page draws them) and records the gap
since it last woke; the longest gap says how long the loop could not answer anything. Meanwhile
the primes below n are counted by trial division (the page's kernel, in chunks), three ways,
under the page's mode names:

  blocking  a coroutine on the event loop that never awaits between chunks: the heartbeat
            cannot run until it is done, so the longest gap is about the job's length.
  yielding  the same coroutine with `await asyncio.sleep(0)` after every chunk: the heartbeat
            gets a turn between chunks (the gap is about a chunk), the job takes a little longer.
  worker    loop.run_in_executor with a ProcessPoolExecutor: the job runs in another process and
            the loop stays free (the pool is started, and warmed up, before the timing).

Each row gives the job's wall time, its longest heartbeat gap, and the primes found, which
every mode must agree on.

Usage: python3 responsiveness.py [--n 3000000] [--chunks 200] [--modes blocking,yielding,worker] [--json]
"""

import argparse
import asyncio
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor

MODES = ["blocking", "yielding", "worker"]
BOUNDS = {"n": (1_000, 5_000_000), "chunks": (1, 4096)}
DEFAULTS = {"n": 3_000_000, "chunks": 200}
FRAME_S = 1 / 60


def count_primes_in(start, end):
    """The primes in start..end by trial division by odd numbers up to the square root."""
    count = 1 if start <= 2 < end else 0
    for k in range(max(start, 3) | 1, end, 2):
        limit = math.isqrt(k)
        divisor = 3
        while divisor <= limit:
            if k % divisor == 0:
                break
            divisor += 2
        else:
            count += 1
    return count


def chunk(n, chunks, index):
    """Chunk `index` of 0..n split into `chunks` nearly equal ranges (as the page splits it)."""
    return n * index // chunks, n * (index + 1) // chunks


def count_all(n, chunks):
    return sum(count_primes_in(*chunk(n, chunks, index)) for index in range(chunks))


async def blocking(n, chunks, pool):
    total = 0
    for index in range(chunks):
        total += count_primes_in(*chunk(n, chunks, index))
    return total


async def yielding(n, chunks, pool):
    total = 0
    for index in range(chunks):
        total += count_primes_in(*chunk(n, chunks, index))
        await asyncio.sleep(0)
    return total


async def worker(n, chunks, pool):
    return await asyncio.get_running_loop().run_in_executor(pool, count_all, n, chunks)


async def heartbeat(gaps, stop):
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(FRAME_S)
        now = time.perf_counter()
        gaps.append((now - last) * 1000)
        last = now


async def run_mode(mode, n, chunks, pool):
    gaps, stop = [], asyncio.Event()
    beat = asyncio.create_task(heartbeat(gaps, stop))
    await asyncio.sleep(FRAME_S)  # the heartbeat is running before the job starts
    started = time.perf_counter()
    primes = await {"blocking": blocking, "yielding": yielding, "worker": worker}[mode](n, chunks, pool)
    ms = (time.perf_counter() - started) * 1000
    await asyncio.sleep(FRAME_S)  # the first beat after the job closes the gap it caused
    stop.set()
    await beat
    workers = 1
    return {"mode": mode, "ms": round(ms, 3), "workers": workers, "result": primes,
            "longest_gap_ms": round(max(gaps, default=0.0), 1)}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, (low, high) in BOUNDS.items():
        parser.add_argument(f"--{name}", dest=name, type=int, default=DEFAULTS[name], help=f"{low} to {high} (default {DEFAULTS[name]})")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: " + ", ".join(MODES))
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    for name, (low, high) in BOUNDS.items():
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be between {low} and {high}, not {getattr(args, name)}")
    args.modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if not args.modes or any(mode not in MODES for mode in args.modes) or len(set(args.modes)) != len(args.modes):
        parser.error(f"--modes must be one or more of {', '.join(MODES)}")
    return args


async def run_all(args):
    with ProcessPoolExecutor(max_workers=1) as pool:
        await asyncio.get_running_loop().run_in_executor(pool, count_all, 1000, 1)  # start the process
        return [await run_mode(mode, args.n, args.chunks, pool) for mode in args.modes]


def main(argv=None):
    args = parse_args(argv)
    rows = asyncio.run(run_all(args))
    baseline = next((row for row in rows if row["mode"] == "blocking"), None)
    for row in rows:
        row["speedup"] = round(baseline["ms"] / row["ms"], 2) if baseline and row["ms"] > 0 else None
    params = {"n": args.n, "chunks": args.chunks, "modes": args.modes}
    if args.json:
        print(json.dumps({"demo": "responsiveness", "params": params, "rows": rows}, indent=2))
        return
    print(f"responsiveness: primes below {args.n:,} in {args.chunks} chunks, heartbeat every {FRAME_S * 1000:.1f} ms")
    print(f"{'mode':<10} {'wall ms':>10} {'speed-up':>9} {'workers':>8} {'result':>10} {'longest gap':>12}")
    for row in rows:
        speedup = "—" if row["speedup"] is None else f"{row['speedup']:.1f}x"
        print(f"{row['mode']:<10} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8} {row['result']:>10} {row['longest_gap_ms']:>10.1f}ms")
    agree = len({row["result"] for row in rows}) == 1
    print("every mode found the same primes" if agree else "the modes DISAGREE", file=sys.stderr)


if __name__ == "__main__":
    main()
