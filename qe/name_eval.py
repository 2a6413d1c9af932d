"""How well the name and number checks work, on data written outside qe.

- DEMETR (Karpinska et al. 2022; shared/eval/demetr): minimal pairs. `ref` is
  taken as the original, `mt_good` and `mt_bad` as two translations of it back
  in English. Recall: share of `mt_bad` rows where the check raises a flag of
  the broken kind (a missing/changed/common-word name flag for ne_removed, a
  number flag for numbers_replaced) that `mt_good` does not also get. Flagged
  rate: share of `mt_good` rows with any flag of that category (minor ones
  too; the major-only rate beside it). `ref` and `mt_good` are independent
  translations, so many of those flags are real differences between them:
  the false-flag rate counts the rows with a flag that the hand review in
  corpora/demetr-review does not confirm as real (an unread flag is false).
- The hand-made seed gold of corpora/ft-call (gold/names.tsv, names_intact.tsv)
  through the whole pipeline. The gold lists equivalent country forms and
  derived adjectives (US -> United States, Ukraine -> Ukrainian) as "variant";
  qe deliberately does not flag those (names.legit_equivalent), so such rows
  count as "either": a flag on them is neither a hit nor a false alarm, and no
  flag is not a miss. Genuine respellings (Kyiv -> Kiev) stay expected.

Nothing here prints; qe.cli formats the figures.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from qe.errors import InputError, MissingFileError
from qe.models import Bead, Document, Flag, FlagKind, Sentence
from qe.names import check_names, legit_equivalent, normalise

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEMETR = PROJECT_ROOT.parent / "shared" / "eval" / "demetr"
DEFAULT_SEED = PROJECT_ROOT / "corpora" / "ft-call"
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


@dataclass(frozen=True)
class SeedScore:
    translation: str
    expected: int  # gold rows that must be flagged
    either: int  # gold rows qe treats as legitimate equivalents
    hits: int
    false_flags: int
    intact_flagged: int  # flags on names listed in names_intact.tsv
    number_flags: int  # not scored: the seed gold lists names only
    misses: tuple[str, ...]
    false: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.false_flags) if self.hits + self.false_flags else 1.0


def _read_tsv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def demetr_rows(directory: Path, name: str, limit: int | None = None) -> list[dict[str, str]]:
    rows = _read_tsv(Path(directory) / f"{name}.tsv")
    missing = {"ref", "mt_good", "mt_bad"} - set(rows[0] if rows else {})
    if missing:
        raise InputError(f"{directory}/{name}.tsv: missing column(s) {', '.join(sorted(missing))}")
    return rows[:limit] if limit else rows


def _pair_flags(original: str, translation: str) -> list[Flag]:
    """The flags `qe check` gives a one-sentence document and its translation."""
    def one_sentence(text: str) -> Document:
        return Document(text, (Sentence(0, text, 0, 0, len(text)),), "en")

    return check_names(one_sentence(original), one_sentence(translation), [Bead((0,), (0,))])[0]


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
    with Path(path).open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = {"id", "kind", "original", "found", "verdict"} - set(rows[0] if rows else {})
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return rows


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
                        limit: int | None = None, review: Path | None = DEFAULT_REVIEW) -> dict[str, DemetrScore]:
    """Scores over all rows and over the even-id (tuning) and odd-id (held-out) halves."""
    category, wanted = DEMETR_FILES[name]
    rows = demetr_rows(directory, name, limit)
    real = reviewed_real_flags(review, name)
    tally = {k: [0, 0, 0, 0, 0] for k in ("all", "even", "odd")}  # rows, hits, flagged, major, unconfirmed
    for n, r in enumerate(rows):
        bad = [f for f in _pair_flags(r["ref"], r["mt_bad"]) if f.category == category]
        good = [f for f in _pair_flags(r["ref"], r["mt_good"]) if f.category == category]
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
        bad = [f for f in _pair_flags(r["ref"], r["mt_bad"]) if f.category == category]
        good = [f for f in _pair_flags(r["ref"], r["mt_good"]) if f.category == category]
        if not _caught(bad, good, wanted):
            yield "miss", r, bad
        if good:
            yield "false", r, good


# ------------------------------------------------------------------ seed gold


def _same_name(flagged: str, gold: str) -> bool:
    """The flag is about the gold name: equal, or one holds the other word for word
    (a flag on "Stanford University" inside "… Cooperation at Stanford University")."""
    a, b = [normalise(w) for w in flagged.split()], [normalise(w) for w in gold.split()]
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def score_seed(flags: Sequence[Flag], gold_rows: Sequence[dict[str, str]], intact: Sequence[str],
               translation: str) -> SeedScore:
    """Match name flags to gold rows of one translation, one flag per row
    (further flags on parts of an already matched row are neutral)."""
    expected, either = [], []
    for r in gold_rows:
        if r["kind"] == "variant" and r["translation_form"] and legit_equivalent(r["original_name"],
                                                                                r["translation_form"]):
            either.append(r)
        else:
            expected.append(r)
    open_expected = list(expected)
    open_either = list(either)
    matched: list[dict[str, str]] = []
    hits = false_flags = intact_flagged = 0
    false: list[str] = []
    for f in (f for f in flags if f.category == "name"):
        name = f.original or f.found or ""
        row = next((r for r in open_expected if normalise(name) == normalise(r["original_name"])), None) \
            or next((r for r in open_expected if _same_name(name, r["original_name"])), None)
        if row is not None:
            open_expected.remove(row)
            matched.append(row)
            hits += 1
            continue
        row = next((r for r in open_either if _same_name(name, r["original_name"])), None)
        if row is not None:
            open_either.remove(row)
            continue
        if f.original and any(_same_name(name, r["original_name"]) and normalise(name) != normalise(r["original_name"])
                              for r in matched + either):
            continue  # a part of a name already counted
        false_flags += 1
        intact_flagged += any(normalise(name) == normalise(n) for n in intact)
        false.append(f"{f.kind.value}: {f.original or '—'} -> {f.found or '—'}")
    misses = tuple(f"{r['kind']}: {r['original_name']} -> {r['translation_form'] or '—'}" for r in open_expected)
    return SeedScore(translation, len(expected), len(either), hits, false_flags, intact_flagged,
                     sum(1 for f in flags if f.category == "number"), misses, tuple(false))


def seed_scores(seed_dir: Path = DEFAULT_SEED, *, model: str | None = None) -> list[SeedScore]:
    """Run `qe check` on every translation the seed gold covers and score its name flags."""
    from qe.pipeline import CheckConfig, check

    seed_dir = Path(seed_dir)
    gold = _read_tsv(seed_dir / "gold" / "names.tsv")
    intact = _read_tsv(seed_dir / "gold" / "names_intact.tsv")
    original = seed_dir / "original.en.txt"
    if not original.is_file():
        raise MissingFileError(f"{original}: no such file")
    out = []
    for translation in sorted({r["translation"] for r in gold} | {r["translation"] for r in intact}):
        path = seed_dir / f"{translation}.en.txt"
        report = check(original, path, CheckConfig(model=model))
        out.append(score_seed(report.flags, [r for r in gold if r["translation"] == translation],
                              [r["original_name"] for r in intact if r["translation"] == translation],
                              translation))
    return out


def demetr_available(directory: Path = DEFAULT_DEMETR) -> bool:
    return all(os.path.isfile(Path(directory) / f"{n}.tsv") for n in DEMETR_FILES)


@dataclass(frozen=True)
class Overhead:
    translation: str
    check_seconds: float  # the whole pipeline, model already loaded, names included
    names_seconds: float  # of which the name and number checks

    @property
    def share(self) -> float:
        return self.names_seconds / self.check_seconds if self.check_seconds else 0.0


def names_overhead(seed_dir: Path = DEFAULT_SEED, *, model: str | None = None) -> list[Overhead]:
    """Time `check` on each seed translation and the name check inside it, cold
    caches for the name check (its tables load on first use)."""
    import time

    from qe import names
    from qe.embed import make_embedder
    from qe.pipeline import CheckConfig, aligned_documents, check

    embedder = make_embedder(model)
    seed_dir = Path(seed_dir)
    out = []
    for path in sorted(seed_dir.glob("*.en.txt")):
        if path.name.startswith("original"):
            continue
        names.clear_caches()
        t0 = time.perf_counter()
        check(seed_dir / "original.en.txt", path, CheckConfig(model=model), embedder=embedder)
        total = time.perf_counter() - t0
        src, tgt, beads = aligned_documents(seed_dir / "original.en.txt", path, CheckConfig(model=model),
                                            embedder=embedder)
        names.clear_caches()
        t0 = time.perf_counter()
        names.check_names(src, tgt, beads)
        out.append(Overhead(path.name.split(".")[0], total, time.perf_counter() - t0))
    return out
