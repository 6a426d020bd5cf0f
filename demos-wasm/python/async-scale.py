#!/usr/bin/env python3
"""The async-scale demo in Python: N tasks that only wait (seeded latencies), run as asyncio
tasks on one thread, on a ThreadPoolExecutor of K threads (each task blocks its thread), and as
one multiprocessing.Process per task (refused above --max-processes). Every power of ten below
N is timed as well, then N; the table shows the run at N, and --json adds the sweep.

    python3 async-scale.py --tasks 1000 --mean-ms 50 --workers 16 [--json]
    python3 async-scale.py --tasks 40 --mean_ms 20 --workers 8 --json --trace

With --trace, the JSON also says when each task of the run at N waited and on which thread or
process (see "The trace" below), for the figure's "Compare with CPython". Here the thread pool
and the processes are started on the clock, so a process's first task shows when it started.
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
    """work(*args), noting in `events` (a list or a multiprocessing queue; None: not traced) when
    it ran, on which thread of which process."""
    if events is None:
        return work(*args)
    start, computed = CLOCKS[clock](), time.thread_time()
    value = work(*args)
    computed = time.thread_time() - computed
    event = (task, (os.getpid(), threading.get_ident()), kind, start, CLOCKS[clock](), clock, computed)
    if isinstance(events, list):
        events.append(event)
    else:
        events.put(event)
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


# --- The three ways of running it --------------------------------------------------------------

async def run_async(latencies, events=None):
    async def task(index, ms):
        start, computed = time.perf_counter(), time.thread_time()
        await asyncio.sleep(ms / 1000)
        if events is not None:
            # "cpu" is the event loop's one thread computing meanwhile, for any task.
            events.append((index, (os.getpid(), threading.get_ident()), "wait", start, time.perf_counter(), "perf_counter",
                           time.thread_time() - computed))
        return 1

    return sum(await asyncio.gather(*(task(index, ms) for index, ms in enumerate(latencies))))


def blocking_task(ms):
    time.sleep(ms / 1000)
    return 1


def run_threads(latencies, workers, events=None):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(lambda task: timed(events, "perf_counter", task[0], "wait", blocking_task, task[1]), enumerate(latencies)))


def in_process(ms, index, events):
    """A process's one task, sending when it ran through `events` (a queue) when traced."""
    return timed(events, "time", index, "wait", blocking_task, ms)


def run_processes(latencies, events=None):
    queue = multiprocessing.Queue() if events is not None else None
    processes = [multiprocessing.Process(target=in_process, args=(ms, index, queue)) for index, ms in enumerate(latencies)]
    for process in processes:
        process.start()
    if queue is not None:
        # Read before joining: a process ends only once what it put in the queue is taken.
        events.extend(queue.get(timeout=60) for _ in processes)
    for process in processes:
        process.join()
    return sum(1 for process in processes if process.exitcode == 0)


def once(mode, n, args, events=None):
    """(ms, completed) for `n` tasks in `mode`, or (None, reason) when the mode refuses; with
    `events` (a list), when each task ran is added to it."""
    latencies = [latency_ms(args.seed, args.mean_ms, i) for i in range(n)]
    if mode == "threads":
        estimate = pool_estimate_ms(latencies, args.workers)
        if estimate > POOL_BUDGET_MS:
            return None, f"refused: {args.workers} threads blocked by {n} tasks would take about {estimate / 1000:.0f} s"
    if mode == "processes" and n > args.max_processes:
        return None, f"refused: {n} tasks would start {n} processes; at most {args.max_processes} (max_processes)"
    started = start_clock()
    if mode == "async":
        completed = asyncio.run(run_async(latencies, events))
    elif mode == "threads":
        completed = run_threads(latencies, args.workers, events)
    else:
        completed = run_processes(latencies, events)
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
    parser.add_argument("--trace", action="store_true", help="with --json: add when each task of the run at N waited, and where")
    args = parser.parse_args()
    bounds = {"tasks": (10, 100_000), "mean_ms": (1, 1_000), "seed": (0, 999_999), "workers": (1, 64), "max_processes": (1, 64)}
    for name, (low, high) in bounds.items():
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be between {low} and {high}, not {getattr(args, name)}")
    modes = [mode for mode in args.modes.split(",") if mode]
    if not modes or any(mode not in ("async", "threads", "processes") for mode in modes):
        parser.error("--modes must be one or more of async, threads, processes")
    sizes = sweep_sizes(args.tasks) if args.sweep == "true" else [args.tasks]

    rows, sweep, traces = [], [], []
    for mode in modes:
        events = None
        for n in sizes:
            events = [] if args.trace and n == args.tasks else None
            ms, result = once(mode, n, args, events)
            sweep.append({"mode": mode, "n": n, "ms": ms, "result": result})
        last = sweep[-1]
        if events is not None and last["ms"] is not None:
            # The thread pool and the processes start on the clock: "cold".
            traces.append(trace_of(mode, events, "warm" if mode == "async" else "cold"))
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
        trace = {"python": sys.version.split()[0], "trace": traces} if args.trace else {}
        print(json.dumps({"demo": "async-scale", "params": params, "rows": rows, "sweep": sweep, **trace}, indent=2))
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
