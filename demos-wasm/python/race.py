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


def count_alone(times):
    """A worker process's count: its own counter, nobody else's."""
    counter = Counter()
    add_unsafely(counter, times)
    return counter.value


def nothing(_):
    return None


# --- The ways of running it --------------------------------------------------------------------

def sequential(increments, workers):
    counter = Counter()
    add_unsafely(counter, increments * workers)
    return counter.value, 1


def on_threads(add):
    def run(increments, workers):
        counter = Counter()
        start = threading.Barrier(workers)

        def lane():
            start.wait()
            add(counter, increments)

        threads = [threading.Thread(target=lane) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return counter.value, workers
    return run


def processes(increments, workers):
    with multiprocessing.Pool(processes=workers) as pool:
        pool.map(nothing, range(workers))
        started = time.perf_counter()
        return sum(pool.map(count_alone, [increments] * workers, chunksize=1)), workers, started


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
    return parser.parse_args()


def measure(mode, increments, workers):
    expected = increments * workers
    if RUNNERS[mode] is None:
        return {"mode": mode, "ms": None, "workers": workers, "result": None, "expected": expected, "note": NO_ATOMIC}
    started = time.perf_counter()
    outcome = RUNNERS[mode](increments, workers)
    ended = time.perf_counter()
    if len(outcome) == 3:  # the pool was started before the clock
        started = outcome[2]
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
    rows = with_speedups([measure(mode, args.increments, args.workers) for mode in args.modes])
    if args.json:
        print(json.dumps({"demo": "race", "params": params, "rows": rows}))
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
