"""Minimal pairs written for qe (corpora/name-pairs): one original sentence and
one translation each, in English or Swedish, with what the check must do.

- `expect=flag`: a flag of `category` must be about `form` (the original's
  form of the name or number; for a name the translation added, the added
  name); `severity` says which grade it deserves (blank: either).
- `expect=quiet`: the two sentences name the same things (an inflection, a
  possessive, an exonym, an acronym beside its expansion, a capitalised word
  that is no name...); any flag is noise.

Recall: flag rows with a flag about their form; graded recall: of those,
with the expected severity. Stray: flag rows with a flag about something
else. Noise: quiet rows with any flag, and with a major one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from qe.errors import InputError
from qe.models import Flag, Severity
from qe.name_eval.common import PROJECT_ROOT, pair_flags, read_tsv

DEFAULT_PAIRS = PROJECT_ROOT / "corpora" / "name-pairs" / "pairs.tsv"
_COLUMNS = frozenset({"id", "lang", "case", "expect", "category", "severity", "form", "original", "translation"})
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PairOutcome:
    id: str
    lang: str
    case: str
    expect: str  # "flag" or "quiet"
    caught: bool  # a flag about the expected form (flag rows)
    graded: bool  # ... with the expected severity
    stray: tuple[Flag, ...]  # flags about anything else
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class PairScore:
    set: str  # "all", or a language
    flag_rows: int
    recall: float
    graded_recall: float
    stray: float  # flag rows with a flag about something else
    quiet_rows: int
    quiet_any: float  # quiet rows with any flag
    quiet_major: float


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


def about(flagged: str, form: str) -> bool:
    """The flag's text is the expected form, or holds it or a part of it word
    for word ("Peter" for "Peter Hultqvist", "1,5 miljoner" for "1,5")."""
    a, b = _words(flagged), _words(form)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _flag_about(f: Flag, category: str, form: str) -> bool:
    return f.category == category and about(f.original or f.found or "", form)


def score_pair(row: dict[str, str], flags: Sequence[Flag]) -> PairOutcome:
    if row["expect"] not in ("flag", "quiet"):
        raise InputError(f"pair {row['id']}: expect must be flag or quiet, not {row['expect']!r}")
    flags = tuple(flags)
    if row["expect"] == "quiet":
        return PairOutcome(row["id"], row["lang"], row["case"], "quiet", False, False, flags, flags)
    on_form = [f for f in flags if _flag_about(f, row["category"], row["form"])]
    wanted = row["severity"].strip()
    graded = any(not wanted or f.severity == Severity(wanted) for f in on_form)
    stray = tuple(f for f in flags if f not in on_form)
    return PairOutcome(row["id"], row["lang"], row["case"], "flag", bool(on_form), graded, stray, flags)


def summarise(outcomes: Sequence[PairOutcome], name: str = "all") -> PairScore:
    hits = [o for o in outcomes if o.expect == "flag"]
    quiet = [o for o in outcomes if o.expect == "quiet"]

    def share(values: Iterable[bool], n: int) -> float:
        return sum(values) / n if n else 0.0

    return PairScore(name, len(hits), share((o.caught for o in hits), len(hits)),
                     share((o.graded for o in hits), len(hits)), share((bool(o.stray) for o in hits), len(hits)),
                     len(quiet), share((bool(o.flags) for o in quiet), len(quiet)),
                     share((any(f.severity == Severity.MAJOR for f in o.flags) for o in quiet), len(quiet)))


def pair_rows(path: Path = DEFAULT_PAIRS) -> list[dict[str, str]]:
    return read_tsv(Path(path), _COLUMNS)


def pair_outcomes(path: Path = DEFAULT_PAIRS, ignore_rules: Iterable[str] = ()) -> list[PairOutcome]:
    return [score_pair(r, pair_flags(r["original"], r["translation"], r["lang"], ignore_rules=ignore_rules))
            for r in pair_rows(path)]


def pair_scores(outcomes: Sequence[PairOutcome]) -> list[PairScore]:
    """All pairs, then each language."""
    langs = sorted({o.lang for o in outcomes})
    return [summarise(outcomes)] + [summarise([o for o in outcomes if o.lang == lang], lang) for lang in langs]


def pair_failures(outcomes: Iterable[PairOutcome]) -> Iterable[tuple[str, PairOutcome]]:
    """("miss", o): no flag about the form; ("grade", o): caught with another
    severity; ("noise", o): a flag on a quiet pair or a stray one."""
    for o in outcomes:
        if o.expect == "flag" and not o.caught:
            yield "miss", o
        elif o.expect == "flag" and not o.graded:
            yield "grade", o
        if o.stray:
            yield "noise", o
