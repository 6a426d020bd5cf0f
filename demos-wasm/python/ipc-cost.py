#!/usr/bin/env python3
"""The ipc-cost demo in CPython: the cost of moving data to a worker and back.

Payloads of growing size (1 KB to 64 MB, evenly spaced on a log scale, as on the page) make a
round trip parent -> worker -> parent, several times per size; the median round trip is shown
per size. Three ways, under the page's mode names:

  copy      a worker process and a multiprocessing Pipe: the payload is pickled, sent and
            unpickled each way (copied twice per round trip).
  transfer  a worker process and multiprocessing.shared_memory: the payload sits in a shared
            block and only its name and size travel (CPython cannot hand a buffer's ownership
            to another process; a shared block is the nearest thing, and copies nothing).
  shared    a worker thread and queue.Queue: both threads see the same bytes object, and only
            a reference moves.

In every mode the worker reads the payload where it is (its first and last bytes) on each timed
round trip, and on one untimed round trip per size it checksums every byte (zlib.crc32) to show
that all of it arrived. The result is the sum of those checksums: every mode must report the
same. (The payload bytes come from random.Random(size), so the checksums are not the page's,
which come from the WebAssembly module; they agree between this script's modes.)

Usage: python3 ipc-cost.py [--min_kb 1] [--max_kb 65536] [--sizes 9] [--repeats 5]
                           [--modes copy,transfer,shared] [--json]
"""

import argparse
import json
import multiprocessing
import queue
import random
import statistics
import sys
import threading
import time
import zlib
from multiprocessing import resource_tracker, shared_memory

KB = 1024
LARGEST_KB = 65_536
MOST_SIZES = 17
MODES = ["copy", "transfer", "shared"]
BOUNDS = {"min_kb": (1, LARGEST_KB), "max_kb": (1, LARGEST_KB), "sizes": (1, MOST_SIZES), "repeats": (1, 25)}
DEFAULTS = {"min_kb": 1, "max_kb": LARGEST_KB, "sizes": 9, "repeats": 5}


def sizes(min_kb, max_kb, count):
    """The payload sizes in bytes, as the page computes them: log-spaced, whole KB, distinct."""
    low, high = sorted((min_kb, max_kb))
    if count == 1:
        return [min_kb * KB]
    result = []
    for i in range(count):
        kb = low if i == 0 else high if i == count - 1 else round(low * (high / low) ** (i / (count - 1)))
        kb = min(max(kb, low), high) * KB
        if not result or result[-1] != kb:
            result.append(kb)
    return result


def payload(size):
    """The same bytes for the same size."""
    return random.Random(size).randbytes(size)


def ends(view):
    """Reads the payload in place: its first and last bytes."""
    return (view[0], view[-1]) if len(view) else ()


# --- The worker process: Pipe (copy) and shared memory (transfer) --------------------------

def attach(name):
    """The parent's shared block, without this process claiming it: the parent unlinks it.
    (Before Python 3.13 attaching also registers the block for clean-up at exit.)"""
    try:
        return shared_memory.SharedMemory(name=name, track=False)
    except TypeError:
        block = shared_memory.SharedMemory(name=name)
        resource_tracker.unregister(block._name, "shared_memory")  # noqa: SLF001
        return block


def process_worker(conn):
    blocks = {}
    while True:
        message = conn.recv()
        kind = message[0]
        if kind == "stop":
            break
        if kind == "copy":
            _, data, verify = message
            checksum = zlib.crc32(data) if verify else None
            ends(data)
            conn.send((data, checksum))
        elif kind == "shm":
            _, name, size, verify = message
            if name not in blocks:
                for block in blocks.values():
                    block.close()
                blocks = {name: attach(name)}
            view = blocks[name].buf[:size]
            checksum = zlib.crc32(view) if verify else None
            ends(view)
            view.release()
            conn.send((size, checksum))
    for block in blocks.values():
        block.close()


def run_in_process(size_list, repeats, how):
    parent, child = multiprocessing.Pipe()
    worker = multiprocessing.Process(target=process_worker, args=(child,), daemon=True)
    worker.start()
    try:
        return time_round_trips(size_list, repeats, lambda data: process_round_trips(parent, data, how))
    finally:
        parent.send(("stop",))
        worker.join()


