#!/usr/bin/env python3
"""A workload of Concurrency Lab, in CPython: the stages a chapter describes, run for every item.

Items pass through the stages below in order. The producer stages (on = "producer") are run for
each item, one item after another, by one producer, which then puts the item in a queue; up to
CONCURRENCY consumers take items from the queue and run the other stages. With --queue above 0
the queue holds at most that many items and a producer that gets ahead waits for room
(backpressure). Without producer stages every item is in the queue at the start.

  sequential  one loop: each item's producer stages, then its consumer stages
  threads     a producer thread and CONCURRENCY consumer threads, a queue.Queue, a threading.Lock
  processes   the producer in this process, CONCURRENCY worker processes, a multiprocessing
              queue and lock; each message is put on a result queue (a pickled copy)
  async       one event loop: a producer task and CONCURRENCY consumer tasks, an asyncio.Queue
              and asyncio.Lock; a blocking call blocks the whole loop
  async-pool  as async, but each blocking call runs in a pool of CONCURRENCY threads

The stage kinds: compute (counts primes in windows of 1024 numbers, "units" of them), wait
(sleeps a seeded time around mean_ms: time.sleep or asyncio.sleep), send (copies a message of
"bytes" bytes), lock (computes holding the one lock every consumer shares), blocking (blocks its
thread for "ms"). The waits are drawn exactly as in the browser (the same SplitMix64 mixing of
seed, item and stage), and every mode must compute the same total: the agreement checksum.

In CPython, threads computing take turns holding the global interpreter lock: compute stages do
not run in parallel on threads (the browser's threads do), while waits and blocking calls
overlap. Standard library only; CPython 3.11 or later:

    python3 @SCRIPT@ --items 40 --concurrency 4 --queue 0 --seed 1
    python3 @SCRIPT@ --items 12 --modes sequential,threads --json --trace
"""

import argparse
import asyncio
import json
import math
import os
import queue
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# The stages, as the chapter's demo block describes them.
STAGES = @STAGES@

MODES = ["sequential", "threads", "processes", "async", "async-pool"]
MASK = (1 << 64) - 1
# The longest an exponential wait may be, in means.
EXPONENTIAL_CUTOFF = 10.0
HAS_PRODUCER = any(stage["on"] == "producer" for stage in STAGES)
HAS_BLOCKING = any(stage["kind"] == "blocking" for stage in STAGES)
PRODUCER = [index for index, stage in enumerate(STAGES) if stage["on"] == "producer"]
CONSUMER = [index for index, stage in enumerate(STAGES) if stage["on"] != "producer"]


# --- The work: one unit of compute, and the seeded waits, the same as the browser's ------------

def unit_primes(k):
    """How many primes there are in the window of unit k: 1024 numbers from 1,000,000 + 1024 (k mod 64)."""
    low = 1_000_000 + 1024 * (k % 64)
    count = 0
    for n in range(low | 1, low + 1024, 2):
        divisor = 3
        while divisor * divisor <= n:
            if n % divisor == 0:
                break
            divisor += 2
        else:
            count += 1
    return count


def compute(item, units):
    """Stage work of `units` units for `item`: its part of the total."""
    return sum(unit_primes(item + unit) for unit in range(units))


