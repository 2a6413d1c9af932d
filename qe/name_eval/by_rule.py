"""Each rule's marginal effect: every set's headline figures with that one rule
switched off, beside the figures with all rules on. A rule that buys recall on
one set and costs noise on another shows it here (an equivalence switched off
shows what it keeps quiet, and what real errors it hides).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from qe.name_eval.demetr import DEFAULT_DEMETR, DEMETR_FILES, demetr_split_scores
from qe.name_eval.mqm import DEFAULT_MQM, mqm_scored, summarise
from qe.name_eval.pairs import DEFAULT_PAIRS, pair_outcomes, pair_scores
from qe.name_eval.seed import SeedCase, seed_scores

# (column, True when a higher value is better): the figures each setting is judged by
FIGURES: tuple[tuple[str, bool], ...] = (
    ("ne_removed.recall", True), ("ne_removed.good_major", False), ("ne_removed.false", False),
    ("numbers.recall", True), ("numbers.good_major", False),
    ("mqm.recall", True), ("mqm.clean_major", False), ("mqm.clean_any", False),
    ("pairs.recall", True), ("pairs.quiet_any", False),
    ("seed.precision", True), ("seed.recall", True),
)


@dataclass(frozen=True)
class Sets:
    """Where the sets are; a set left as None is not measured."""

    demetr: Path | None = DEFAULT_DEMETR
    mqm: Path | None = DEFAULT_MQM
    pairs: Path | None = DEFAULT_PAIRS
    seed: Sequence[SeedCase] | None = None  # aligned once: qe.name_eval.seed.seed_cases
    limit: int | None = None


def figures(sets: Sets, ignore_rules: Iterable[str] = ()) -> dict[str, float]:
    """The headline figures of every set given, with `ignore_rules` switched off."""
    off = tuple(ignore_rules)
    out: dict[str, float] = {}
    if sets.demetr is not None:
        for name, prefix in zip(DEMETR_FILES, ("ne_removed", "numbers")):
            s = demetr_split_scores(sets.demetr, name, sets.limit, ignore_rules=off)["all"]
            out[f"{prefix}.recall"], out[f"{prefix}.good_major"] = s.recall, s.major_flagged_rate
            if prefix == "ne_removed":
                out[f"{prefix}.false"] = s.false_flag_rate
    if sets.mqm is not None:
        m = summarise(mqm_scored(sets.mqm, sets.limit, ignore_rules=off))
        out["mqm.recall"], out["mqm.clean_major"], out["mqm.clean_any"] = m.recall, m.clean_major, m.clean_any
    if sets.pairs is not None:
        p = pair_scores(pair_outcomes(sets.pairs, ignore_rules=off))[0]
        out["pairs.recall"], out["pairs.quiet_any"] = p.recall, p.quiet_any
    if sets.seed is not None:
        scores = seed_scores(cases=sets.seed, ignore_rules=off)
        hits, expected = sum(s.hits for s in scores), sum(s.expected for s in scores)
        false = sum(s.false_flags for s in scores)
        out["seed.precision"] = hits / (hits + false) if hits + false else 1.0
        out["seed.recall"] = hits / expected if expected else 1.0
    return out


def marginal(base: dict[str, float], without: dict[str, float]) -> dict[str, float]:
    """Rule off minus all on, figure by figure: what switching the rule off changes."""
    return {k: without[k] - base[k] for k in base if k in without}


def verdict(delta: dict[str, float]) -> str:
    """Whether the rule pays its way: "helps" when switching it off only makes
    figures worse, "costs" when it only makes them better, "mixed" when one
    figure gains what another loses, "idle" when nothing moves."""
    higher_better = dict(FIGURES)
    worse = [k for k, d in delta.items() if d and (d < 0) == higher_better.get(k, True)]
    better = [k for k, d in delta.items() if d and k not in worse]
    if worse and better:
        return "mixed"
    return "helps" if worse else "costs" if better else "idle"
