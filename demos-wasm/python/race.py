#!/usr/bin/env python3
"""A race condition: the "race" demo of Concurrency Lab, in CPython.

Threads add one to a shared counter many times each:

  sequential  one thread adds every one (workers x increments)
  unsafe      threads read the counter, do a little work, then write what they read plus one,
              with no lock: when the interpreter switches threads between the read and the
              write, the other thread's additions in the meantime are overwritten and lost
  lock        the same read and write, holding a threading.Lock: nothing is lost
  atomic      not in Python: it has no atomic integer. `counter += 1` is a read, an add and a
              write (several bytecodes), and the GIL does not make them one step; the standard
              library's answer is a lock. The row is listed, with that note, and not run.
  processes   worker processes each count on their own counter; the counts are added up at
              the end (multiprocessing): nothing is shared, so nothing is lost

The global interpreter lock (GIL) lets only one thread run Python at a time, but it can be
handed to another thread between any two bytecodes, so it does not stop this race. How many
updates are lost varies from run to run; the switch interval (sys.getswitchinterval()) decides
how often a switch can land between a read and its write.

Standard library only; CPython 3.11 or later:

    python3 race.py --increments 1000000 --workers 2
    python3 race.py --increments 20000 --workers 2 --json --trace

With --trace, the JSON also says when each worker's share of the additions ran and on which
thread or process (see "The trace" below), for the figure's "Compare with CPython". A task is
one worker's share: `increments` additions (the sequential run does the workers' shares in turn).
"""

import argparse
import json
import multiprocessing
import os
import sys
import threading
import time

MODES = ["sequential", "unsafe", "lock", "atomic", "processes"]
NO_ATOMIC = "Python has no atomic integer: an addition to a shared int is a read and a write, so it takes a lock"


class Counter:
    """A counter the threads of one run share."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()


def think(x):
    """A little work between reading and writing: long enough that a switch can land there."""
    return (x * 31 + 7) % 1_000_003


def add_unsafely(counter, times):
    for _ in range(times):
        seen = counter.value
        think(seen)
        counter.value = seen + 1


def add_with_lock(counter, times):
    for _ in range(times):
        with counter.lock:
            seen = counter.value
            think(seen)
            counter.value = seen + 1


def count_alone(args):
    """A worker process's count: its own counter, nobody else's; and, when traced, when it counted
    (on the wall clock, which every process shares)."""
    times, lane, trace = args
    counter = Counter()
    events = [] if trace else None
    timed(events, "time", lane, "task", add_unsafely, counter, times)
    return counter.value, events or []


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


# --- The ways of running it --------------------------------------------------------------------

def sequential(increments, workers, events):
    counter = Counter()
    for share in range(workers):
        timed(events, "perf_counter", share, "task", add_unsafely, counter, increments)
    return counter.value, 1


def on_threads(add):
    def run(increments, workers, events):
        counter = Counter()
        start = threading.Barrier(workers)

        def lane(share):
            start.wait()
            timed(events, "perf_counter", share, "task", add, counter, increments)

        threads = [threading.Thread(target=lane, args=(share,)) for share in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return counter.value, workers
    return run


def processes(increments, workers, events):
    with multiprocessing.Pool(processes=workers) as pool:
        pool.map(nothing, range(workers))
        started = start_clock()
        counts = pool.map(count_alone, [(increments, lane, events is not None) for lane in range(workers)], chunksize=1)
        for _, lane_events in counts:
            if events is not None:
                events.extend(lane_events)
        return sum(count for count, _ in counts), workers, started


RUNNERS = {
    "sequential": sequential,
    "unsafe": on_threads(add_unsafely),
    "lock": on_threads(add_with_lock),
    "atomic": None,
    "processes": processes,
}


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
    parser = argparse.ArgumentParser(description="Threads adding to one counter: without a lock, with a lock, and in processes.")
    parser.add_argument("--increments", type=whole_number("increments", 1, 10_000_000), default=1_000_000, help="how many times each thread or worker adds one")
    parser.add_argument("--workers", type=whole_number("workers", 1, 32), default=os.cpu_count() or 1, help="how many threads or worker processes add (default: the CPU count)")
    parser.add_argument("--modes", type=mode_list, default=MODES, help="which ways to compare, separated by commas (default: all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--trace", action="store_true", help="with --json: add when each worker's additions ran, and where")
    return parser.parse_args()


def measure(mode, increments, workers, traces=None):
    """The mode's row; with `traces` (a list), its trace is added to it (a mode that runs has one)."""
    expected = increments * workers
    if RUNNERS[mode] is None:
        return {"mode": mode, "ms": None, "workers": workers, "result": None, "expected": expected, "note": NO_ATOMIC}
    events = [] if traces is not None else None
    started = start_clock()
    outcome = RUNNERS[mode](increments, workers, events)
    ended = time.perf_counter()
    if len(outcome) == 3:  # the pool was started before the clock
        started = outcome[2]
    if traces is not None:
        # The threads are started on the clock (each waits at a barrier until all have started).
        traces.append(trace_of(mode, events, "cold" if mode in ("unsafe", "lock") else "warm"))
    row = {"mode": mode, "ms": round((ended - started) * 1000, 3), "workers": outcome[1], "result": outcome[0], "expected": expected}
    if mode == "unsafe":
        row["may_differ"] = True  # losing updates is what this mode shows
        row["lost"] = expected - outcome[0]
    return row


def with_speedups(rows):
    baseline = next((row["ms"] for row in rows if row["mode"] == "sequential"), None)
    for row in rows:
        row["speedup"] = round(baseline / row["ms"], 2) if baseline and row["ms"] else None
    return rows


def main():
    args = arguments()
    params = {"increments": args.increments, "workers": args.workers, "modes": args.modes}
    traces = [] if args.trace else None
    rows = with_speedups([measure(mode, args.increments, args.workers, traces) for mode in args.modes])
    if args.json:
        print(json.dumps({"demo": "race", "params": params, "rows": rows, **({"python": sys.version.split()[0], "trace": traces} if args.trace else {})}))
        return
    expected = args.increments * args.workers
    print(f"{args.workers} workers adding one {args.increments:,} times each (expected {expected:,}), "
          f"switch interval {sys.getswitchinterval() * 1000:g} ms, Python {sys.version.split()[0]}")
    print(f"{'mode':<12} {'wall ms':>10} {'speed-up':>9} {'workers':>8} {'final count':>26}")
    for row in rows:
        if row["ms"] is None:
            print(f"{row['mode']:<12} {'-':>10} {'-':>9} {'-':>8}   {row['note']}")
            continue
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] else "-"
        count = f"{row['result']:,}" + (f" (lost {row['lost']:,})" if row.get("lost") else "")
        print(f"{row['mode']:<12} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8} {count:>26}")
    wrong = [row["mode"] for row in rows if row["ms"] is not None and not row.get("may_differ") and row["result"] != expected]
    print("The modes with a lock, alone or in processes counted exactly as expected." if not wrong
          else f"Expected {expected:,}, but these modes did not: {', '.join(wrong)}")


if __name__ == "__main__":
    main()
