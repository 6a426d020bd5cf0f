#!/usr/bin/env python3
"""The async-scale demo in Python: N tasks that only wait (seeded latencies), run as asyncio
tasks on one thread, on a ThreadPoolExecutor of K threads (each task blocks its thread), and as
one multiprocessing.Process per task (refused above --max-processes). Every power of ten below
N is timed as well, then N; the table shows the run at N, and --json adds the sweep.

    python3 async-scale.py --tasks 1000 --mean-ms 50 --workers 16 [--json]
"""

import argparse
import asyncio
import json
import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

MASK = (1 << 64) - 1
POOL_BUDGET_MS = 15_000.0


def mix(seed, index):
    """SplitMix64's mixing, as the demos' kernels do: draw `index` under `seed`."""
    z = (seed * 0xA24BAED4963EE407 + (index + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def latency_ms(seed, mean_ms, index):
    """Task `index` waits evenly between 0 and twice the mean (the kernel's uniform latencies)."""
    unit = (mix(seed, index) >> 11) / float(1 << 53)
    return round(2.0 * mean_ms * unit)


def sweep_sizes(count):
    sizes, n = [], 10
    while n < count:
        sizes.append(n)
        n *= 10
    return sizes + [count]


def pool_estimate_ms(latencies, threads):
    """How long `threads` blocked threads take, each taking the next task when free."""
    free_at = [0] * max(1, min(threads, len(latencies)))
    for latency in latencies:
        earliest = free_at.index(min(free_at))
        free_at[earliest] += latency
    return max(free_at)


async def run_async(latencies):
    async def task(ms):
        await asyncio.sleep(ms / 1000)
        return 1

    return sum(await asyncio.gather(*(task(ms) for ms in latencies)))


def blocking_task(ms):
    time.sleep(ms / 1000)
    return 1


def run_threads(latencies, workers):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(blocking_task, latencies))


def run_processes(latencies):
    processes = [multiprocessing.Process(target=blocking_task, args=(ms,)) for ms in latencies]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return sum(1 for process in processes if process.exitcode == 0)


def once(mode, n, args):
    """(ms, completed) for `n` tasks in `mode`, or (None, reason) when the mode refuses."""
    latencies = [latency_ms(args.seed, args.mean_ms, i) for i in range(n)]
    if mode == "threads":
        estimate = pool_estimate_ms(latencies, args.workers)
        if estimate > POOL_BUDGET_MS:
            return None, f"refused: {args.workers} threads blocked by {n} tasks would take about {estimate / 1000:.0f} s"
    if mode == "processes" and n > args.max_processes:
        return None, f"refused: {n} tasks would start {n} processes; at most {args.max_processes} (max_processes)"
    started = time.perf_counter()
    if mode == "async":
        completed = asyncio.run(run_async(latencies))
    elif mode == "threads":
        completed = run_threads(latencies, args.workers)
    else:
        completed = run_processes(latencies)
    return (time.perf_counter() - started) * 1000, completed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--mean-ms", "--mean_ms", dest="mean_ms", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--max-processes", "--max_processes", dest="max_processes", type=int, default=64)
    parser.add_argument("--sweep", choices=["true", "false"], default="true")
    parser.add_argument("--modes", default="async,threads,processes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bounds = {"tasks": (10, 100_000), "mean_ms": (1, 1_000), "seed": (0, 999_999), "workers": (1, 64), "max_processes": (1, 64)}
    for name, (low, high) in bounds.items():
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be between {low} and {high}, not {getattr(args, name)}")
    modes = [mode for mode in args.modes.split(",") if mode]
    if not modes or any(mode not in ("async", "threads", "processes") for mode in modes):
        parser.error("--modes must be one or more of async, threads, processes")
    sizes = sweep_sizes(args.tasks) if args.sweep == "true" else [args.tasks]

    rows, sweep = [], []
    for mode in modes:
        for n in sizes:
            ms, result = once(mode, n, args)
            sweep.append({"mode": mode, "n": n, "ms": ms, "result": result})
        last = sweep[-1]
        workers = {"async": 1, "threads": args.workers, "processes": args.tasks}[mode]
        if last["ms"] is None:
            # Refused at N: listed without a time, the reason as its note.
            rows.append({"mode": mode, "ms": None, "workers": workers, "result": None, "note": last["result"]})
        else:
            rows.append({"mode": mode, "ms": last["ms"], "workers": workers, "result": last["result"]})
    baseline = next((row["ms"] for row in rows if row["mode"] == "threads" and row["ms"]), None)
    for row in rows:
        row["speedup"] = round(baseline / row["ms"], 2) if baseline and row["ms"] else None

    params = {"tasks": args.tasks, "mean_ms": args.mean_ms, "seed": args.seed, "workers": args.workers,
              "max_processes": args.max_processes, "sweep": args.sweep == "true", "modes": modes}
    if args.json:
        print(json.dumps({"demo": "async-scale", "params": params, "rows": rows, "sweep": sweep}, indent=2))
        return
    print(f"{'mode':<10} {'wall ms':>10} {'speed-up':>9} {'workers':>8}  result")
    for row in rows:
        ms = f"{row['ms']:.1f}" if row["ms"] is not None else "—"
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] else "—"
        print(f"{row['mode']:<10} {ms:>10} {speedup:>9} {row['workers']:>8}  {row.get('note') or row['result']}")
    print("\nsweep (completion time against N):")
    for point in sweep:
        ms = f"{point['ms']:.1f} ms" if point["ms"] is not None else "refused"
        print(f"  {point['mode']:<10} N={point['n']:<7} {ms}")


if __name__ == "__main__":
    main()