def mix(seed, index):
    """A well-mixed 64-bit number for draw `index` under `seed` (SplitMix64's mixing function)."""
    z = (seed * 0xA24BAED4963EE407 + (index + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def unit(seed, index):
    """A number in [0, 1) for draw `index` under `seed`, with 53 random bits."""
    return (mix(seed, index) >> 11) / float(1 << 53)


def round_half_up(x):
    """Rounds a non-negative number to the nearest whole number, halves up (as Rust's f64::round)."""
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole


def wait_ms(seed, item, index):
    """How long `item` waits in wait stage `index`, in whole milliseconds."""
    stage = STAGES[index]
    mean = float(stage["mean_ms"])
    u = unit(seed, item * 16 + index)
    if stage["distribution"] == "fixed":
        drawn = mean
    elif stage["distribution"] == "uniform":
        drawn = 2.0 * mean * u
    else:
        drawn = min(-mean * math.log(1.0 - u), EXPONENTIAL_CUTOFF * mean)
    return int(round_half_up(drawn))


# --- The trace (--trace): when each stage of each item ran, and on which lane -------------------
# Lane 0 is the producer's when there are producer stages; the consumers' lanes follow (a
# thread, a worker process or a task each; sequential runs everything on lane 0). Times are ms
# from the mode's start: on perf_counter in this process, on the wall clock (time.time) in
# worker processes, whose perf_counter may start elsewhere.

class Trace:
    def __init__(self, on):
        self.on = on
        self.spans = []
        self.zero = {"perf_counter": time.perf_counter(), "time": time.time()}

    def start(self):
        self.zero = {"perf_counter": time.perf_counter(), "time": time.time()}
        return self.zero["perf_counter"]

    def note(self, item, index, lane, start, end, clock="perf_counter"):
        if self.on:
            self.spans.append({"item": item, "stage": index, "kind": STAGES[index]["kind"], "lane": lane,
                               "start": round((start - self.zero[clock]) * 1000, 3), "end": round((end - self.zero[clock]) * 1000, 3)})


def run_stage(item, index, job, lane, lock, trace, clock=time.perf_counter):
    """Runs stage `index` on `item` on this thread: its part of the total, and the message it sends."""
    stage = STAGES[index]
    kind = stage["kind"]
    start = clock()
    part, message = 0, None
    if kind == "compute":
        part = compute(item, stage["units"])
    elif kind == "wait":
        time.sleep(wait_ms(job["seed"], item, index) / 1000)
    elif kind == "send":
        message = bytes(bytearray(stage["bytes"]))
    elif kind == "lock":
        with lock:
            part = compute(item, stage["units"])
    else:
        time.sleep(stage["ms"] / 1000)
    if trace is not None:
        trace.append((item, index, lane, start, clock()))
    return part, message


# --- The five ways of running it -----------------------------------------------------------------

def sequential(job, trace):
    lock = threading.Lock()
    spans = [] if trace.on else None
    total = 0
    trace.start()
    started = time.perf_counter()
    for item in range(job["items"]):
        for index in PRODUCER + CONSUMER:
            total += run_stage(item, index, job, 0, lock, spans)[0]
    ended = time.perf_counter()
    for span in spans or []:
        trace.note(*span)
    return total, 1, ended - started


def threads(job, trace):
    items, concurrency = job["items"], job["concurrency"]
    waiting = queue.Queue(maxsize=job["queue"])
    lock = threading.Lock()
    spans = [] if trace.on else None
    first = 1 if HAS_PRODUCER else 0
    # Each thread adds to its own place; the producer's is the last.
    totals = [0] * (concurrency + 1)

    def produce():
        for item in range(items):
            for index in PRODUCER:
                totals[concurrency] += run_stage(item, index, job, 0, lock, spans)[0]
            waiting.put(item)
        for _ in range(concurrency):
            waiting.put(None)

    def consume(number):
        while (item := waiting.get()) is not None:
            for index in CONSUMER:
                totals[number] += run_stage(item, index, job, first + number, lock, spans)[0]

    started = trace.start()
    consumers = [threading.Thread(target=consume, args=(number,)) for number in range(concurrency)]
    for thread in consumers:
        thread.start()
    if HAS_PRODUCER:
        producer = threading.Thread(target=produce)
        producer.start()
        producer.join()
    else:
        for item in range(items):
            waiting.put(item)
        for _ in range(concurrency):
            waiting.put(None)
    for thread in consumers:
        thread.join()
    ended = time.perf_counter()
    for span in spans or []:
        trace.note(*span)
    return sum(totals), concurrency + first, ended - started


def worker_process(job, number, lane, waiting, results, lock, traced):
    """A worker process: takes items until told to stop, runs the consumer stages, puts each
    message on `results`, and last its total (and its spans, on the wall clock)."""
    spans = [] if traced else None
    total = 0
    results.put(("ready", number, None))
    while (item := waiting.get()) is not None:
        for index in CONSUMER:
            part, message = run_stage(item, index, job, lane, lock, spans, time.time)
            total += part
            if message is not None:
                results.put(("message", item, message))
    results.put(("done", total, spans or []))


def processes(job, trace):
    import multiprocessing
    items, concurrency = job["items"], job["concurrency"]
    first = 1 if HAS_PRODUCER else 0
    waiting = multiprocessing.Queue(maxsize=job["queue"])
    results = multiprocessing.Queue()
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=worker_process, args=(job, number, first + number, waiting, results, lock, trace.on))
               for number in range(concurrency)]
    for worker in workers:
        worker.start()
    for _ in range(concurrency):
        results.get()  # each worker is ready before the clock starts
    outcome = {"total": 0, "spans": [], "messages": 0}

    def collect():
        done = 0
        while done < concurrency:
            what, value, extra = results.get()
            if what == "message":
                outcome["messages"] += 1
            else:
                done += 1
                outcome["total"] += value
                outcome["spans"].extend(extra)

    collector = threading.Thread(target=collect)
    spans = [] if trace.on else None
    started = trace.start()
    collector.start()
    for item in range(items):
        for index in PRODUCER:
            outcome["total"] += run_stage(item, index, job, 0, lock, spans)[0]
        waiting.put(item)
    for _ in range(concurrency):
        waiting.put(None)
    collector.join()
    ended = time.perf_counter()
    for worker in workers:
        worker.join()
    for span in spans or []:
        trace.note(*span)
    for span in outcome["spans"]:
        trace.note(*span, clock="time")
    return outcome["total"], concurrency, ended - started


