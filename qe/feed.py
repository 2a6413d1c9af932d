"""Reading a feed of original/translation pairs, one record at a time.

A feed is one of:

* **JSONL** (``.jsonl``/``.ndjson``): one JSON object a line with ``id``,
  ``original``, ``translation`` (the texts), optional ``src_lang``,
  ``tgt_lang``; any other keys are kept as metadata.
* **CSV** (``.csv``): a header row with the same column names.
* **a directory** of pairs: ``NAME.original.txt`` and ``NAME.translation.txt``,
  optionally with a language before ``.txt``: ``NAME.original.sv.txt``,
  ``NAME.translation.en.txt``. NAME is the record id.
* **bilingual files**: an XLIFF (``.xlf``/``.xliff``), TMX or PO file, or a
  directory of them (read by qe.bilingual; a record per file and language pair).
* **a manifest** (``.tsv``/``.txt``): ``id<TAB>original_path<TAB>translation_path``
  a line, optionally ``<TAB>src_lang<TAB>tgt_lang``; relative paths are
  resolved against the manifest's folder; blank lines and ``#`` comments skipped.

Paths stay inside the feed's folder: a manifest line naming an absolute path
or one with ``..`` that leaves the folder, or a symlink in a folder feed that
points outside it, is refused for that record (its contents would be copied
into reports that CI may publish), unless ``allow_outside_paths`` is set.

Every record is built under one guard: whatever a line holds (nesting deeper
than the parser's recursion limit, an integer id of thousands of digits, a
language that is not a string), that line is one record error and the rest of
the feed is checked. A JSONL line longer than twice the size limit is not read
into memory at all.

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
from qe.hidden import visible
from qe.io import DEFAULT_MAX_BYTES, check_max_bytes, read_text, size_text

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
MANIFEST_SUFFIXES = (".tsv", ".txt")
_KNOWN_FIELDS = ("id", "original", "translation", "src_lang", "tgt_lang")
# stands in for a line that is not UTF-8 (a NUL cannot start a decoded line: JSON and TSV have none)
_NOT_UTF8 = "\x00not-utf-8:"
# ISO 639 code with an optional region or script: "en", "sv", "pt-BR", "zh-Hant".
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}")
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
    bilingual: object = None  # qe.bilingual.read.BilingualDocument: beads come from its units


def feed_kind(path: Path) -> str:
    from qe.bilingual.read import is_bilingual

    if path.is_dir():
        names = [e.name for e in os.scandir(path)] if os.access(path, os.R_OK) else []
        if not any(_PAIR_FILE.match(n) for n in names) and any(is_bilingual(Path(n)) for n in names):
            return "bilingual"
        return "directory"
    if is_bilingual(path):
        return "bilingual"
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in MANIFEST_SUFFIXES:
        return "manifest"
    raise FeedError(f"{path}: unknown feed type '{path.suffix}' (use .jsonl, .csv, a .tsv/.txt manifest, "
                    "an XLIFF, TMX or PO file, or a directory of NAME.original.txt / NAME.translation.txt pairs)")


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise FeedError(f"{path}: no such feed")


class Feed:
    """A feed on disk; iterate it for FeedRecords. `count()` is a cheap pre-pass
    (for a progress bar's ETA) that does not parse record texts."""

    def __init__(self, path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 allow_outside_paths: bool = False):
        check_max_bytes(max_bytes)
        self.path = Path(path)
        _check_exists(self.path)
        self.kind = feed_kind(self.path)
        self.max_bytes = max_bytes
        self.allow_outside_paths = allow_outside_paths

    def __iter__(self) -> Iterator[FeedRecord]:
        seen: set[str] = set()
        reader = {"jsonl": self._jsonl, "csv": self._csv, "directory": self._directory,
                  "manifest": self._manifest, "bilingual": self._bilingual}[self.kind]
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
        if self.kind == "bilingual":
            from qe.bilingual.feed import count

            return count(self.path)
        if self.kind == "jsonl":
            return sum(1 for _, line in self._lines() if line is None or line.strip())
        if self.kind == "csv":
            with self._open() as fh:
                return max(0, sum(1 for _ in csv.reader(fh)) - 1)
        if self.kind == "manifest":
            return sum(1 for _, line in self._lines()
                       if line is None or (line.strip() and not line.lstrip().startswith("#")))
        return len(self._pairs())

    # -- readers ----------------------------------------------------------

    def _bilingual(self) -> Iterator[FeedRecord]:
        from qe.bilingual.feed import records

        return (FeedRecord(**fields) for fields in records(self.path, max_bytes=self.max_bytes))

    def _open(self):
        try:
            return open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise FeedError(f"{self.path}: cannot be read ({exc.strerror})") from exc

    @property
    def _line_limit(self) -> int:
        # two texts at the limit, JSON-escaped, plus the keys: no good line is longer
        return 2 * self.max_bytes + 65536

    def _lines(self) -> Iterator[tuple[int, str | None]]:
        """(line number, line); None for a line over the length limit, which is
        skipped in pieces rather than read into memory whole. Lines are decoded
        one by one, so a line that is not UTF-8 is that line's error, not the feed's."""
        limit = self._line_limit
        try:
            fh = open(self.path, "rb")
        except OSError as exc:
            raise FeedError(f"{self.path}: cannot be read ({exc.strerror})") from exc
        with fh:
            number = 0
            while True:
                raw = fh.readline(limit)
                if not raw:
                    return
                number += 1
                if len(raw) >= limit and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):
                        raw = fh.readline(limit)
                    yield number, None
                    continue
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                try:
                    yield number, raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield number, _NOT_UTF8 + f"byte {exc.start}"

    def _guarded(self, build, rid: str, where: str) -> FeedRecord:
        """build() -> FeedRecord; any failure is that record's error, not the feed's."""
        try:
            return build()
        except QEError as exc:
            return FeedRecord(id=rid, where=where, error=str(exc))
        except (RecursionError, MemoryError, ValueError, TypeError, OverflowError, OSError) as exc:
            return FeedRecord(id=rid, where=where, error=f"cannot be read ({type(exc).__name__}: "
                                                          f"{str(exc)[:200]})")

    def _from_mapping(self, row: dict, where: str) -> FeedRecord:
        rid = row.get("id")
        if rid is None or rid == "":
            return FeedRecord(id=f"#{where}", where=where, error="record has no 'id'")
        if isinstance(rid, bool) or not isinstance(rid, (str, int)):
            return FeedRecord(id=f"#{where}", where=where, error=f"'id' must be a string, not {type(rid).__name__}")
        if isinstance(rid, int) and abs(rid) >= 10**64:
            return FeedRecord(id=f"#{where}", where=where, error="'id' is a number of more than 64 digits")
        # an id is shown in terminals, folder names and summaries: hidden characters made visible
        rid = visible(str(rid))
        if len(rid) > 1000:
            return FeedRecord(id=f"#{where}", where=where, error=f"'id' is {len(rid)} characters long (at most 1000)")
        for key in ("src_lang", "tgt_lang"):
            lang = row.get(key)
            if lang is None or lang == "":
                continue
            if not isinstance(lang, str) or not _LANGUAGE.fullmatch(lang):
                shown = repr(lang)[:40] if isinstance(lang, str) else type(lang).__name__
                return FeedRecord(id=rid, where=where,
                                  error=f"'{key}' must be a language code such as 'en' or 'pt-BR', not {shown}")
        missing = [k for k in ("original", "translation") if not isinstance(row.get(k), str)]
        if missing:
            return FeedRecord(id=rid, where=where,
                              error=f"record has no text in {' and '.join(repr(m) for m in missing)}")
        for side in ("original", "translation"):
            size = len(row[side].encode("utf-8", "surrogatepass"))
            if size > self.max_bytes:
                return FeedRecord(id=rid, where=where, error=f"{side} is {size_text(size)}, over the "
                                  f"{size_text(self.max_bytes)} limit (--max-bytes raises it)")
        meta = tuple((str(k), "" if v is None else str(v)) for k, v in row.items() if k not in _KNOWN_FIELDS)
        return FeedRecord(id=rid, original=row["original"], translation=row["translation"],
                          src_lang=row.get("src_lang") or None, tgt_lang=row.get("tgt_lang") or None,
                          where=where, meta=meta)

    def _jsonl(self) -> Iterator[FeedRecord]:
        for number, line in self._lines():
            where = f"{self.path.name} line {number}"
            if line is None:
                yield FeedRecord(id=f"#line-{number}", where=where,
                                 error=f"line is longer than {size_text(self._line_limit)} (--max-bytes raises it)")
                continue
            if line.startswith(_NOT_UTF8):
                yield FeedRecord(id=f"#line-{number}", where=where, error=f"not valid UTF-8 ({line[len(_NOT_UTF8):]})")
                continue
            if not line.strip():
                continue
            yield self._guarded(lambda: self._json_record(line, number, where), f"#line-{number}", where)

    def _json_record(self, line: str, number: int, where: str) -> FeedRecord:
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            return FeedRecord(id=f"#line-{number}", where=where, error=f"not valid JSON ({exc.msg})")
        except RecursionError:
            return FeedRecord(id=f"#line-{number}", where=where, error="not usable JSON (nested too deeply)")
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            return FeedRecord(id=f"#line-{number}", where=where, error=f"not usable JSON ({exc})")
        if not isinstance(row, dict):
            return FeedRecord(id=f"#line-{number}", where=where, error="a record must be a JSON object")
        return self._from_mapping(row, where)

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
                    yield self._guarded(lambda: self._from_mapping(dict(row), where), f"#line-{reader.line_num}",
                                        where)
            except csv.Error as exc:
                raise FeedError(f"{self.path} line {reader.line_num}: not valid CSV ({exc})") from exc
            except UnicodeDecodeError as exc:
                raise FeedError(f"{self.path}: not valid UTF-8 ({exc.reason})") from exc

    def _inside(self, path: Path, base: Path) -> str | None:
        """None when `path` (symlinks followed) stays inside `base`, else why not."""
        if self.allow_outside_paths:
            return None
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop
            return f"{path}: cannot be resolved ({exc})"
        if real == base or base in real.parents:
            return None
        return (f"{path.name if path.is_symlink() else path}: leaves the feed's folder {base} "
                "(--allow-outside-paths allows it)")

    def _read_pair(self, rid: str, original: Path, translation: Path, src_lang: str | None,
                   tgt_lang: str | None, where: str) -> FeedRecord:
        base = (self.path if self.kind == "directory" else self.path.parent).resolve()
        for side in (original, translation):
            outside = self._inside(side, base)
            if outside:
                return FeedRecord(id=rid, where=where, error=outside)
        try:
            a = read_text(original, max_bytes=self.max_bytes)
            b = read_text(translation, max_bytes=self.max_bytes)
        except QEError as exc:
            return FeedRecord(id=rid, where=where, error=str(exc))
        return FeedRecord(id=rid, original=a, translation=b, src_lang=src_lang, tgt_lang=tgt_lang, where=where)

    def _manifest(self) -> Iterator[FeedRecord]:
        base = self.path.resolve().parent
        for number, line in self._lines():
            if line is None or line.startswith(_NOT_UTF8):
                yield FeedRecord(id=f"#line-{number}", where=f"{self.path.name} line {number}",
                                 error="line is too long for a manifest" if line is None else "not valid UTF-8")
                continue
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
            bad = [lang for lang in langs[:2] if lang is not None and not _LANGUAGE.fullmatch(lang)]
            if bad:
                yield FeedRecord(id=rid or f"#line-{number}", where=where,
                                 error=f"{bad[0][:40]!r} is not a language code such as 'en' or 'pt-BR'")
                continue
            yield self._guarded(lambda: self._read_pair(rid, base / orig, base / trans, langs[0], langs[1], where),
                                rid or f"#line-{number}", where)

    def _pairs(self) -> dict[str, dict[str, tuple[Path, str | None]]]:
        pairs: dict[str, dict[str, tuple[Path, str | None]]] = {}
        try:
            entries = list(os.scandir(self.path))
        except OSError as exc:
            raise FeedError(f"{self.path}: cannot be listed ({exc.strerror})") from exc
        for entry in entries:
            m = _PAIR_FILE.match(entry.name)
            # is_file() follows symlinks: a link is listed here and refused per record if it leaves the folder
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
