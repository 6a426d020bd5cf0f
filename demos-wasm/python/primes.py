#!/usr/bin/env python3
"""Counting primes: the "primes" demo of Concurrency Lab, in CPython.

Counts the primes below n by trial division, split into independent chunks, four ways:

  sequential  one thread counts every chunk in turn
  threads     a pool of threads takes the next free chunk (ThreadPoolExecutor)
  processes   a pool of worker processes, each dealt every K-th chunk (multiprocessing)
  async       one event loop counts a chunk, then yields, then counts the next (asyncio)

In CPython only one thread runs Python code at a time (the global interpreter lock), so the
threads row is no faster than the sequential one: that is the point. Processes each have their
own interpreter and lock, so they divide the work between cores. Async runs on one thread and
only takes turns. Starting the pools is not timed, as in the browser.

Standard library only; CPython 3.11 or later:

    python3 primes.py --n 5000000 --chunks 64 --workers 2
    python3 primes.py --n 100000 --modes sequential,processes --json
    python3 primes.py --n 100000 --chunks 16 --workers 2 --json --trace

With --trace, the JSON also says when each chunk was counted and by which thread or process
(see "The trace" below), for the figure's "Compare with CPython".
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from math import isqrt

MODES = ["sequential", "threads", "processes", "async"]


# --- The work: the same trial division and chunks as the browser's WebAssembly -------------

def count_primes_in(start, end):
    """How many primes p there are with start <= p < end: 2, then odd k with no odd divisor up to its square root."""
    count = 1 if start <= 2 < end else 0
    for k in range(max(start, 3) | 1, end, 2):
        for divisor in range(3, isqrt(k) + 1, 2):
            if k % divisor == 0:
                break
        else:
            count += 1
    return count


def chunk(n, chunks, index):
    """Chunk `index` of range(n) split into `chunks` ranges of equal length (to within one)."""
    return n * index // chunks, n * (index + 1) // chunks


def count_chunk(n, chunks, index):
    return count_primes_in(*chunk(n, chunks, index))


def count_chunks_dealt(args):
    """A worker process's share: every K-th chunk, starting at its own lane; and, when traced,
    when it counted each (on the wall clock, which every process shares)."""
    n, chunks, lane, workers, trace = args
    events = [] if trace else None
    total = sum(timed(events, "time", index, "task", count_chunk, n, chunks, index) for index in range(lane, chunks, workers))
    return total, events or []


def nothing(_):
    return None


# --- The trace (--trace): when each task ran, and on which thread or process ------------------
# One clock per mode. Tasks run in this process read time.perf_counter, as the mode's wall time
# does; tasks run in worker processes read time.time (the machine's wall clock), since
# perf_counter's zero may differ between processes. start_clock() reads both at the moment the
# mode's timing starts, and every event is in ms from that moment on the clock it was read with.
# "cpu" is how long the task's thread computed during it (time.thread_time): a thread waiting
# for the GIL, or sleeping, does not compute.

ZERO = {}    # each clock's reading when the mode's timing started
CLOCKS = {"perf_counter": time.perf_counter, "time": time.time}


def start_clock():
    """The mode's timing starts now: returns the perf_counter reading, keeping both clocks'."""
    ZERO["time"] = time.time()
    ZERO["perf_counter"] = time.perf_counter()
    return ZERO["perf_counter"]


def timed(events, clock, task, kind, work, *args):
    """work(*args), noting in `events` (unless None) when it ran, on which thread of which process."""
    if events is None:
        return work(*args)
    start, computed = CLOCKS[clock](), time.thread_time()
    value = work(*args)
    computed = time.thread_time() - computed
    events.append((task, (os.getpid(), threading.get_ident()), kind, start, CLOCKS[clock](), clock, computed))
    return value


def trace_of(mode, events, pool="warm"):
    """The mode's events in ms from its start, each thread or process a lane (numbered in the order
    they began); `pool` says whether its threads or processes were started before the clock
    ("warm") or on it ("cold")."""
    firsts = {}
    for task, who, kind, start, end, clock, computed in sorted(events, key=lambda event: event[3] - ZERO[event[5]]):
        firsts.setdefault(who, len(firsts))
    rows = [{"task": task, "lane": firsts[who], "kind": kind, "start": round((start - ZERO[clock]) * 1000, 3),
             "end": round((end - ZERO[clock]) * 1000, 3), "cpu": round(computed * 1000, 3)}
            for task, who, kind, start, end, clock, computed in events]
    return {"mode": mode, "clock": "+".join(sorted({event[5] for event in events})) or "perf_counter",
            "pool": pool, "lanes": len(firsts), "events": sorted(rows, key=lambda row: (row["start"], row["task"]))}


# --- The four ways of running it ---------------------------------------------------------------

def sequential(n, chunks, workers, events):
    return sum(timed(events, "perf_counter", index, "task", count_chunk, n, chunks, index) for index in range(chunks)), 1


def threads(n, chunks, workers, events):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(nothing, range(workers)))  # start the threads before the clock does
        started = start_clock()
        total = sum(pool.map(lambda index: timed(events, "perf_counter", index, "task", count_chunk, n, chunks, index), range(chunks)))
        return total, workers, started


def processes(n, chunks, workers, events):
    with multiprocessing.Pool(processes=workers) as pool:
        pool.map(nothing, range(workers))  # start the processes before the clock does
        started = start_clock()
        shares = pool.map(count_chunks_dealt, [(n, chunks, lane, workers, events is not None) for lane in range(workers)], chunksize=1)
        for _, share_events in shares:
            if events is not None:
                events.extend(share_events)
        return sum(total for total, _ in shares), workers, started


async def count_on_event_loop(n, chunks, events):
    total = 0
    for index in range(chunks):
        total += timed(events, "perf_counter", index, "task", count_chunk, n, chunks, index)
        await asyncio.sleep(0)  # let other tasks run between chunks
    return total


def on_event_loop(n, chunks, workers, events):
    return asyncio.run(count_on_event_loop(n, chunks, events)), 1


RUNNERS = {"sequential": sequential, "threads": threads, "processes": processes, "async": on_event_loop}


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
    return modes


def arguments():
    parser = argparse.ArgumentParser(description="Count the primes below n in chunks: sequentially, on threads, in processes, with asyncio.")
    parser.add_argument("--n", type=whole_number("n", 1_000, 20_000_000), default=5_000_000, help="count the primes below this number")
    parser.add_argument("--chunks", type=whole_number("chunks", 1, 4096), default=64, help="how many independent tasks the range is split into")
    parser.add_argument("--workers", type=whole_number("workers", 1, 32), default=os.cpu_count() or 1, help="how many threads or worker processes run the tasks (default: the CPU count)")
    parser.add_argument("--modes", type=mode_list, default=MODES, help="which ways to compare, separated by commas (default: all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--trace", action="store_true", help="with --json: add when each chunk was counted, and where")
    return parser.parse_args()


def measure(mode, params, traces=None):
    """The mode's row; with `traces` (a list), its trace is added to it."""
    events = [] if traces is not None else None
    started = start_clock()
    outcome = RUNNERS[mode](params["n"], params["chunks"], params["workers"], events)
    ended = time.perf_counter()
    if len(outcome) == 3:  # the pool was started before the clock
        started = outcome[2]
    if traces is not None:
        traces.append(trace_of(mode, events))
    return {"mode": mode, "ms": round((ended - started) * 1000, 3), "workers": outcome[1], "result": outcome[0]}