async def run_stage_async(item, index, job, lane, lock, pool, spans):
    """Runs stage `index` on `item` as a task: its part of the total."""
    stage = STAGES[index]
    kind = stage["kind"]
    start = time.perf_counter()
    part = 0
    if kind == "compute":
        part = compute(item, stage["units"])  # computes on the loop's thread: every task waits
    elif kind == "wait":
        await asyncio.sleep(wait_ms(job["seed"], item, index) / 1000)
    elif kind == "send":
        bytes(bytearray(stage["bytes"]))
    elif kind == "lock":
        async with lock:
            part = compute(item, stage["units"])
    elif pool is None:
        time.sleep(stage["ms"] / 1000)  # blocks the loop's thread: every task waits
    else:
        await asyncio.get_running_loop().run_in_executor(pool, time.sleep, stage["ms"] / 1000)
    if spans is not None:
        spans.append((item, index, lane, start, time.perf_counter()))
    return part


async def on_event_loop(job, spans, pool):
    items, concurrency = job["items"], job["concurrency"]
    waiting = asyncio.Queue(maxsize=job["queue"])
    lock = asyncio.Lock()
    first = 1 if HAS_PRODUCER else 0

    async def produce():
        total = 0
        for item in range(items):
            for index in PRODUCER:
                total += await run_stage_async(item, index, job, 0, lock, pool, spans)
            await waiting.put(item)
        for _ in range(concurrency):
            await waiting.put(None)
        return total

    async def consume(number):
        total = 0
        while (item := await waiting.get()) is not None:
            for index in CONSUMER:
                total += await run_stage_async(item, index, job, first + number, lock, pool, spans)
        return total

    return sum(await asyncio.gather(produce(), *(consume(number) for number in range(concurrency))))


def in_async(job, trace, with_pool=False):
    spans = [] if trace.on else None
    pool = ThreadPoolExecutor(max_workers=job["concurrency"]) if with_pool else None
    started = trace.start()
    total = asyncio.run(on_event_loop(job, spans, pool))
    ended = time.perf_counter()
    if pool is not None:
        pool.shutdown()
    for span in spans or []:
        trace.note(*span)
    return total, 1, ended - started


def in_async_pool(job, trace):
    return in_async(job, trace, with_pool=True)


RUNNERS = {"sequential": sequential, "threads": threads, "processes": processes, "async": in_async, "async-pool": in_async_pool}


def cannot_run(mode):
    """Why `mode` cannot run on this Python, if it cannot."""
    if mode != "processes":
        return None
    try:
        import multiprocessing
        import multiprocessing.synchronize  # noqa: F401 (needs a working sem_open)
    except ImportError as error:
        return f"this Python cannot start processes: {error}"
    return None


# --- Parameters, measuring and reporting -------------------------------------------------------

def whole_number(name, low, high):
    def parse(text):
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name} = {value} is out of range: it must be between {low} and {high}")
        return value
    return parse


def mode_list(text):
    modes = [mode.strip() for mode in text.split(",") if mode.strip()]
    unknown = [mode for mode in modes if mode not in MODES]
    if not modes or unknown or len(set(modes)) != len(modes):
        raise argparse.ArgumentTypeError(f"modes must be one or more of {', '.join(MODES)}, each once")
    if "async-pool" in modes and not HAS_BLOCKING:
        raise argparse.ArgumentTypeError("modes: async-pool differs from async only with a blocking stage, and this workload has none")
    return modes


