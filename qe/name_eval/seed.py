"""The hand-made seed gold of corpora/ft-call (gold/names.tsv, names_intact.tsv)
through the whole pipeline. The gold lists equivalent country forms and
derived adjectives (US -> United States, Ukraine -> Ukrainian) as "variant";
qe deliberately does not flag those (names.legit_equivalent), so such rows
count as "either": a flag on them is neither a hit nor a false alarm, and no
flag is not a miss. Genuine respellings (Kyiv -> Kiev) stay expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from qe.errors import MissingFileError
from qe.models import Bead, Document, Flag
from qe.name_eval.common import PROJECT_ROOT, read_tsv
from qe.names import check_names, legit_equivalent, normalise

DEFAULT_SEED = PROJECT_ROOT / "corpora" / "ft-call"


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


@dataclass(frozen=True)
class SeedCase:
    """One seed translation, split and aligned with the original as `qe check`
    does it, with its gold rows: aligned once, checked under any rule setting."""

    translation: str
    original: Document
    translated: Document
    beads: tuple[Bead, ...]
    gold: tuple[dict[str, str], ...]
    intact: tuple[str, ...]


def seed_cases(seed_dir: Path = DEFAULT_SEED, *, model: str | None = None) -> list[SeedCase]:
    """Every translation the seed gold covers, aligned with the original."""
    from qe.pipeline import CheckConfig, aligned_documents

    seed_dir = Path(seed_dir)
    gold = read_tsv(seed_dir / "gold" / "names.tsv")
    intact = read_tsv(seed_dir / "gold" / "names_intact.tsv")
    original = seed_dir / "original.en.txt"
    if not original.is_file():
        raise MissingFileError(f"{original}: no such file")
    out = []
    for translation in sorted({r["translation"] for r in gold} | {r["translation"] for r in intact}):
        src, tgt, beads = aligned_documents(original, seed_dir / f"{translation}.en.txt", CheckConfig(model=model))
        out.append(SeedCase(translation, src, tgt, tuple(beads),
                            tuple(r for r in gold if r["translation"] == translation),
                            tuple(r["original_name"] for r in intact if r["translation"] == translation)))
    return out


def seed_scores(seed_dir: Path = DEFAULT_SEED, *, model: str | None = None, cases: Sequence[SeedCase] | None = None,
                ignore_rules: Iterable[str] = ()) -> list[SeedScore]:
    """The name flags `qe check` gives each seed translation, scored against its gold."""
    out = []
    for case in cases if cases is not None else seed_cases(seed_dir, model=model):
        extra = {"ignore_rules": tuple(ignore_rules)} if ignore_rules else {}
        flags = [f for fl in check_names(case.original, case.translated, case.beads, **extra) for f in fl]
        out.append(score_seed(flags, case.gold, case.intact, case.translation))
    return out


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
