"""qe batch on a Dask cluster: the same reports, summary, journal and exit code
as the single-process engine (qe.batch), with the checking spread over workers.

    client  feed -> plan each record (journal, feed errors) -> partitions of N records
            -> submit, a bounded number in flight
    worker  split -> one model call per partition (embedding cache) -> check
            -> render each record's report files (writes nothing)
    client  as each partition completes -> write its report files -> journal line
            -> summary row ... -> summary.{json,csv,html}

Why the client writes everything: a partition whose worker dies is run again
on another worker, and a task can in rare cases run twice; if workers wrote
reports or journal lines, a retry could leave a duplicate or half a record.
Here a partition's result is taken from its future exactly once, so every
record gets one summary row and one journal line whatever happened on the
cluster. It also means workers never need the output directory or the feed:
the client reads the feed (JSONL, CSV, a directory or a manifest) and sends
the texts.

Workers keep each embedding model loaded for their whole life (a per-process
cache keyed by model spec), and open the SQLite embedding cache per partition
(WAL + busy timeout: safe between processes of one machine; see docs/dask.md
for clusters of several machines).

Memory on the client is bounded like the local engine's: the feed is read
lazily, at most `max_in_flight` partitions are out at once, and a finished
record leaves only its summary row behind.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from qe.batch import (
    JOURNAL_NAME,
    BatchResult,
    BatchSettings,
    Journal,
    _Embedders,
    _error_row,
    _Pending,
    _windows,
    check_record,
    plan_record,
    prefetch_window,
    split_record,
    write_record,
)
from qe.embed import Embedder, make_embedder
from qe.errors import ClusterError, ConfigError, FeedError, ModelError, QEError, ReportError
from qe.feed import Feed
from qe.pipeline import CheckConfig
from qe.reporting.feed_summary import DocumentRow, Status, write_summary
from qe.version import __version__

# A task whose worker is lost is rescheduled by the scheduler on its own (up to
# distributed.scheduler.allowed-failures times); `retries` covers a task that
# raised, e.g. a worker that cannot open the cache for a moment.
DEFAULT_RETRIES = 2
CONNECT_TIMEOUT_S = 30
WORKER_WAIT_S = 60
_FATAL = (ModelError, ReportError, ConfigError)  # would fail every record: stop the run



def local_workers() -> int:
    """Workers for a cluster on this machine: one single-threaded process per
    usable core (the model is CPU-bound; Dask sets OMP_NUM_THREADS=1 in its
    workers), at most 8 so the models' memory stays modest."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


# -- worker side ------------------------------------------------------------------
# Everything a task runs on a worker lives here, in an importable module: a
# function defined in a script or a test would not reach worker processes.

_MODELS: dict[tuple[str | None, bool], Embedder] = {}
_MODELS_LOCK = threading.Lock()


def worker_embedder(model: str | None = None, *, multilingual: bool = False) -> Embedder:
    """This process's embedder for a model spec, loaded once and shared by every
    partition (and every thread) the worker runs."""
    key = (model, multilingual)
    with _MODELS_LOCK:
        embedder = _MODELS.get(key)
        if embedder is None:
            embedder = make_embedder(model, multilingual=multilingual)
            # Load under the lock (models load lazily): two threads of one
            # worker must not load the same model twice.
            embedder.encode(["."])
            _MODELS[key] = embedder
    return embedder


@dataclass(frozen=True)
class PartitionResult:
    """What a worker sends back: per record, its position in the partition, its
    row and its rendered report files (none for an error row)."""

    records: tuple[tuple[int, DocumentRow, dict[str, str | bytes]], ...]
    cache_hits: int
    cache_misses: int


