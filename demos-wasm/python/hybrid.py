#!/usr/bin/env python3
"""The hybrid demo in Python: items fetched (a seeded wait), processed (primes counted by trial
division in the item's chunk: CPU-bound) and stored (another wait). asyncio alone (the CPU stage
blocks the event loop), a ThreadPoolExecutor doing each item start to end (the GIL serialises
the CPU stage), and asyncio with the CPU stage in a ProcessPoolExecutor via
loop.run_in_executor. The result is a checksum over the stored items, the same in every mode.

    python3 hybrid.py --items 24 --fetch-ms 40 --chunk 60000 --store-ms 20 --workers 4 [--json]
"""

import argparse
import asyncio
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

MASK = (1 << 64) - 1
STORE_SEED = 0x5704_E000
CHUNK_SEED = 0xC4C4_0000
CHUNKS_FROM = 1_000_000
CHUNKS_SPREAD = 10_000_000


def mix(seed, index):
    """SplitMix64's mixing, as the demos' kernels do: draw `index` under `seed`."""
    z = (seed * 0xA24BAED4963EE407 + (index + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def uniform_ms(seed, mean_ms, index):
    return round(2.0 * mean_ms * ((mix(seed, index) >> 11) / float(1 << 53)))


def chunk_of(seed, chunk, index):
    start = CHUNKS_FROM + mix(seed ^ CHUNK_SEED, index) % CHUNKS_SPREAD
    return start, start + chunk


def is_prime(k):
    if k < 2:
        return False
    if k % 2 == 0:
        return k == 2
    d = 3
    while d * d <= k:
        if k % d == 0:
            return False
        d += 2
    return True


def process(seed, chunk, index):
    """The CPU stage: the primes in item `index`'s chunk."""
    start, end = chunk_of(seed, chunk, index)
    return sum(1 for k in range(start, end) if is_prime(k))


class Job:
    def __init__(self, args):
        self.items, self.chunk, self.seed = args.items, args.chunk, args.seed
        self.fetch = [uniform_ms(args.seed, args.fetch_ms, i) for i in range(args.items)]
        self.store = [uniform_ms(args.seed ^ STORE_SEED, args.store_ms, i) for i in range(args.items)]


def term(index, primes):
    return (index + 1) * primes


def run_threads(job, workers):
    def item(index):
        time.sleep(job.fetch[index] / 1000)
        primes = process(job.seed, job.chunk, index)
        time.sleep(job.store[index] / 1000)
        return term(index, primes)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(item, range(job.items)))


async def run_async(job, pool=None):
    loop = asyncio.get_running_loop()

    async def item(index):
        await asyncio.sleep(job.fetch[index] / 1000)
        if pool is None:
            primes = process(job.seed, job.chunk, index)  # blocks the event loop
        else:
            primes = await loop.run_in_executor(pool, process, job.seed, job.chunk, index)
        await asyncio.sleep(job.store[index] / 1000)
        return term(index, primes)

    return sum(await asyncio.gather(*(item(i) for i in range(job.items))))


def run_async_processes(job, workers):
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Start the workers before the clock, as the page does: start-up is not the stage measured.
        list(pool.map(abs, range(workers)))
        started = time.perf_counter()
        checksum = asyncio.run(run_async(job, pool))
        return (time.perf_counter() - started) * 1000, checksum


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=24)
    parser.add_argument("--fetch-ms", "--fetch_ms", dest="fetch_ms", type=int, default=40)
    parser.add_argument("--chunk", type=int, default=60_000)
    parser.add_argument("--store-ms", "--store_ms", dest="store_ms", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--modes", default="async,threads,async-processes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bounds = {"items": (1, 200), "fetch_ms": (1, 1_000), "chunk": (1_000, 200_000), "store_ms": (1, 1_000),
              "seed": (0, 999_999), "workers": (1, 32)}
    for name, (low, high) in bounds.items():
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be between {low} and {high}, not {getattr(args, name)}")
    modes = [mode for mode in args.modes.split(",") if mode]
    if not modes or any(mode not in ("async", "threads", "async-processes") for mode in modes):
        parser.error("--modes must be one or more of async, threads, async-processes")

    job = Job(args)
    rows = []
    for mode in modes:
        if mode == "async-processes":
            ms, checksum = run_async_processes(job, args.workers)
        else:
            started = time.perf_counter()
            checksum = asyncio.run(run_async(job)) if mode == "async" else run_threads(job, args.workers)
            ms = (time.perf_counter() - started) * 1000
        rows.append({"mode": mode, "ms": ms, "workers": 1 if mode == "async" else args.workers, "result": checksum})
    baseline = next((row["ms"] for row in rows if row["mode"] == "async"), None)
    for row in rows:
        row["speedup"] = round(baseline / row["ms"], 2) if baseline else None

    params = {"items": args.items, "fetch_ms": args.fetch_ms, "chunk": args.chunk, "store_ms": args.store_ms,
              "seed": args.seed, "workers": args.workers, "modes": modes}
    if args.json:
        print(json.dumps({"demo": "hybrid", "params": params, "rows": rows}, indent=2))
        return
    print(f"{'mode':<16} {'wall ms':>10} {'speed-up':>9} {'workers':>8}  result")
    for row in rows:
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] else "—"
        print(f"{row['mode']:<16} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8}  {row['result']}")


if __name__ == "__main__":
    main()
