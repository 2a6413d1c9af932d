"""qe batch --engine dask: the same reports, summary, journal and exit code as
the local engine; a lost worker loses nothing; a bad record is reported and the
rest complete; a cluster reached by address works.

The records come from the seed corpora (slices of their paragraphs, paired
with the back-translation, the spun rewrite, itself or a cut version), so
nothing here is tuned to a particular text. Most tests use --model hashing (the
deterministic model-free embedder) for speed; one uses the bundled model.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

distributed = pytest.importorskip("distributed")

from qe.batch import JOURNAL_NAME, BatchSettings, Status, run_batch
from qe.cli import app
from qe.distributed import ClusterError, run_batch_dask
from qe.pipeline import CheckConfig

ROOT = Path(__file__).resolve().parent.parent
HASHING = CheckConfig(model="hashing")


def _paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_records(n: int) -> list[dict]:
    """`n` records cut from the seed corpora: a run of paragraphs of one text,
    against the same run of a rewrite of it (back-translation, spun), itself,
    or itself with paragraphs dropped."""
    ft = {name: _paragraphs(ROOT / "corpora" / "ft-call" / f"{name}.en.txt")
          for name in ("original", "backtranslation", "spun")}
    politico = _paragraphs(ROOT / "corpora" / "politico-call" / "original.en.txt")
    pairings = [
        ("ft-bt", ft["original"], ft["backtranslation"]),
        ("ft-spun", ft["original"], ft["spun"]),
        ("politico-same", politico, politico),
        ("politico-cut", politico, [p for i, p in enumerate(politico) if i % 3]),
        ("ft-bt-spun", ft["backtranslation"], ft["spun"]),
        ("politico-vs-ft", politico, ft["original"]),
    ]
    records = []
    for i in range(n):
        name, a, b = pairings[i % len(pairings)]
        start, size = (i * 3) % 12, 4 + i % 4
        records.append({"id": f"{name}-{i}", "original": "\n\n".join(a[start:start + size]) + "\n",
                        "translation": "\n\n".join(b[start:start + size]) + "\n"})
    return records


def write_feed(path: Path, records: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report_files(out: Path) -> dict[str, bytes]:
    """Every per-document report file and summary, by relative path. The reports
    carry no time stamp, so nothing volatile has to be removed; the journal is
    left out (its lines come in completion order)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != JOURNAL_NAME}


