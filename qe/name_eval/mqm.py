"""MQM20 names (shared/eval/mqm20-names): real MT name errors, marked by
professional raters in WMT20 Chinese->English news. `ref` is taken as the
original, `mt` as the translation.

- Recall: share of marked spans (a `name_error` row's `spans`, joined by
  " ||| ") that a name flag's translation side overlaps, by position in `mt`;
  row recall beside it: rows with at least one marked span reached.
- Noise: share of `clean` rows (three raters found no error) with a major name
  flag, and with any name flag (a minor flag is still something an editor reads).
- The same figures per source sentence: one Chinese sentence recurs across
  up to eight systems, so a single name can weigh eight times in the row
  figures; the sentence figures average each sentence's own share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Iterable, Sequence

from qe.models import Flag, Severity
from qe.name_eval.common import SHARED_EVAL, pair_flags, read_tsv

DEFAULT_MQM = SHARED_EVAL / "mqm20-names" / "dev.tsv"
SPAN_JOINER = " ||| "
_COLUMNS = frozenset({"id", "kind", "doc", "seg_id", "spans", "ref", "mt"})
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class MqmRow:
    """One scored row: which of its marked spans a flag reached, and its flags."""

    id: str
    kind: str  # "name_error" or "clean"
    sentence: str  # the source sentence it translates (doc and segment)
    spans: tuple[str, ...]
    caught: tuple[bool, ...]  # per span
    flags: tuple[Flag, ...]

    @property
    def major(self) -> bool:
        return any(f.severity == Severity.MAJOR for f in self.flags)


@dataclass(frozen=True)
class MqmScore:
    spans: int
    recall: float  # marked spans a name flag overlaps
    error_rows: int
    row_recall: float  # name_error rows with at least one marked span reached
    clean_rows: int
    clean_major: float  # clean rows with a major name flag
    clean_any: float  # clean rows with any name flag
    sentences: int  # source sentences with a marked span
    sentence_recall: float  # mean over those sentences of their spans' recall
    clean_sentences: int  # source sentences with a clean translation
    sentence_clean_major: float  # mean over those sentences of their clean rows' major-flag share
    sentence_clean_any: float


def _intervals(needle: str, text: str) -> list[tuple[int, int]]:
    """Where `needle` occurs in `text` (exact case first, then any case)."""
    for hay, pin in ((text, needle), (text.lower(), needle.lower())):
        found = [(m.start(), m.start() + len(pin)) for m in re.finditer(re.escape(pin), hay)] if pin else []
        if found:
            return found
    return []


def overlaps(found: str | None, span: str, text: str) -> bool:
    """Whether a flag's translation side (`found`) and a marked span share
    characters of `text`; by shared words when `found` is not verbatim there."""
    if not found:
        return False
    ours, theirs = _intervals(found, text), _intervals(span, text)
    if ours and theirs:
        return any(a < d and c < b for a, b in ours for c, d in theirs)
    return bool({w.lower() for w in _WORD.findall(found)} & {w.lower() for w in _WORD.findall(span)})


def score_row(row: dict[str, str], flags: Sequence[Flag]) -> MqmRow:
    names = tuple(f for f in flags if f.category == "name")
    spans = tuple(s for s in row["spans"].split(SPAN_JOINER) if s.strip()) if row["kind"] == "name_error" else ()
    caught = tuple(any(overlaps(f.found, s, row["mt"]) for f in names) for s in spans)
    return MqmRow(row["id"], row["kind"], f"{row['doc']}#{row['seg_id']}", spans, caught, names)


def summarise(rows: Sequence[MqmRow]) -> MqmScore:
    """Row figures and per-sentence figures (each sentence's share, averaged)."""
    caught = [c for r in rows for c in r.caught]
    errors = [any(r.caught) for r in rows if r.kind == "name_error"]
    clean = [r for r in rows if r.kind == "clean"]
    by_sentence: dict[str, list[MqmRow]] = {}
    for r in rows:
        by_sentence.setdefault(r.sentence, []).append(r)
    recalls, majors, anys = [], [], []
    for group in by_sentence.values():
        marks = [c for r in group for c in r.caught]
        if marks:
            recalls.append(sum(marks) / len(marks))
        ok = [r for r in group if r.kind == "clean"]
        if ok:
            majors.append(sum(r.major for r in ok) / len(ok))
            anys.append(sum(bool(r.flags) for r in ok) / len(ok))
    return MqmScore(len(caught), _share(caught), len(errors), _share(errors), len(clean), _share([r.major for r in clean]),
                    _share([bool(r.flags) for r in clean]), len(recalls), _mean(recalls), len(majors),
                    _mean(majors), _mean(anys))


def _share(values: Sequence[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def _mean(values: Sequence[float]) -> float:
    return mean(values) if values else 0.0


def mqm_rows(path: Path = DEFAULT_MQM, limit: int | None = None) -> list[dict[str, str]]:
    rows = read_tsv(Path(path), _COLUMNS)
    return rows[:limit] if limit else rows


def mqm_scored(path: Path = DEFAULT_MQM, limit: int | None = None, ignore_rules: Iterable[str] = ()) -> list[MqmRow]:
    return [score_row(r, pair_flags(r["ref"], r["mt"], ignore_rules=ignore_rules)) for r in mqm_rows(path, limit)]


def mqm_score(path: Path = DEFAULT_MQM, limit: int | None = None) -> MqmScore:
    return summarise(mqm_scored(path, limit))


def mqm_failures(rows: Iterable[MqmRow]) -> Iterable[tuple[str, MqmRow]]:
    """("miss", row) for a name_error row with an uncaught span, ("noise", row)
    for a clean row with a flag: the rows to read before changing a rule."""
    for r in rows:
        if not all(r.caught):
            yield "miss", r
        if r.kind == "clean" and r.flags:
            yield "noise", r
