#!/usr/bin/env python3
"""Waiting for requests: the "io-bound" demo of Concurrency Lab, in CPython.

Handles simulated requests whose latencies come from a seeded distribution; handling one is
nothing but waiting for it (time.sleep or asyncio.sleep), so the CPU is idle and what matters is
how many requests are waited for at once:

  sequential  one thread waits for each request in turn
  threads     a pool of K threads, each blocked by its request (ThreadPoolExecutor)
  processes   K worker processes, each dealt every K-th request, waiting for them in turn
  async       one event loop with every request in flight at once (asyncio.gather)

A thread waiting in time.sleep lets go of the global interpreter lock, so threads do overlap
their waits in CPython. The latencies are drawn exactly as in the browser (the same SplitMix64
mixing of seed and request number), so the same parameters give the same requests in both.

Standard library only; CPython 3.11 or later:

    python3 io-bound.py --requests 40 --mean_ms 25 --distribution exponential --seed 1 --workers 8
    python3 io-bound.py --requests 12 --mean_ms 10 --workers 3 --json --trace

With --trace, the JSON also says when each request was waited for and on which thread or process
(see "The trace" below), for the figure's "Compare with CPython".
"""

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

MODES = ["sequential", "threads", "processes", "async"]
DISTRIBUTIONS = ["fixed", "uniform", "exponential"]
MASK = (1 << 64) - 1
# The longest an exponential latency may be, in means.
EXPONENTIAL_CUTOFF = 10.0


# --- The workload: seeded latencies, the same as the browser's ---------------------------------

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


def latency_ms(job, index):
    """How long request `index` takes to answer, in whole milliseconds."""
    mean = float(job["mean_ms"])
    u = unit(job["seed"], index)
    if job["distribution"] == "fixed":
        latency = mean
    elif job["distribution"] == "uniform":
        latency = 2.0 * mean * u
    else:
        latency = min(-mean * math.log(1.0 - u), EXPONENTIAL_CUTOFF * mean)
    return int(round_half_up(latency))


def handle(job, index):
    """Handles request `index` by blocking this thread for its latency; returns the latency."""
    latency = latency_ms(job, index)
    time.sleep(latency / 1000)
    return latency


def handle_dealt(args):
    """A worker process's share: every K-th request from its own lane on, one at a time; and,
    when traced, when it waited for each (on the wall clock, which every process shares)."""
    job, lane, workers, trace = args
    events = [] if trace else None
    total = sum(timed(events, "time", index, "wait", handle, job, index) for index in range(lane, job["requests"], workers))
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

def sequential(job, workers, events):
    return sum(timed(events, "perf_counter", index, "wait", handle, job, index) for index in range(job["requests"])), 1


def threads(job, workers, events):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(nothing, range(workers)))
        started = start_clock()
        total = sum(pool.map(lambda index: timed(events, "perf_counter", index, "wait", handle, job, index), range(job["requests"])))
        return total, workers, started


def processes(job, workers, events):
    with multiprocessing.Pool(processes=workers) as pool:
        pool.map(nothing, range(workers))
        started = start_clock()
        shares = pool.map(handle_dealt, [(job, lane, workers, events is not None) for lane in range(workers)], chunksize=1)
        for _, share_events in shares:
            if events is not None:
                events.extend(share_events)
        return sum(total for total, _ in shares), workers, started


async def await_request(job, index, events):
    start, computed = time.perf_counter(), time.thread_time()
    latency = latency_ms(job, index)
    await asyncio.sleep(latency / 1000)
    if events is not None:
        # Every request waits on the event loop's one thread; "cpu" is that thread's computing
        # meanwhile, for any request (one thread does it all).
        events.append((index, (os.getpid(), threading.get_ident()), "wait", start, time.perf_counter(), "perf_counter",
                       time.thread_time() - computed))
    return latency


async def await_all(job, events):
    return sum(await asyncio.gather(*(await_request(job, index, events) for index in range(job["requests"]))))


def on_event_loop(job, workers, events):
    return asyncio.run(await_all(job, events)), 1


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
    parser = argparse.ArgumentParser(description="Handle simulated requests: one at a time, on threads, in processes, with asyncio.")
    parser.add_argument("--requests", type=whole_number("requests", 1, 400), default=40, help="how many requests to handle")
    parser.add_argument("--mean_ms", "--mean-ms", dest="mean_ms", type=whole_number("mean_ms", 1, 100), default=25, help="the mean latency of a request, in milliseconds")
    parser.add_argument("--distribution", choices=DISTRIBUTIONS, default="exponential", help="how latencies spread around the mean")
    parser.add_argument("--seed", type=whole_number("seed", 0, 999_999), default=1, help="picks the latencies: the same seed gives the same requests")
    parser.add_argument("--workers", type=whole_number("workers", 1, 32), default=8, help="how many threads or worker processes wait for requests")
    parser.add_argument("--modes", type=mode_list, default=MODES, help="which ways to compare, separated by commas (default: all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--trace", action="store_true", help="with --json: add when each request was waited for, and where")
    return parser.parse_args()


def measure(mode, job, workers, traces=None):
    """The mode's row; with `traces` (a list), its trace is added to it."""
    events = [] if traces is not None else None
    started = start_clock()
    outcome = RUNNERS[mode](job, workers, events)
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


def main():
    args = arguments()
    job = {"requests": args.requests, "mean_ms": args.mean_ms, "distribution": args.distribution, "seed": args.seed}
    params = {**job, "workers": args.workers, "modes": args.modes}
    traces = [] if args.trace else None
    rows = with_speedups([measure(mode, job, args.workers, traces) for mode in args.modes])
    if args.json:
        print(json.dumps({"demo": "io-bound", "params": params, "rows": rows, **({"python": sys.version.split()[0], "trace": traces} if args.trace else {})}))
        return
    print(f"{args.requests} requests, {args.distribution} latencies around {args.mean_ms} ms (seed {args.seed}), "
          f"{args.workers} workers, Python {sys.version.split()[0]}")
    print(f"{'mode':<12} {'wall ms':>10} {'speed-up':>9} {'workers':>8} {'latency waited':>15}")
    for row in rows:
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] else "-"
        print(f"{row['mode']:<12} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8} {row['result']:>12,} ms")
    if len({row["result"] for row in rows}) == 1:
        print(f"Every mode handled every request once: {rows[0]['result']:,} ms of latency in all.")
    else:
        print("The modes disagree!")


if __name__ == "__main__":
    main()
