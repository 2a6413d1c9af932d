"""DEMETR (Karpinska et al. 2022; shared/eval/demetr): minimal pairs. `ref` is
taken as the original, `mt_good` and `mt_bad` as two translations of it back
in English. Recall: share of `mt_bad` rows where the check raises a flag of
the broken kind (a missing/changed/common-word name flag for ne_removed, a
number flag for numbers_replaced) that `mt_good` does not also get. Flagged
rate: share of `mt_good` rows with any flag of that category (minor ones
too; the major-only rate beside it). `ref` and `mt_good` are independent
translations, so many of those flags are real differences between them:
the false-flag rate counts the rows with a flag that the hand review in
corpora/demetr-review does not confirm as real (an unread flag is false).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from qe.models import Flag, FlagKind
from qe.name_eval.common import PROJECT_ROOT, SHARED_EVAL, pair_flags, read_tsv

DEFAULT_DEMETR = SHARED_EVAL / "demetr"
# flags on DEMETR's mt_good rows, each read by hand: real difference or false flag
DEFAULT_REVIEW = PROJECT_ROOT / "corpora" / "demetr-review"

_NAME_ERRORS = frozenset({FlagKind.MISSING, FlagKind.CHANGED, FlagKind.COMMON_WORD})
_NUMBER_ERRORS = frozenset({FlagKind.NUMBER_CHANGED, FlagKind.NUMBER_MISSING})
DEMETR_FILES = {"ne_removed": ("name", _NAME_ERRORS), "numbers_replaced": ("number", _NUMBER_ERRORS)}


@dataclass(frozen=True)
class DemetrScore:
    file: str
    rows: int
    recall: float  # mt_bad rows with a flag of the broken kind that mt_good does not also get
    flagged_rate: float  # mt_good rows with any flag of the category
    major_flagged_rate: float  # mt_good rows with a major flag of the category
    # mt_good rows with a flag the review does not list as a real difference
    # between the two translations (every flag, when there is no review)
    false_flag_rate: float


def demetr_rows(directory: Path, name: str, limit: int | None = None) -> list[dict[str, str]]:
    rows = read_tsv(Path(directory) / f"{name}.tsv", {"ref", "mt_good", "mt_bad"})
    return rows[:limit] if limit else rows


def demetr_score(directory: Path = DEFAULT_DEMETR, name: str = "ne_removed", limit: int | None = None,
                 review: Path | None = DEFAULT_REVIEW) -> DemetrScore:
    return demetr_split_scores(directory, name, limit, review)["all"]


def _flag_key(row_id: str, flag: Flag) -> tuple[str, str, str, str]:
    return row_id, flag.kind.value, flag.original or "", flag.found or ""


def review_key(row: dict[str, str]) -> tuple[str, str, str, str]:
    """The flag a review row gives its verdict on, keyed as `_flag_key` keys flags."""
    return row["id"], row["kind"], row["original"], row["found"]


def read_review(path: Path) -> list[dict[str, str]]:
    """A review file's rows: id, kind, original, found, verdict (real/false), why."""
    return read_tsv(path, {"id", "kind", "original", "found", "verdict"})


def reviewed_real_flags(review: Path | None, name: str) -> frozenset[tuple[str, str, str, str]]:
    """(row id, kind, original, found) of the flags a reader judged real
    differences between DEMETR's two translations; none without a review file."""
    path = Path(review) / f"{name}.tsv" if review is not None else None
    if path is None or not path.is_file():
        return frozenset()
    return frozenset(review_key(r) for r in read_review(path) if r["verdict"] == "real")


def _split_of(row: dict[str, str], n: int) -> str:
    """"even"/"odd" by the row's id (its position when ids are not numbers):
    rules are tuned looking at even rows only; odd rows show whether they generalise."""
    rid = row.get("id", "")
    return "even" if (int(rid) if rid.isdigit() else n) % 2 == 0 else "odd"


def demetr_split_scores(directory: Path = DEFAULT_DEMETR, name: str = "ne_removed",
                        limit: int | None = None, review: Path | None = DEFAULT_REVIEW,
                        ignore_rules: Iterable[str] = ()) -> dict[str, DemetrScore]:
    """Scores over all rows and over the even-id (tuning) and odd-id (held-out) halves."""
    category, wanted = DEMETR_FILES[name]
    rows = demetr_rows(directory, name, limit)
    real = reviewed_real_flags(review, name)
    tally = {k: [0, 0, 0, 0, 0] for k in ("all", "even", "odd")}  # rows, hits, flagged, major, unconfirmed
    for n, r in enumerate(rows):
        bad = [f for f in pair_flags(r["ref"], r["mt_bad"], ignore_rules=ignore_rules) if f.category == category]
        good = [f for f in pair_flags(r["ref"], r["mt_good"], ignore_rules=ignore_rules) if f.category == category]
        outcome = (1, _caught(bad, good, wanted), bool(good), any(f.severity.value == "major" for f in good),
                   any(_flag_key(r.get("id", str(n)), f) not in real for f in good))
        for split in ("all", _split_of(r, n)):
            tally[split] = [a + b for a, b in zip(tally[split], outcome)]
    return {split: DemetrScore(f"{name}:{split}" if split != "all" else name, t[0],
                               *(x / (t[0] or 1) for x in t[1:])) for split, t in tally.items()}


def _caught(bad: Sequence[Flag], good: Sequence[Flag], wanted: frozenset[FlagKind]) -> bool:
    """Whether the broken translation has a flag of the broken kind that the
    correct one lacks: a flag both get (a false flag on the correct
    translation) says nothing about the break."""
    on_good = {(f.kind, f.original) for f in good}
    return any(f.kind in wanted and (f.kind, f.original) not in on_good for f in bad)


def demetr_failures(directory: Path, name: str, limit: int | None = None) -> Iterable[tuple[str, dict, list[Flag]]]:
    """Rows the check gets wrong ("miss" on mt_bad, "false" on mt_good), for looking at categories."""
    category, wanted = DEMETR_FILES[name]
    for r in demetr_rows(directory, name, limit):
        bad = [f for f in pair_flags(r["ref"], r["mt_bad"]) if f.category == category]
        good = [f for f in pair_flags(r["ref"], r["mt_good"]) if f.category == category]
        if not _caught(bad, good, wanted):
            yield "miss", r, bad
        if good:
            yield "false", r, good


def demetr_available(directory: Path = DEFAULT_DEMETR) -> bool:
    return all(os.path.isfile(Path(directory) / f"{n}.tsv") for n in DEMETR_FILES)