def arguments():
    parser = argparse.ArgumentParser(description="Run a workload's stages for every item: one at a time, on threads, in processes, with asyncio.")
    parser.add_argument("--items", type=whole_number("items", 1, @MOST_ITEMS@), default=40, help="how many items pass through the stages")
    parser.add_argument("--concurrency", type=whole_number("concurrency", 1, @MOST_CONCURRENCY@), default=4, help="how many items are worked on at once: threads, worker processes or tasks")
    parser.add_argument("--queue", type=whole_number("queue", 0, @MOST_ITEMS@), default=0, help="the most items made but not yet taken by a consumer (0: no bound)")
    parser.add_argument("--seed", type=whole_number("seed", 0, 999_999), default=1, help="picks the waits: the same seed gives the same workload")
    default_modes = [mode for mode in MODES if HAS_BLOCKING or mode != "async-pool"]
    parser.add_argument("--modes", type=mode_list, default=default_modes, help="which ways to compare, separated by commas (default: all that differ)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--trace", action="store_true", help="with --json: add when each stage of each item ran, and on which lane")
    args = parser.parse_args()
    if args.queue > 0 and not HAS_PRODUCER:
        parser.error(f"queue = {args.queue} bounds a queue no producer fills: every item is ready at the start")
    return args


def measure(mode, job, traces):
    """The mode's row; with `traces` (a list), its trace is added to it."""
    why_not = cannot_run(mode)
    if why_not is not None:
        return {"mode": mode, "ms": None, "workers": None, "result": None, "note": why_not}
    trace = Trace(traces is not None)
    try:
        total, workers, seconds = RUNNERS[mode](job, trace)
    except (OSError, NotImplementedError) as error:
        if mode != "processes":
            raise
        # Some systems refuse new processes or the semaphores their queues and lock need.
        return {"mode": mode, "ms": None, "workers": None, "result": None, "note": f"this Python cannot start processes here: {error}"}
    if traces is not None:
        lanes = len({span["lane"] for span in trace.spans})
        clocks = "perf_counter+time" if mode == "processes" else "perf_counter"
        traces.append({"mode": mode, "clock": clocks, "lanes": lanes, "spans": sorted(trace.spans, key=lambda s: (s["start"], s["item"], s["stage"]))})
    return {"mode": mode, "ms": round(seconds * 1000, 3), "workers": workers, "result": total}


def with_speedups(rows):
    baseline = next((row["ms"] for row in rows if row["mode"] == "sequential"), None)
    for row in rows:
        row["speedup"] = round(baseline / row["ms"], 2) if baseline and row["ms"] else None
    return rows


def plural(count, word):
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def describe(stage):
    side = " on the producer" if stage["on"] == "producer" else ""
    kind = stage["kind"]
    if kind == "compute":
        return f"compute {plural(stage['units'], 'unit')}{side}"
    if kind == "wait":
        spread = "" if stage["distribution"] == "fixed" else f" ({stage['distribution']})"
        return f"wait {stage['mean_ms']} ms{spread}{side}"
    if kind == "send":
        return f"send {stage['bytes']:,} bytes{side}"
    if kind == "lock":
        return f"compute {plural(stage['units'], 'unit')} holding the lock{side}"
    return f"block {stage['ms']} ms{side}"


def main():
    args = arguments()
    job = {"items": args.items, "concurrency": args.concurrency, "queue": args.queue, "seed": args.seed}
    params = {**job, "modes": args.modes, "stages": STAGES}
    traces = [] if args.trace else None
    rows = with_speedups([measure(mode, job, traces) for mode in args.modes])
    if args.json:
        print(json.dumps({"demo": "workload", "params": params, "rows": rows, **({"python": sys.version.split()[0], "trace": traces} if args.trace else {})}))
        return
    bound = f"queue of {args.queue}" if args.queue else "no bound on the queue"
    print(f"{plural(args.items, 'item')} through {plural(len(STAGES), 'stage')} ({', '.join(describe(stage) for stage in STAGES)}); "
          f"{args.concurrency} at once, {bound}, seed {args.seed}; Python {sys.version.split()[0]}")
    print(f"{'mode':<12} {'wall ms':>10} {'speed-up':>9} {'workers':>8} {'total':>10}")
    for row in rows:
        if row["ms"] is None:
            print(f"{row['mode']:<12} {'-':>10} {'-':>9} {'-':>8} {'-':>10}  {row['note']}")
            continue
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] else "-"
        print(f"{row['mode']:<12} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8} {row['result']:>10,}")
    totals = {row["result"] for row in rows if row["ms"] is not None}
    if len(totals) == 1:
        print(f"Every mode ran every stage of every item once: the same total, {totals.pop():,}.")
    else:
        print("The modes disagree!")


if __name__ == "__main__":
    main()
