"""check() over a whole feed: streaming, cached, batched, resumable.

    feed -> window of records -> one model call for all their new sentences
         -> check() each pair (cache warm) -> report directory each
         -> journal line each -> summary rows (worst first) -> summary.{json,csv,html}

Memory is bounded by the window (a few documents), not the feed: a finished
document's Report is dropped once its files are written; only its summary row
(a few numbers) is kept.

Resuming: every finished document appends one line to ``journal.jsonl`` in the
output directory, with a hash of its inputs and of everything that decides its
result. A re-run skips a record only when its hash matches and its report files
exist (they are written atomically, so existing means complete); everything
else — changed, new, failed to run, killed half-way — is checked again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from qe.cache import CachedEmbedder, model_key
from qe.embed import Embedder, make_embedder
from qe.errors import ConfigError, ExitCode, FeedError, ModelError, QEError, ReportError
from qe.feed import Feed, FeedRecord
from qe.io import write_atomic
from qe.models import BeadKind, Report, Severity, Verdict
from qe.pipeline import CheckConfig, check, document_from_text, resolve_languages
from qe.reporting.feed_summary import DocumentRow, Status, write_summary
from qe.version import __version__
from qe.waivers import Decision, waived_keys

JOURNAL_NAME = "journal.jsonl"
DOCS_DIR = "docs"
SUMMARY_FORMATS = ("json", "csv", "html")


@dataclass(frozen=True)
class BatchSettings:
    """How a feed is run (what decides a result is in CheckConfig)."""

    formats: tuple[str, ...] = ("json", "csv", "html")
    # A window closes at whichever comes first. Bigger windows give the model
    # fuller batches; the window is also what bounds memory.
    window_records: int = 32
    window_sentences: int = 1024
    resume: bool = True
    # an editor's decisions (qe.waivers); each record gets those made for its
    # translation, in its CheckConfig, so they also enter the record's hash
    waivers: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    out_dir: Path
    rows: tuple[DocumentRow, ...]  # worst first
    summary_files: tuple[Path, ...]
    checked: int  # documents run this time
    reused: int  # documents taken from the journal
    cache_hits: int = 0
    cache_misses: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def exit_code(self) -> ExitCode:
        if self.count(Status.ERROR):
            return ExitCode.COULD_NOT_RUN
        if self.count(Status.FAILED):
            return ExitCode.GATE_FAILED
        return ExitCode.PASSED


# -- naming and hashing -----------------------------------------------------

_SAFE = re.compile(r"[A-Za-z0-9_-]")
_MAX_DIR_NAME = 120  # bytes; file systems allow 255, and paths under docs/ stay readable


def report_dir_name(record_id: str) -> str:
    """A folder name for a record id, distinct for distinct ids.

    Letters, digits, ``_`` and ``-`` stand for themselves and ``.`` too except
    in front; every other character is written as ``%XX`` per UTF-8 byte, so
    the mapping is one-to-one and no id can be chosen to land on another's
    folder. A name longer than the limit keeps its start and ends in ``~`` and
    a 64-bit hash of the id (``~`` itself is always encoded, so a short name
    never looks like a shortened one)."""
    out = []
    for k, ch in enumerate(record_id):
        if _SAFE.match(ch) or (ch == "." and k > 0):
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
    name = "".join(out)
    if len(name) <= _MAX_DIR_NAME:
        return name
    digest = hashlib.blake2b(record_id.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return f"{name[:_MAX_DIR_NAME - 17].rstrip('%0123456789ABCDEF') or 'record'}~{digest}"


def record_config(record: FeedRecord, base: CheckConfig, decisions: Sequence[Decision] = ()) -> CheckConfig:
    """The feed's settings with the record's own languages (a bilingual
    file's from its attributes and text; 'auto' ones detected), and the waivers
    made for the record's translation (its report names it "ID (translation)",
    so that is the document a waivers file exported from it names)."""
    if record.bilingual is not None:
        from qe.bilingual.check import unit_config

        config = unit_config(record.bilingual, base)
    else:
        src = record.src_lang or base.src_lang
        tgt = record.tgt_lang or base.tgt_lang
        config = resolve_languages(record.original, record.translation,
                                   dataclasses.replace(base, src_lang=src, tgt_lang=tgt), texts=True)
    if decisions:
        config = dataclasses.replace(config, waivers=base.waivers | waived_keys(decisions, translation_name(record)))
    return config


def translation_name(record: FeedRecord) -> str:
    return f"{record.id} (translation)"


def record_hash(record: FeedRecord, config: CheckConfig, embedder_key: str, formats: Sequence[str]) -> str:
    """Changes whenever anything that decides the record's reports changes."""
    h = hashlib.sha256()
    for part in (__version__, record.id, record.original, record.translation, repr(config), embedder_key,
                 ",".join(formats), repr(record.bilingual) if record.bilingual is not None else ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def row_from_report(record: FeedRecord, report: Report, report_dir: str) -> DocumentRow:
    flags = report.flags
    c = report.corpus
    return DocumentRow(
        id=record.id, status=Status.PASSED if report.passed else Status.FAILED, report=report_dir,
        original_sentences=len(report.original), translation_sentences=len(report.translation),
        bleu=c.bleu, chrf=c.chrf, similarity=c.similarity,
        major_flags=sum(1 for f in flags if f.severity is Severity.MAJOR),
        minor_flags=sum(1 for f in flags if f.severity is Severity.MINOR),
        wrong=sum(1 for b in report.beads if b.verdict is Verdict.WRONG),
        check=sum(1 for b in report.beads if b.verdict is Verdict.CHECK),
        omitted=sum(len(b.bead.src) for b in report.beads if b.bead.kind is BeadKind.OMITTED),
        added=sum(len(b.bead.tgt) for b in report.beads if b.bead.kind is BeadKind.ADDED),
        reasons="; ".join(report.gate.reasons), where=record.where,
    )


# -- the journal --------------------------------------------------------------

class Journal:
    """Append-only JSONL of finished documents, one flushed line each.

    Flushed, not fsync'd: a killed process loses nothing the kernel already
    has, and a line lost to a power cut only means that document is checked
    again (an fsync per document cost 13 ms here). A line torn by a kill is
    ignored on reading; an exclusive lock keeps two runs from writing one
    output directory at once.
    """

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.done: dict[str, tuple[str, DocumentRow]] = {}
        if path.exists():
            self._load()
        self._fh = open(path, "a", encoding="utf-8")
        try:
            import fcntl

            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - not POSIX: no lock, no worse than before
            pass
        except OSError as exc:
            self._fh.close()
            raise FeedError(f"{path.parent}: another qe batch is writing here") from exc

    def _load(self) -> None:
        fields = {f.name for f in dataclasses.fields(DocumentRow)}
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    entry = json.loads(line)
                    row = DocumentRow(**{k: v for k, v in entry["row"].items() if k in fields})
                    self.done[entry["id"]] = (entry["hash"], row)
                except (ValueError, KeyError, TypeError):
                    continue  # a torn last line, or one from another version

    def finished(self, record_id: str, digest: str) -> DocumentRow | None:
        entry = self.done.get(record_id)
        return entry[1] if entry and entry[0] == digest else None

    def add(self, digest: str, row: DocumentRow) -> None:
        line = json.dumps({"id": row.id, "hash": digest, "row": dataclasses.asdict(row)}, ensure_ascii=False)
        self._fh.write(line + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


# -- running ------------------------------------------------------------------

@dataclass
class _Pending:
    record: FeedRecord
    config: CheckConfig
    digest: str
    dir_name: str
    original: object = None  # Document once split
    translation: object = None


def _reports_exist(doc_dir: Path, formats: Sequence[str]) -> bool:
    from qe.reporting import RENDERERS

    return all((doc_dir / RENDERERS[f][0]).is_file() for f in formats)


def _error_row(record: FeedRecord, message: str, dir_name: str = "") -> DocumentRow:
    return DocumentRow(id=record.id, status=Status.ERROR, error=message, where=record.where, report=dir_name)


def _windows(records: Iterable[FeedRecord], settings: BatchSettings) -> Iterator[list[FeedRecord]]:
    window: list[FeedRecord] = []
    size = 0
    for record in records:
        window.append(record)
        size += record.original.count(".") + record.translation.count(".") + 2  # a cheap sentence estimate
        if len(window) >= settings.window_records or size >= settings.window_sentences:
            yield window
            window, size = [], 0
    if window:
        yield window


class _Embedders:
    """One cached embedder per model a feed needs: like check(), the
    multilingual model for a record with a non-English side, unless the user
    named a model. Models load on first use, so the key (for record
    hashes) comes from the model spec, not the loaded model."""

    def __init__(self, config: CheckConfig, given: Embedder | None, cache,
                 make: Callable[..., Embedder] = make_embedder):
        self._config = config
        self._given = given
        self._cache = cache
        self._make = make  # qe.distributed passes one that reuses a worker's loaded models
        self._made: dict[bool, CachedEmbedder] = {}
        self._hits0 = self._misses0 = 0
        if isinstance(given, CachedEmbedder):
            self._hits0, self._misses0 = given.hits, given.misses

    def _cross(self, cfg: CheckConfig) -> bool:
        # the pipeline's own rule, so a record gets the same model in qe batch as in qe check
        return self._given is None and cfg.needs_multilingual_model

    def get(self, cfg: CheckConfig) -> CachedEmbedder:
        cross = self._cross(cfg)
        if cross not in self._made:
            if isinstance(self._given, CachedEmbedder):
                self._made[cross] = self._given
            else:
                inner = self._given or self._make(self._config.model, multilingual=cross)
                self._made[cross] = CachedEmbedder(inner, self._cache)
        return self._made[cross]

    def key(self, cfg: CheckConfig) -> str:
        return model_key(self.get(cfg))

    def _all(self) -> list[CachedEmbedder]:
        return list({id(e): e for e in self._made.values()}.values())

    def names(self) -> list[str]:
        return [model_key(e) for e in self._all()]

    def hits(self) -> int:
        return sum(e.hits for e in self._all()) - self._hits0

    def misses(self) -> int:
        return sum(e.misses for e in self._all()) - self._misses0

    def release(self) -> None:
        for e in self._all():
            e.release()

    def close(self) -> None:
        for e in self._all():
            if e is not self._given:
                e.close()


_FATAL = (ModelError, ReportError, ConfigError)  # these would fail every record: stop the run


# -- one record: the steps both engines share (qe.batch here, qe.distributed on a
# cluster). Checking renders a record's files without writing them, so the files
# and the journal are written in one place, by the process that owns the output.

def plan_record(record: FeedRecord, config: CheckConfig, embedders: _Embedders, journal: Journal, out: Path,
                formats: Sequence[str], decisions: Sequence[Decision] = ()) -> _Pending | DocumentRow:
    """An error row for a record the feed could not give, the journal's row for
    one an earlier run finished (its reports still on disk), else one to check."""
    if record.error is not None:
        return _error_row(record, record.error)
    cfg = record_config(record, config, decisions)
    digest = record_hash(record, cfg, embedders.key(cfg), formats)
    doc_dir = f"{DOCS_DIR}/{report_dir_name(record.id)}"
    done = journal.finished(record.id, digest)
    if done is not None and _reports_exist(out / doc_dir, formats):
        return dataclasses.replace(done, reused=True, where=record.where)
    return _Pending(record, cfg, digest, doc_dir)


def split_record(p: _Pending) -> DocumentRow | None:
    """Split both texts into sentences (into `p`); an error row if they cannot be."""
    cfg, record = p.config, p.record
    if record.bilingual is not None:
        from qe.bilingual.check import unit_documents

        p.original, p.translation = unit_documents(record.bilingual, cfg)
        return None
    try:
        p.original = document_from_text(record.original, cfg.src_lang, presplit=cfg.presplit,
                                        name=f"{record.id} (original)")
        p.translation = document_from_text(record.translation, cfg.target_language,
                                           presplit=cfg.presplit, name=translation_name(record))
    except QEError as exc:
        return _error_row(record, str(exc))
    return None


def prefetch_window(pending: Sequence[_Pending], embedders: _Embedders) -> None:
    """One model call (per model) for every new sentence of split records."""
    groups: dict[int, tuple[CachedEmbedder, list[str]]] = {}
    for p in pending:
        e = embedders.get(p.config)
        groups.setdefault(id(e), (e, []))[1].extend(p.original.texts() + p.translation.texts())
    for e, texts in groups.values():
        e.prefetch(texts)


def check_record(p: _Pending, embedder: Embedder, formats: Sequence[str]) -> tuple[DocumentRow, dict[str, str | bytes]]:
    """Check one split record: its summary row and its report files (file name
    -> content), rendered, not written. A record that cannot be checked gives an
    error row and no files; errors that would fail every record propagate."""
    from qe.reporting import RENDERERS

    try:
        if p.record.bilingual is not None:
            from qe.bilingual.check import finish, placeholder_check

            doc = p.record.bilingual
            report = finish(doc, p.config, check(p.original, p.translation, p.config, embedder=embedder,
                                                 extra_checks=(placeholder_check(doc),))).report
        else:
            report = check(p.original, p.translation, p.config, embedder=embedder)
        files = {RENDERERS[f][0]: RENDERERS[f][1](report) for f in formats}
        return row_from_report(p.record, report, p.dir_name), files
    except _FATAL:
        raise
    except QEError as exc:
        return _error_row(p.record, str(exc)), {}
    except Exception as exc:  # a bug on one record must not lose the feed
        return _error_row(p.record, f"internal error: {type(exc).__name__}: {exc}"), {}


def write_record(out: Path, row: DocumentRow, files: dict[str, str | bytes]) -> None:
    """Write a checked record's report files (each atomically) under `out`."""
    for name, content in files.items():
        write_atomic(out / row.report / name, content)


def run_batch(
    feed: str | os.PathLike | Feed,
    out_dir: str | os.PathLike,
    config: CheckConfig | None = None,
    *,
    embedder: Embedder | None = None,
    cache: str | os.PathLike | None = None,
    settings: BatchSettings | None = None,
    on_row: Callable[[DocumentRow], None] | None = None,
) -> BatchResult:
    """Check every record of `feed`, writing one report directory each under
    ``out_dir/docs/`` and the feed summary in ``out_dir``.

    `cache` is an embedding cache file (None: no cache on disk); `on_row` is
    called once per record, in feed order, as soon as it is done (progress).
    """
    from qe.reporting import RENDERERS

    config = config or CheckConfig()
    settings = settings or BatchSettings()
    unknown = [f for f in settings.formats if f not in RENDERERS]
    if unknown:
        raise ConfigError(f"unknown report format(s): {', '.join(unknown)} (known: {', '.join(RENDERERS)})")
    feed = feed if isinstance(feed, Feed) else Feed(feed, max_bytes=config.max_bytes)
    out = Path(out_dir)
    embedders = _Embedders(config, embedder, cache)
    journal = Journal(out / JOURNAL_NAME)
    if not settings.resume:
        journal.done.clear()
    rows: list[DocumentRow] = []
    checked = reused = 0

    def emit(row: DocumentRow) -> None:
        rows.append(row)
        if on_row is not None:
            on_row(row)

    try:
        for window in _windows(feed, settings):
            pending: list[_Pending | DocumentRow] = []
            for record in window:
                p = plan_record(record, config, embedders, journal, out, settings.formats, settings.waivers)
                if isinstance(p, _Pending):
                    p = split_record(p) or p
                pending.append(p)
            prefetch_window([p for p in pending if isinstance(p, _Pending)], embedders)
            for p in pending:
                if isinstance(p, DocumentRow):
                    reused += p.reused
                    emit(p)
                    continue
                row, files = check_record(p, embedders.get(p.config), settings.formats)
                if row.status == Status.ERROR:
                    emit(row)
                    continue
                write_record(out, row, files)
                journal.add(p.digest, row)
                checked += 1
                emit(row)
            embedders.release()
    finally:
        journal.close()
        embedders.close()
    if not rows:
        raise FeedError(f"{feed.path}: holds no records")
    rows.sort(key=DocumentRow.sort_key)
    models = ", ".join(sorted({m for m in embedders.names()})) or "none (nothing new was checked)"
    summary = write_summary(rows, out, signature={"qe": __version__, "model": models, "config": repr(config)})
    return BatchResult(out, tuple(rows), tuple(summary), checked, reused, embedders.hits(), embedders.misses())
