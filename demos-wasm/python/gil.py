#!/usr/bin/env python3
"""A global interpreter lock: the "gil" demo of Concurrency Lab, in CPython, where the lock is real.

In the browser the demo simulates CPython's global interpreter lock (GIL); here it is the real
one. Tasks run three ways:

  sequential  one thread runs every task in turn, the lock all to itself
  threads     a pool of threads takes tasks; they take turns holding the lock
  processes   worker processes, each with its own interpreter and its own lock

Two kinds of work (--work):

  cpu  the tasks count the primes below n between them (pure computing): threads take turns
       with the lock, so they are no faster than one thread; processes are.
  io   each task counts the primes among 4,000 numbers, half before and half after waiting
       --wait_ms for a simulated request (time.sleep, which lets go of the lock): the waits
       overlap, so threads are faster than one thread despite the lock.

--switch_ms is the switch interval: how long a thread may keep the lock while another thread
waits for it, set with sys.setswitchinterval (CPython's default is 5 ms, as the demo's).

--gil false: CPython 3.11 and 3.12 always have the lock. A free-threaded build (3.13t or later)
runs without it (`python3.13t -X gil=0 gil.py`); this script says which it ran with.

Standard library only; CPython 3.11 or later:

    python3 gil.py --work cpu --n 3000000 --tasks 16 --switch_ms 5 --workers 2
    python3 gil.py --work io --tasks 16 --wait_ms 40 --workers 2
    python3 gil.py --work cpu --n 400000 --tasks 8 --workers 2 --json --trace

With --trace, the JSON also says when each task ran and on which thread or process, and how long
its thread computed meanwhile (see "The trace" below), for the figure's "Compare with CPython".
"""

import argparse
import json
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from math import isqrt

MODES = ["sequential", "threads", "processes"]
# Numbers tested by each I/O-bound task, half before and half after its wait.
IO_NUMBERS_PER_TASK = 4_000


# --- The work: trial division, as in the primes demo -------------------------------------------

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


def run_task(job, index):
    """Task `index`: its share of the primes below n, or compute, wait for a request, compute."""
    if job["work"] == "cpu":
        tasks = job["tasks"]
        return count_primes_in(job["n"] * index // tasks, job["n"] * (index + 1) // tasks)
    start = index * IO_NUMBERS_PER_TASK
    middle = start + IO_NUMBERS_PER_TASK // 2
    primes = count_primes_in(start, middle)
    time.sleep(job["wait_ms"] / 1000)  # waiting for I/O: the thread lets go of the lock
    return primes + count_primes_in(middle, start + IO_NUMBERS_PER_TASK)


def kind_of(job):
    """What a task does, as its trace says: computes ("task"), or computes around a wait ("task+wait")."""
    return "task" if job["work"] == "cpu" else "task+wait"


def run_tasks_dealt(args):
    """A worker process's share: every K-th task from its own lane on; and, when traced, when it
    ran each (on the wall clock, which every process shares)."""
    job, lane, workers, trace = args
    sys.setswitchinterval(job["switch_ms"] / 1000)
    events = [] if trace else None
    total = sum(timed(events, "time", index, kind_of(job), run_task, job, index) for index in range(lane, job["tasks"], workers))
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


# --- The three ways of running it --------------------------------------------------------------

def sequential(job, workers, events):
    return sum(timed(events, "perf_counter", index, kind_of(job), run_task, job, index) for index in range(job["tasks"])), 1


def threads(job, workers, events):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(nothing, range(workers)))
        started = start_clock()
        total = sum(pool.map(lambda index: timed(events, "perf_counter", index, kind_of(job), run_task, job, index), range(job["tasks"])))
        return total, workers, started


def processes(job, workers, events):
    with multiprocessing.Pool(processes=workers) as pool:
        pool.map(nothing, range(workers))
        started = start_clock()
        shares = pool.map(run_tasks_dealt, [(job, lane, workers, events is not None) for lane in range(workers)], chunksize=1)
        for _, share_events in shares:
            if events is not None:
                events.extend(share_events)
        return sum(total for total, _ in shares), workers, started


RUNNERS = {"sequential": sequential, "threads": threads, "processes": processes}


