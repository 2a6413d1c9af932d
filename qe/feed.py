"""Reading a feed of original/translation pairs, one record at a time.

A feed is one of:

* **JSONL** (``.jsonl``/``.ndjson``): one JSON object a line with ``id``,
  ``original``, ``translation`` (the texts), optional ``src_lang``,
  ``tgt_lang``; any other keys are kept as metadata.
* **CSV** (``.csv``): a header row with the same column names.
* **a directory** of pairs: ``NAME.original.txt`` and ``NAME.translation.txt``,
  optionally with a language before ``.txt``: ``NAME.original.sv.txt``,
  ``NAME.translation.en.txt``. NAME is the record id.
* **a manifest** (``.tsv``/``.txt``): ``id<TAB>original_path<TAB>translation_path``
  a line, optionally ``<TAB>src_lang<TAB>tgt_lang``; relative paths are
  resolved against the manifest's folder; blank lines and ``#`` comments skipped.

Records are yielded lazily (one document pair in memory at a time). A record
that cannot be used (bad JSON, a missing file, a duplicate id) is yielded with
`error` set, so the run reports it and goes on; a feed that cannot be read at
all raises FeedError.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from qe.errors import FeedError, QEError
from qe.io import DEFAULT_MAX_BYTES, read_text

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
MANIFEST_SUFFIXES = (".tsv", ".txt")
_KNOWN_FIELDS = ("id", "original", "translation", "src_lang", "tgt_lang")
_PAIR_FILE = re.compile(r"^(?P<name>.+)\.(?P<side>original|translation)(?:\.(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z]+)?))?\.txt$")


@dataclass(frozen=True)
class FeedRecord:
    """One original/translation pair of a feed (texts, not paths)."""

    id: str
    original: str = ""
    translation: str = ""
    src_lang: str | None = None
    tgt_lang: str | None = None
    where: str = ""  # "feed.jsonl line 12": for messages
    meta: tuple[tuple[str, str], ...] = field(default=())
    error: str | None = None  # set when the record cannot be checked


def feed_kind(path: Path) -> str:
    if path.is_dir():
        return "directory"
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in MANIFEST_SUFFIXES:
        return "manifest"
    raise FeedError(f"{path}: unknown feed type '{path.suffix}' (use .jsonl, .csv, a .tsv/.txt manifest, "
                    "or a directory of NAME.original.txt / NAME.translation.txt pairs)")


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise FeedError(f"{path}: no such feed")


class Feed:
    """A feed on disk; iterate it for FeedRecords. `count()` is a cheap pre-pass
    (for a progress bar's ETA) that does not parse record texts."""

    def __init__(self, path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.path = Path(path)
        _check_exists(self.path)
        self.kind = feed_kind(self.path)
        self.max_bytes = max_bytes

    def __iter__(self) -> Iterator[FeedRecord]:
        seen: set[str] = set()
        reader = {"jsonl": self._jsonl, "csv": self._csv, "directory": self._directory,
                  "manifest": self._manifest}[self.kind]
        for record in reader():
            if record.error is None:
                if not record.id.strip():
                    record = FeedRecord(id=f"#{record.where}", where=record.where, error="record has an empty id")
                elif record.id in seen:
                    # Its report directory would overwrite the first one's.
                    record = FeedRecord(id=record.id, where=record.where,
                                        error=f"duplicate id {record.id!r} (ids must be unique in a feed)")
            seen.add(record.id)
            yield record

    def count(self) -> int:
        if self.kind == "jsonl":
            with self._open() as fh:
                return sum(1 for line in fh if line.strip())
        if self.kind == "csv":
            with self._open() as fh:
                return max(0, sum(1 for _ in csv.reader(fh)) - 1)
        if self.kind == "manifest":
            with self._open() as fh:
                return sum(1 for line in fh if line.strip() and not line.lstrip().startswith("#"))
        return len(self._pairs())

    # -- readers ----------------------------------------------------------

    def _open(self):
        try:
            return open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise FeedError(f"{self.path}: cannot be read ({exc.strerror})") from exc

    def _lines(self) -> Iterator[tuple[int, str]]:
        with self._open() as fh:
            try:
                for number, line in enumerate(fh, 1):
                    yield number, line
            except UnicodeDecodeError as exc:
                raise FeedError(f"{self.path}: not valid UTF-8 ({exc.reason})") from exc

    def _from_mapping(self, row: dict, where: str) -> FeedRecord:
        rid = row.get("id")
        if rid is None or rid == "":
            return FeedRecord(id=f"#{where}", where=where, error="record has no 'id'")
        rid = str(rid)
        missing = [k for k in ("original", "translation") if not isinstance(row.get(k), str)]
        if missing:
            return FeedRecord(id=rid, where=where,
                              error=f"record has no text in {' and '.join(repr(m) for m in missing)}")
        for side in ("original", "translation"):
            size = len(row[side].encode("utf-8"))
            if size > self.max_bytes:
                return FeedRecord(id=rid, where=where, error=f"{side} is {size / 1e6:.1f} MB, over the "
                                  f"{self.max_bytes / 1e6:.0f} MB limit (--max-bytes raises it)")
        meta = tuple((str(k), "" if v is None else str(v)) for k, v in row.items() if k not in _KNOWN_FIELDS)
        return FeedRecord(id=rid, original=row["original"], translation=row["translation"],
                          src_lang=row.get("src_lang") or None, tgt_lang=row.get("tgt_lang") or None,
                          where=where, meta=meta)

    def _jsonl(self) -> Iterator[FeedRecord]:
        for number, line in self._lines():
            if not line.strip():
                continue
            where = f"{self.path.name} line {number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield FeedRecord(id=f"#line-{number}", where=where, error=f"not valid JSON ({exc.msg})")
                continue
            if not isinstance(row, dict):
                yield FeedRecord(id=f"#line-{number}", where=where, error="a record must be a JSON object")
                continue
            yield self._from_mapping(row, where)

    def _csv(self) -> Iterator[FeedRecord]:
        # Articles are longer than csv's default 128 kB field limit.
        csv.field_size_limit(max(self.max_bytes * 4, 131072))
        with self._open() as fh:
            reader = csv.DictReader(fh)
            try:
                header = reader.fieldnames or []
                absent = [c for c in ("id", "original", "translation") if c not in header]
                if absent:
                    raise FeedError(f"{self.path}: the header has no {', '.join(absent)} column(s) "
                                    f"(found: {', '.join(header) or 'nothing'})")
                for row in reader:
                    where = f"{self.path.name} line {reader.line_num}"
                    if None in row:  # more cells than the header names
                        yield FeedRecord(id=str(row.get("id") or f"#line-{reader.line_num}"), where=where,
                                         error=f"{len(header) + len(row[None])} cells, the header has {len(header)}")
                        continue
                    yield self._from_mapping({k: v for k, v in row.items()}, where)
            except csv.Error as exc:
                raise FeedError(f"{self.path} line {reader.line_num}: not valid CSV ({exc})") from exc
            except UnicodeDecodeError as exc:
                raise FeedError(f"{self.path}: not valid UTF-8 ({exc.reason})") from exc

    def _read_pair(self, rid: str, original: Path, translation: Path, src_lang: str | None,
                   tgt_lang: str | None, where: str) -> FeedRecord:
        try:
            a = read_text(original, max_bytes=self.max_bytes)
            b = read_text(translation, max_bytes=self.max_bytes)
        except QEError as exc:
            return FeedRecord(id=rid, where=where, error=str(exc))
        return FeedRecord(id=rid, original=a, translation=b, src_lang=src_lang, tgt_lang=tgt_lang, where=where)

    def _manifest(self) -> Iterator[FeedRecord]:
        base = self.path.resolve().parent
        for number, line in self._lines():
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{self.path.name} line {number}"
            cells = line.split("\t")
            if len(cells) not in (3, 4, 5):
                yield FeedRecord(id=cells[0].strip() or f"#line-{number}", where=where,
                                 error=f"{len(cells)} tab-separated fields; expected "
                                       "id, original path, translation path[, src_lang[, tgt_lang]]")
                continue
            rid, orig, trans = (c.strip() for c in cells[:3])
            langs = [c.strip() or None for c in cells[3:]] + [None, None]
            yield self._read_pair(rid, base / orig, base / trans, langs[0], langs[1], where)

    def _pairs(self) -> dict[str, dict[str, tuple[Path, str | None]]]:
        pairs: dict[str, dict[str, tuple[Path, str | None]]] = {}
        try:
            entries = list(os.scandir(self.path))
        except OSError as exc:
            raise FeedError(f"{self.path}: cannot be listed ({exc.strerror})") from exc
        for entry in entries:
            m = _PAIR_FILE.match(entry.name)
            if m and entry.is_file():
                pairs.setdefault(m["name"], {})[m["side"]] = (Path(entry.path), m["lang"])
        return pairs

    def _directory(self) -> Iterator[FeedRecord]:
        pairs = self._pairs()
        if not pairs:
            raise FeedError(f"{self.path}: holds no NAME.original.txt / NAME.translation.txt pairs")
        for name in sorted(pairs):
            sides = pairs[name]
            where = f"{self.path.name}/{name}"
            if len(sides) != 2:
                have = next(iter(sides))
                want = "translation" if have == "original" else "original"
                yield FeedRecord(id=name, where=where, error=f"{sides[have][0].name} has no {want} "
                                 f"(expected {name}.{want}.txt)")
                continue
            (orig, src_lang), (trans, tgt_lang) = sides["original"], sides["translation"]
            yield self._read_pair(name, orig, trans, src_lang, tgt_lang, where)