def process_round_trips(conn, data, how):
    """A function that makes one round trip with `data` (verifying or not); and a clean-up."""
    if how == "copy":
        def trip(verify):
            conn.send(("copy", data, verify))
            echoed, checksum = conn.recv()
            assert len(echoed) == len(data)
            return checksum
        return trip, lambda: None
    block = shared_memory.SharedMemory(create=True, size=len(data))
    block.buf[: len(data)] = data

    def trip(verify):
        conn.send(("shm", block.name, len(data), verify))
        size, checksum = conn.recv()
        assert size == len(data)
        return checksum

    def clean_up():
        block.close()
        block.unlink()
    return trip, clean_up


# --- The worker thread: one bytes object, shared -------------------------------------------

def run_in_thread(size_list, repeats):
    inbox, outbox = queue.Queue(), queue.Queue()

    def worker():
        while (message := inbox.get()) is not None:
            data, verify = message
            checksum = zlib.crc32(data) if verify else None
            ends(data)
            outbox.put((data, checksum))

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()

    def round_trips(data):
        def trip(verify):
            inbox.put((data, verify))
            echoed, checksum = outbox.get()
            assert echoed is data, "the same object, not a copy"
            return checksum
        return trip, lambda: None

    try:
        return time_round_trips(size_list, repeats, round_trips)
    finally:
        inbox.put(None)
        thread.join()


# --- Timing --------------------------------------------------------------------------------

def time_round_trips(size_list, repeats, round_trips):
    """Per size: one verifying round trip (untimed), then `repeats` timed ones."""
    by_size = []
    for size in size_list:
        data = payload(size)
        trip, clean_up = round_trips(data)
        try:
            checksum = trip(True)
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                trip(False)
                times.append((time.perf_counter() - started) * 1000)
        finally:
            clean_up()
        by_size.append({"bytes": size, "median_ms": statistics.median(times), "checksum": checksum})
    return by_size


def run_mode(mode, size_list, repeats):
    started = time.perf_counter()
    if mode == "shared":
        by_size = run_in_thread(size_list, repeats)
    else:
        by_size = run_in_process(size_list, repeats, mode)
    ms = (time.perf_counter() - started) * 1000
    return {
        "mode": mode, "ms": round(ms, 3), "workers": 1,
        "result": sum(size["checksum"] for size in by_size),
        "smallest_ms": round(by_size[0]["median_ms"], 4), "largest_ms": round(by_size[-1]["median_ms"], 4),
        "by_size": [{"bytes": s["bytes"], "median_ms": round(s["median_ms"], 4)} for s in by_size],
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, (low, high) in BOUNDS.items():
        parser.add_argument(f"--{name}", f"--{name.replace('_', '-')}", dest=name, type=int, default=DEFAULTS[name],
                            help=f"{low} to {high} (default {DEFAULTS[name]})")
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


def main(argv=None):
    args = parse_args(argv)
    size_list = sizes(args.min_kb, args.max_kb, args.sizes)
    rows = [run_mode(mode, size_list, args.repeats) for mode in args.modes]
    baseline = next((row for row in rows if row["mode"] == "copy"), None)
    for row in rows:
        row["speedup"] = round(baseline["ms"] / row["ms"], 2) if baseline and row["ms"] > 0 else None
    params = {name: getattr(args, name) for name in BOUNDS} | {"modes": args.modes}
    if args.json:
        print(json.dumps({"demo": "ipc-cost", "params": params, "rows": rows}, indent=2))
        return
    print(f"ipc-cost: {len(size_list)} sizes from {size_list[0] // KB} KB to {size_list[-1] // KB} KB, "
          f"{args.repeats} timed round trips each")
    print(f"{'mode':<10} {'wall ms':>10} {'speed-up':>9} {'workers':>8} {'result':>12} {'smallest':>10} {'largest':>10}")
    for row in rows:
        speedup = "—" if row["speedup"] is None else f"{row['speedup']:.1f}x"
        print(f"{row['mode']:<10} {row['ms']:>10.1f} {speedup:>9} {row['workers']:>8} {row['result']:>12} "
              f"{row['smallest_ms']:>8.3f}ms {row['largest_ms']:>8.3f}ms")
    agree = len({row["result"] for row in rows}) == 1
    print("every mode received the same bytes" if agree else "the modes' checksums DIFFER", file=sys.stderr)


if __name__ == "__main__":
    main()