def check_partition(pending: Sequence[_Pending], config: CheckConfig, cache: str | None,
                    formats: Sequence[str]) -> PartitionResult:
    """The task: check records on a worker, writing nothing."""
    embedders = _Embedders(config, None, cache, make=worker_embedder)
    try:
        out: list[tuple[int, DocumentRow, dict[str, str | bytes]]] = []
        todo: list[tuple[int, _Pending]] = []
        for i, p in enumerate(pending):
            error = split_record(p)
            if error is not None:
                out.append((i, error, {}))
            else:
                todo.append((i, p))
        prefetch_window([p for _, p in todo], embedders)
        for i, p in todo:
            row, files = check_record(p, embedders.get(p.config), formats)
            out.append((i, row, files))
        return PartitionResult(tuple(out), embedders.hits(), embedders.misses())
    finally:
        embedders.close()


def worker_qe_version() -> str:
    return __version__


# -- client side ------------------------------------------------------------------

def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise ConfigError("--engine dask needs Dask: pip install 'qe[dask]' "
                          "(or dask[distributed])") from exc
    return distributed


@contextlib.contextmanager
def connect(scheduler: str | None = None, *, n_workers: int | None = None) -> Iterator:
    """A Client: of the cluster at `scheduler` (tcp://HOST:PORT or a scheduler
    file), or of a LocalCluster on loopback that lives as long as the block."""
    distributed = _import_distributed()
    cluster = None
    try:
        if scheduler:
            kw = {"scheduler_file": scheduler} if os.path.isfile(scheduler) else {"address": scheduler}
            client = distributed.Client(timeout=CONNECT_TIMEOUT_S, set_as_default=False, **kw)
        else:
            cluster = distributed.LocalCluster(n_workers=n_workers or local_workers(), threads_per_worker=1,
                                               processes=True, host="127.0.0.1", dashboard_address=":0")
            client = distributed.Client(cluster, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise ClusterError(f"cannot connect to {where}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _preflight(client) -> int:
    """Wait for a worker, make sure every worker runs this qe; returns the
    number of worker threads (to size how much is in flight)."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError as exc:
        raise ClusterError(f"the Dask cluster has had no worker for {WORKER_WAIT_S} s "
                           "(start one: dask worker SCHEDULER_ADDRESS)") from exc
    try:
        versions = client.run(worker_qe_version)
    except Exception as exc:
        raise ClusterError(f"the Dask workers cannot run qe ({type(exc).__name__}: {exc}); every worker "
                           "needs qe, torch and the model package installed (docs/dask.md)") from exc
    other = {w: v for w, v in versions.items() if v != __version__}
    if other:
        w, v = next(iter(other.items()))
        raise ClusterError(f"worker {w} runs qe {v}, this client qe {__version__}: results would differ; "
                           "install the same qe everywhere")
    return max(1, sum(client.nthreads().values()))


def _fail(exc: BaseException) -> QEError:
    if isinstance(exc, QEError):
        return exc
    return ClusterError(f"a Dask task failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


def run_batch_dask(
    feed: str | os.PathLike | Feed,
    out_dir: str | os.PathLike,
    config: CheckConfig | None = None,
    *,
    scheduler: str | None = None,
    client=None,
    cache: str | os.PathLike | None = None,
    settings: BatchSettings | None = None,
    on_row: Callable[[DocumentRow], None] | None = None,
    n_workers: int | None = None,
    retries: int = DEFAULT_RETRIES,
    max_in_flight: int | None = None,
) -> BatchResult:
    """run_batch on a Dask cluster: same arguments, same output directory, same
    result. A partition is `settings.window_records` records (fewer when the
    window's sentence estimate closes it first, or some were already done).

    Give `client` (a distributed.Client) to use it as is; else `scheduler` (an
    address or scheduler file) to connect to a cluster, or neither for a
    LocalCluster. `on_row` is called once per record as it completes (not in
    feed order). `max_in_flight` bounds partitions out at once (default: two
    per worker thread).
    """
    from qe.reporting import check_formats

    config = config or CheckConfig()
    settings = settings or BatchSettings()
    check_formats(settings.formats)
    feed = feed if isinstance(feed, Feed) else Feed(feed, max_bytes=config.max_bytes)
    out = Path(out_dir)
    # Relative to the client's directory, for every worker: on one machine they
    # share one file; on several, see docs/dask.md.
    cache_path = str(Path(cache).resolve()) if cache is not None else None
    keys = _Embedders(config, None, None)  # model keys for record hashes; never loads a model
    journal = Journal(out / JOURNAL_NAME)  # first: another run writing here fails before a cluster starts
    try:
        if not settings.resume:
            journal.done.clear()
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(connect(scheduler, n_workers=n_workers))
            threads = _preflight(client)
            run = _Run(client, journal, out, config, cache_path, settings, on_row, retries,
                       max_in_flight or 2 * threads)
            try:
                run.feed(feed, keys)
                run.drain()
            finally:
                run.cancel()
    finally:
        journal.close()
    if not run.rows:
        raise FeedError(f"{feed.path}: holds no records")
    rows = sorted(run.rows, key=DocumentRow.sort_key)
    models = ", ".join(sorted(set(keys.names()))) or "none (nothing new was checked)"
    summary = write_summary(rows, out, signature={"qe": __version__, "model": models, "config": repr(config)})
    return BatchResult(out, tuple(rows), tuple(summary), run.checked, run.reused, run.hits, run.misses)


class _Run:
    """The client's side of one run: submits partitions, and takes each result
    exactly once (report files, journal line, summary row)."""

    def __init__(self, client, journal: Journal, out: Path, config: CheckConfig, cache: str | None,
                 settings: BatchSettings, on_row, retries: int, max_in_flight: int):
        from distributed import as_completed

        self.client, self.journal, self.out, self.config, self.cache = client, journal, out, config, cache
        self.settings, self.on_row, self.retries = settings, on_row, retries
        self.max_in_flight = max(1, max_in_flight)
        self.in_flight: dict = {}  # future -> the partition's _Pending records
        self.completed = as_completed(loop=client.loop)
        self.rows: list[DocumentRow] = []
        self.checked = self.reused = self.hits = self.misses = 0
        self._token = uuid.uuid4().hex[:8]
        self._n = 0

    def emit(self, row: DocumentRow) -> None:
        self.rows.append(row)
        if self.on_row is not None:
            self.on_row(row)

    def feed(self, feed: Feed, keys: _Embedders) -> None:
        for window in _windows(feed, self.settings):
            part: list[_Pending] = []
            for record in window:
                p = plan_record(record, self.config, keys, self.journal, self.out, self.settings.formats,
                                self.settings.waivers)
                if isinstance(p, DocumentRow):
                    self.reused += p.reused
                    self.emit(p)
                else:
                    part.append(p)
            if part:
                while len(self.in_flight) >= self.max_in_flight:
                    self.take(next(self.completed))
                self.submit(part)

    def submit(self, part: list[_Pending]) -> None:
        self._n += 1
        future = self.client.submit(check_partition, part, self.config, self.cache, self.settings.formats,
                                    retries=self.retries, pure=False, key=f"qe-partition-{self._token}-{self._n}")
        self.in_flight[future] = part
        self.completed.add(future)

    def drain(self) -> None:
        while self.in_flight:
            self.take(next(self.completed))

    def take(self, future) -> None:
        from distributed import KilledWorker

        part = self.in_flight.pop(future)
        try:
            result: PartitionResult = future.result()
        except KilledWorker:
            # Workers died running this partition again and again: one of its
            # records probably kills the process (memory, a crash in native
            # code). Split it, so only that record is reported.
            if len(part) > 1:
                for p in part:
                    self.submit([p])
            else:
                self.emit(_error_row(part[0].record, "the Dask workers checking this record died repeatedly "
                                                     "(out of memory?)"))
            return
        except _FATAL:
            raise
        except Exception as exc:
            raise _fail(exc) from exc
        finally:
            future.release()
        self.hits += result.cache_hits
        self.misses += result.cache_misses
        for i, row, files in result.records:
            p = part[i]
            if row.status != Status.ERROR:
                write_record(self.out, row, files)
                self.journal.add(p.digest, row)
                self.checked += 1
            self.emit(row)

    def cancel(self) -> None:
        if self.in_flight:
            self.client.cancel(list(self.in_flight))
            self.in_flight.clear()
