"""qe batch on Dask against qe batch in one process: records/s and overhead.

    .venv/bin/python benchmarks/bench_dask.py [--docs 300] [--window 16] [--workers 2]

On one feed (short articles cut from the seed corpora, bundled model, no
embedding cache so every run embeds everything), prints:

1. the local engine (one process; torch uses every core);
2. a LocalCluster of N single-threaded worker processes on loopback;
3. the same kind of cluster reached by address: `dask scheduler` and
   `dask worker` started as separate processes;

each as records/s and sentences/s, plus the overheads: cluster start (until
every worker is up), the first partition (a worker loading the model), and the
round trip of an empty partition (submit -> worker -> result, no checking).
It also checks that every engine gave the same results (statuses, flags,
verdict counts; similarity to 1e-5). On a 2-core machine no speed-up is
expected: the point is equal results and a measured price.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed_feed(n_docs: int) -> list[dict]:
    """Short articles: runs of 3-6 paragraphs of a seed text, against the same run
    of a rewrite of it (back-translation, spun), itself, or a cut version."""
    def paragraphs(path: Path) -> list[str]:
        return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]

    ft = {n: paragraphs(ROOT / "corpora" / "ft-call" / f"{n}.en.txt") for n in ("original", "backtranslation", "spun")}
    politico = paragraphs(ROOT / "corpora" / "politico-call" / "original.en.txt")
    pairings = [(ft["original"], ft["backtranslation"]), (ft["original"], ft["spun"]), (politico, politico),
                (politico, [p for i, p in enumerate(politico) if i % 3]), (ft["backtranslation"], ft["spun"])]
    records = []
    for i in range(n_docs):
        a, b = pairings[i % len(pairings)]
        start, size = (i * 7) % 15, 3 + i % 4
        records.append({"id": f"doc-{i:04d}", "original": "\n\n".join(a[start:start + size]) + "\n",
                        "translation": "\n\n".join(b[start:start + size]) + "\n"})
    return records


def sentences(records: list[dict]) -> int:
    from qe.pipeline import document_from_text

    return sum(len(document_from_text(r[s], "en")) for r in records for s in ("original", "translation"))


def same_results(a, b) -> tuple[bool, float]:
    rows_a, rows_b = sorted(a.rows, key=lambda r: r.id), sorted(b.rows, key=lambda r: r.id)
    fields = ("id", "status", "major_flags", "minor_flags", "wrong", "check", "omitted", "added", "bleu", "chrf")
    exact = all([getattr(x, f) for f in fields] == [getattr(y, f) for f in fields] for x, y in zip(rows_a, rows_b))
    diff = max((abs((x.similarity or 0) - (y.similarity or 0)) for x, y in zip(rows_a, rows_b)), default=0.0)
    return exact and len(rows_a) == len(rows_b) and diff < 1e-5 and a.exit_code == b.exit_code, diff


def round_trips(client, n: int = 20) -> float:
    """Median seconds for an empty partition: submit, run on a worker, result back."""
    from qe.distributed import check_partition
    from qe.pipeline import CheckConfig

    times = []
    for i in range(n):
        t = time.perf_counter()
        client.submit(check_partition, [], CheckConfig(), None, ("json",), pure=False).result()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def start_processes(tmp: Path, workers: int) -> tuple[list[subprocess.Popen], str]:
    dask = str(Path(sys.executable).parent / "dask")
    sched_file = tmp / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], cwd=tmp,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    while not sched_file.exists():
        time.sleep(0.05)
    address = json.loads(sched_file.read_text())["address"]
    procs.append(subprocess.Popen([dask, "worker", address, "--nworkers", str(workers), "--nthreads", "1",
                                   "--host", "127.0.0.1", "--no-dashboard"], cwd=tmp,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return procs, address


def stop_processes(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):
        p.terminate()
    for p in reversed(procs):
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--window", type=int, default=16, help="records a partition (and a local window)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    import distributed

    from qe.batch import BatchSettings, run_batch
    from qe.distributed import run_batch_dask
    from qe.pipeline import CheckConfig

    tmp = Path(tempfile.mkdtemp(prefix="qe-bench-dask-"))
    records = seed_feed(args.docs)
    feed = tmp / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    n_sent = sentences(records)
    settings = BatchSettings(window_records=args.window, resume=False)
    config = CheckConfig()
    print(f"feed: {len(records)} records, {n_sent} sentences (both sides); window/partition {args.window}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")

    def line(name: str, seconds: float, extra: str = "") -> None:
        print(f"{name:<46} {seconds:7.1f} s  {len(records) / seconds:6.2f} records/s  "
              f"{n_sent / seconds:7.1f} sentences/s{extra}")

    # 1. One process (model load included, as a CLI run would pay it).
    t = time.perf_counter()
    local = run_batch(feed, tmp / "local", config, settings=settings)
    line("local engine (1 process)", time.perf_counter() - t)

    # 2. A LocalCluster.
    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=":0")
    client = distributed.Client(cluster, set_as_default=False)
    client.wait_for_workers(args.workers)
    start_local = time.perf_counter() - t0
    try:
        rt_local = round_trips(client)
        t = time.perf_counter()
        first: list[float] = []

        def on_row(row) -> None:
            if not first:
                first.append(time.perf_counter() - t)

        lc = run_batch_dask(feed, tmp / "localcluster", config, client=client, settings=settings, on_row=on_row)
        run_lc = time.perf_counter() - t
    finally:
        client.close()
        cluster.close()
    ok, diff = same_results(local, lc)
    line(f"LocalCluster, {args.workers} workers (run only)", run_lc, f"  same results: {ok} (max Δsim {diff:.1e})")
    line(f"LocalCluster, {args.workers} workers (with start)", run_lc + start_local)

    # 3. Scheduler and workers as separate processes, reached by address.
    t0 = time.perf_counter()
    procs, address = start_processes(tmp, args.workers)
    try:
        client = distributed.Client(address, set_as_default=False)
        client.wait_for_workers(args.workers)
        start_addr = time.perf_counter() - t0
        rt_addr = round_trips(client)
        client.close()
        t = time.perf_counter()
        ac = run_batch_dask(feed, tmp / "address", config, scheduler=address, settings=settings)
        run_addr = time.perf_counter() - t
    finally:
        stop_processes(procs)
    ok, diff = same_results(local, ac)
    line("dask scheduler + worker by address (run)", run_addr, f"  same results: {ok} (max Δsim {diff:.1e})")
    line("dask scheduler + worker by address (with start)", run_addr + start_addr)

    partitions = -(-len(records) // args.window)
    print("\noverheads")
    rows = [
        (f"LocalCluster start ({args.workers} workers up)", f"{start_local:.2f} s"),
        (f"dask scheduler + {args.workers} workers start (processes)", f"{start_addr:.2f} s"),
        ("first result back (model load + one partition)", f"{first[0] if first else float('nan'):.2f} s"),
        ("empty-partition round trip, LocalCluster", f"{rt_local * 1000:.1f} ms (median of 20)"),
        ("empty-partition round trip, by address", f"{rt_addr * 1000:.1f} ms (median of 20)"),
        (f"{partitions} partitions x round trip", f"{partitions * rt_local:.2f} s of the {run_lc:.1f} s run"),
    ]
    for name, value in rows:
        print(f"  {name:<52} {value}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":  # spawned Dask workers re-import this file: run only as a script
    main()