def with_speedups(rows):
    baseline = next((row["ms"] for row in rows if row["mode"] == "sequential"), None)
    for row in rows:
        row["speedup"] = round(baseline / row["ms"], 2) if baseline and row["ms"] else None
    return rows


def print_table(rows, heading):
    print(f"{'mode':<12} {'wall ms':>10} {'speed-up':>9} {'workers':>8} {heading:>14}")
    for row in rows:
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] else "-"
        print(f"{row['mode']:<12} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8} {row['result']:>14,}")


def main():
    args = arguments()
    params = {"n": args.n, "chunks": args.chunks, "workers": args.workers, "modes": args.modes}
    traces = [] if args.trace else None
    rows = with_speedups([measure(mode, params, traces) for mode in args.modes])
    if args.json:
        print(json.dumps({"demo": "primes", "params": params, "rows": rows, **({"python": sys.version.split()[0], "trace": traces} if args.trace else {})}))
        return
    print(f"Counting the primes below {args.n:,} in {args.chunks} chunks, {args.workers} workers, Python {sys.version.split()[0]}")
    print_table(rows, "primes found")
    if len({row["result"] for row in rows}) == 1:
        print(f"Every mode counts the same number of primes: {rows[0]['result']:,}.")
    else:
        print("The modes disagree!")


if __name__ == "__main__":
    main()