def journal_ids(out: Path) -> list[str]:
    return [json.loads(line)["id"] for line in (out / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=":0")
    c = distributed.Client(cluster, set_as_default=False)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def test_same_reports_as_the_local_engine(tmp_path, client):
    feed = write_feed(tmp_path / "feed.jsonl", seed_records(6))
    settings = BatchSettings(window_records=2)
    local = run_batch(feed, tmp_path / "local", HASHING, settings=settings)
    seen = []
    dask = run_batch_dask(feed, tmp_path / "dask", HASHING, client=client, settings=settings, on_row=seen.append)
    assert dask.rows == local.rows  # scores, flags, verdict counts, worst-first order
    assert dask.exit_code == local.exit_code
    assert {r.status for r in local.rows} >= {Status.PASSED, Status.FAILED}  # the feed tells them apart
    assert sorted(r.id for r in seen) == sorted(r.id for r in local.rows)
    assert (dask.checked, dask.reused) == (6, 0)
    files = report_files(tmp_path / "dask")
    assert files == report_files(tmp_path / "local")  # report.json/csv/html of each record, and summaries
    beads = json.loads(files[f"{dask.rows[0].report}/report.json"])
    assert beads  # a real report, not an empty file
    assert sorted(journal_ids(tmp_path / "dask")) == sorted(journal_ids(tmp_path / "local"))


def test_resumes_from_either_engines_journal(tmp_path, client):
    feed = write_feed(tmp_path / "feed.jsonl", seed_records(4))
    first = run_batch(feed, tmp_path / "out", HASHING)
    again = run_batch_dask(feed, tmp_path / "out", HASHING, client=client)
    assert (again.checked, again.reused) == (0, 4)
    assert [r.id for r in again.rows] == [r.id for r in first.rows]
    records = seed_records(4)
    records[1]["translation"] += "\nOne more paragraph that was not there before.\n"
    write_feed(feed, records)
    changed = run_batch_dask(feed, tmp_path / "out", HASHING, client=client)
    assert (changed.checked, changed.reused) == (1, 3)
    assert run_batch(feed, tmp_path / "out", HASHING).checked == 0  # and back: the local engine reuses it


def test_a_failing_record_is_reported_and_the_rest_complete(tmp_path, client):
    records = seed_records(5)
    bad = [json.dumps({"id": "blank", "original": "   \n", "translation": "Some text."}),  # fails on a worker
           "{not json"]  # fails on the client, reading the feed
    feed = write_feed(tmp_path / "feed.jsonl", records, tuple(bad))
    settings = BatchSettings(window_records=3)
    local = run_batch(feed, tmp_path / "local", HASHING, settings=settings)
    dask = run_batch_dask(feed, tmp_path / "dask", HASHING, client=client, settings=settings)
    errors = {r.id: r.error for r in dask.rows if r.status == Status.ERROR}
    assert set(errors) == {"blank", "#line-7"}
    assert all(errors.values())
    assert sum(r.status != Status.ERROR for r in dask.rows) == 5
    assert dask.rows == local.rows and int(dask.exit_code) == 3
    assert len(journal_ids(tmp_path / "dask")) == 5  # errors are not journalled: a re-run tries them again


def test_cache_is_shared_by_workers(tmp_path, client):
    from qe.cache import EmbeddingStore
    from qe.pipeline import document_from_text

    records = seed_records(6)
    feed = write_feed(tmp_path / "feed.jsonl", records)
    sentences = {t for r in records for side in ("original", "translation")
                 for t in document_from_text(r[side], "en").texts()}
    cache = tmp_path / "cache.sqlite"
    cold = run_batch_dask(feed, tmp_path / "a", HASHING, client=client, cache=cache,
                          settings=BatchSettings(window_records=2))
    store = EmbeddingStore(cache)
    assert store.count() == len(sentences)  # every sentence of the feed reached the file, once
    store.close()
    assert cold.cache_misses >= len(sentences)  # (two workers may both embed a sentence they share)
    warm = run_batch_dask(feed, tmp_path / "b", HASHING, client=client, cache=cache,
                          settings=BatchSettings(window_records=3))
    assert warm.cache_misses == 0 and warm.cache_hits >= len(sentences)
    assert warm.rows == cold.rows


@pytest.mark.model
def test_bundled_model_gives_the_same_results(tmp_path, client):
    feed = write_feed(tmp_path / "feed.jsonl", seed_records(6))
    local = run_batch(feed, tmp_path / "local", CheckConfig())
    dask = run_batch_dask(feed, tmp_path / "dask", CheckConfig(), client=client)
    assert dask.exit_code == local.exit_code
    assert [r.id for r in dask.rows] == [r.id for r in local.rows]
    for d, l in zip(dask.rows, local.rows):
        # Workers run torch single-threaded, this process multi-threaded: sums
        # may round differently in the last float bits, nothing more.
        assert d.similarity == pytest.approx(l.similarity, abs=1e-5)
        assert (d.status, d.major_flags, d.minor_flags, d.wrong, d.check, d.omitted, d.added, d.bleu, d.chrf) == \
               (l.status, l.major_flags, l.minor_flags, l.wrong, l.check, l.omitted, l.added, l.bleu, l.chrf)
        rd = json.loads((tmp_path / "dask" / d.report / "report.json").read_text(encoding="utf-8"))
        rl = json.loads((tmp_path / "local" / l.report / "report.json").read_text(encoding="utf-8"))
        assert _shape(rd) == _shape(rl)


def _shape(report: dict):
    """A report with its floats rounded (see above): beads, verdicts, flags exact."""
    if isinstance(report, dict):
        return {k: _shape(v) for k, v in report.items()}
    if isinstance(report, list):
        return [_shape(v) for v in report]
    if isinstance(report, float):
        return round(report, 4)
    return report


def test_cli_with_a_scheduler_address(tmp_path):
    feed = write_feed(tmp_path / "feed.jsonl", seed_records(6))
    sched_file = tmp_path / "scheduler.json"
    dask_cli = str(Path(sys.executable).parent / "dask")
    procs = [subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 30
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        procs.append(subprocess.Popen([dask_cli, "worker", address, "--nworkers", "1", "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"], cwd=tmp_path,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        runner = CliRunner()
        common = ["batch", str(feed), "--model", "hashing", "--no-cache", "--window", "2", "-q"]
        local = runner.invoke(app, common + ["-o", str(tmp_path / "local")])
        remote = runner.invoke(app, common + ["-o", str(tmp_path / "remote"), "--engine", "dask",
                                              "--scheduler", address])
        assert remote.exit_code == local.exit_code == 1, remote.output
        assert report_files(tmp_path / "remote") == report_files(tmp_path / "local")
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def test_cli_errors_are_one_line(tmp_path, monkeypatch):
    import qe.distributed

    feed = write_feed(tmp_path / "feed.jsonl", seed_records(1))
    runner = CliRunner()
    r = runner.invoke(app, ["batch", str(feed), "--scheduler", "tcp://127.0.0.1:9"])
    assert r.exit_code == 2 and "--scheduler needs --engine dask" in r.output
    r = runner.invoke(app, ["batch", str(feed), "--engine", "spark"])
    assert r.exit_code == 2 and "--engine must be local or dask" in r.output
    monkeypatch.setattr(qe.distributed, "CONNECT_TIMEOUT_S", 2)
    r = runner.invoke(app, ["batch", str(feed), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
                            "--model", "hashing", "-o", str(tmp_path / "out")])
    assert r.exit_code == 3
    assert "cannot connect to the Dask scheduler at tcp://127.0.0.1:9" in r.output
    assert "Traceback" not in r.output
    with pytest.raises(ClusterError):
        run_batch_dask(feed, tmp_path / "out2", HASHING, scheduler="tcp://127.0.0.1:9")


class _Dead:
    """A partition's future whose workers kept dying (Dask gave up on it)."""

    def result(self):
        raise distributed.KilledWorker("qe-partition-x", None, 3)

    def release(self):
        pass


def test_a_record_that_keeps_killing_workers_is_isolated(tmp_path, client):
    from qe.batch import Journal, _Pending
    from qe.distributed import _Run
    from qe.feed import FeedRecord

    part = [_Pending(FeedRecord(id=f"r{i}", original="A.", translation="A."), HASHING, f"h{i}", f"docs/r{i}")
            for i in range(3)]
    journal = Journal(tmp_path / JOURNAL_NAME)
    run = _Run(client, journal, tmp_path, HASHING, None, BatchSettings(), None, 0, 4)
    submitted = []
    run.submit = submitted.append
    run.in_flight[first := _Dead()] = part
    run.take(first)
    assert submitted == [[p] for p in part] and not run.rows  # split: each record on its own
    run.in_flight[single := _Dead()] = [part[1]]
    run.take(single)
    (row,) = run.rows
    assert (row.id, row.status) == ("r1", Status.ERROR) and "died repeatedly" in row.error
    journal.close()


def test_a_killed_worker_loses_nothing(tmp_path, client):
    # Last in the file: it kills one of the module's workers (its nanny starts a new one).
    records = seed_records(20)
    feed = write_feed(tmp_path / "feed.jsonl", records)
    settings = BatchSettings(window_records=1)
    local = run_batch(feed, tmp_path / "local", HASHING, settings=settings)
    pids = client.run(os.getpid)
    killed = {}

    def kill_a_busy_worker(row) -> None:
        if killed:
            return
        # The worker with most partitions assigned; the client is blocked here,
        # so they are still out when it dies.
        busy = {w: len(keys) for w, keys in client.processing().items() if w in pids}
        victim = max(busy, key=busy.get)
        killed[victim] = busy[victim]
        os.kill(pids[victim], signal.SIGKILL)

    dask = run_batch_dask(feed, tmp_path / "dask", HASHING, client=client, settings=settings,
                          on_row=kill_a_busy_worker, max_in_flight=12)
    (victim, assigned), = killed.items()
    assert assigned > 0  # the kill did take partitions with it
    assert pids[victim] not in client.run(os.getpid).values()
    ids = [r.id for r in dask.rows]
    assert sorted(ids) == sorted(r["id"] for r in records)  # every record, exactly once
    assert sorted(journal_ids(tmp_path / "dask")) == sorted(ids)
    assert dask.rows == local.rows
    assert dask.exit_code == local.exit_code
    summary = json.loads((tmp_path / "dask" / "summary.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in summary["documents"]] == [r.id for r in local.rows]