def gil_is_on():
    """Whether this interpreter runs with the GIL (always, before the free-threaded 3.13t builds)."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_enabled is None else bool(is_enabled())


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


def switch(text):
    value = {"true": True, "on": True, "yes": True, "1": True, "false": False, "off": False, "no": False, "0": False}.get(text.lower())
    if value is None:
        raise argparse.ArgumentTypeError(f"gil must be true or false, not {text!r}")
    return value


def mode_list(text):
    modes = [mode.strip() for mode in text.split(",") if mode.strip()]
    unknown = [mode for mode in modes if mode not in MODES]
    if not modes or unknown or len(set(modes)) != len(modes):
        raise argparse.ArgumentTypeError(f"modes must be one or more of {', '.join(MODES)}, each once")
    return modes


def arguments():
    parser = argparse.ArgumentParser(description="Run CPU-bound or I/O-bound tasks under CPython's global interpreter lock: sequentially, on threads, in processes.")
    parser.add_argument("--work", choices=["cpu", "io"], default="cpu", help="what the tasks do: compute only (cpu), or compute a little and wait for a request (io)")
    parser.add_argument("--gil", type=switch, default=True, help="whether threads must hold the lock to compute (CPython 3.11 cannot turn it off)")
    parser.add_argument("--n", type=whole_number("n", 1_000, 20_000_000), default=3_000_000, help="cpu work: the tasks count the primes below this number between them")
    parser.add_argument("--tasks", type=whole_number("tasks", 1, 256), default=16, help="how many tasks the work is split into")
    parser.add_argument("--wait_ms", "--wait-ms", dest="wait_ms", type=whole_number("wait_ms", 1, 100), default=40, help="io work: how long each task waits for its request, in milliseconds")
    parser.add_argument("--switch_ms", "--switch-ms", dest="switch_ms", type=whole_number("switch_ms", 1, 100), default=5, help="the switch interval, in milliseconds (sys.setswitchinterval)")
    parser.add_argument("--workers", type=whole_number("workers", 1, 32), default=os.cpu_count() or 1, help="how many threads or worker processes run the tasks (default: the CPU count)")
    parser.add_argument("--modes", type=mode_list, default=MODES, help="which ways to compare, separated by commas (default: all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--trace", action="store_true", help="with --json: add when each task ran, and where")
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
    sys.setswitchinterval(args.switch_ms / 1000)
    job = {"work": args.work, "n": args.n, "tasks": args.tasks, "wait_ms": args.wait_ms, "switch_ms": args.switch_ms}
    params = {**job, "gil": args.gil, "workers": args.workers, "modes": args.modes}
    notes = []
    if not args.gil and gil_is_on():
        notes.append(f"Python {sys.version.split()[0]} cannot run without its GIL: these threads held it all the same "
                     "(a free-threaded build, python3.13t -X gil=0, can).")
    traces = [] if args.trace else None
    rows = with_speedups([measure(mode, job, args.workers, traces) for mode in args.modes])
    if args.json:
        trace = {"python": sys.version.split()[0], "trace": traces} if args.trace else {}
        print(json.dumps({"demo": "gil", "params": params, "rows": rows, "gil": gil_is_on(), "notes": notes, **trace}))
        return
    what = f"the primes below {args.n:,}" if args.work == "cpu" else f"{args.wait_ms} ms waits between computing"
    print(f"{args.tasks} {args.work} tasks ({what}), switch interval {sys.getswitchinterval() * 1000:g} ms, "
          f"{args.workers} workers, GIL {'on' if gil_is_on() else 'off'}, Python {sys.version.split()[0]}")
    print(f"{'mode':<12} {'wall ms':>10} {'speed-up':>9} {'workers':>8} {'primes found':>14}")
    for row in rows:
        speedup = f"{row['speedup']:.1f}x" if row["speedup"] else "-"
        print(f"{row['mode']:<12} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8} {row['result']:>14,}")
    if len({row["result"] for row in rows}) == 1:
        print(f"Every mode counts the same number of primes: {rows[0]['result']:,}.")
    else:
        print("The modes disagree!")
    for note in notes:
        print(f"Note: {note}")


if __name__ == "__main__":
    main()
