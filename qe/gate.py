"""The quality gate: which findings count against a translation, and whether it passes.

Decided here once. The pipeline asks `decide()` for a Report's Gate (and so
the exit code); JUnit asks `failing_beads()` which sentences to list as
failed; Markdown, the terminal summary and the feed summary read the Gate the
pipeline stored. A change to what fails therefore changes all of them alike.
"""

from __future__ import annotations

from typing import Sequence

from qe.models import BeadKind, CorpusScores, Flag, Gate, Report, ScoredBead, Severity, Thresholds, Verdict


def counts_against_gate(flag: Flag, t: Thresholds) -> bool:
    """A flag fails the gate unless an editor waived it, its kind is ignored,
    or its severity is one the thresholds let through."""
    if flag.waived or flag.kind.value in t.ignored_flag_kinds:
        return False
    return t.fail_on_major_flags if flag.severity is Severity.MAJOR else t.fail_on_minor_flags


def over_max_risk(bead: ScoredBead, t: Thresholds) -> bool:
    """A sentence whose risk is above `max_risk` (when that gate is on)."""
    return t.max_risk is not None and bead.risk is not None and bead.risk.value > t.max_risk


def _categories(flags: Sequence[Flag]) -> str:
    """What the flags are about: "name/number" as always, or e.g.
    "name/number/language/placeholder" when the language or placeholder checks flagged too."""
    found = {f.category for f in flags} | {"name", "number"}
    return "/".join(sorted(found, key=lambda c: (c not in ("name", "number"), c)))


def decide(beads: Sequence[ScoredBead], n_src: int, n_tgt: int, t: Thresholds, *,
           corpus: CorpusScores | None = None, blocking: Sequence[str] = ()) -> Gate:
    """The gate for one document: each limit `t` sets that the beads, the
    document scores or a `blocking` note (unrelated documents) break is a reason."""
    reasons: list[str] = []
    counted = [f for b in beads for f in b.flags if counts_against_gate(f, t)]
    for severity in Severity:
        of_severity = [f for f in counted if f.severity is severity]
        if of_severity:
            reasons.append(f"{len(of_severity)} {severity.value} {_categories(of_severity)} flag(s)")
    omitted = sum(len(b.bead.src) for b in beads if b.bead.kind is BeadKind.OMITTED)
    if n_src and omitted / n_src > t.max_omitted_fraction:
        reasons.append(f"{omitted} of {n_src} original sentences omitted (limit {t.max_omitted_fraction:.0%})")
    added = sum(len(b.bead.tgt) for b in beads if b.bead.kind is BeadKind.ADDED)
    if n_tgt and added / n_tgt > t.max_added_fraction:
        reasons.append(f"{added} of {n_tgt} translation sentences added (limit {t.max_added_fraction:.0%})")
    wrong = sum(1 for b in beads if b.verdict is Verdict.WRONG)
    if beads and t.max_wrong_fraction < 1.0 and wrong / len(beads) > t.max_wrong_fraction:
        reasons.append(f"{wrong} of {len(beads)} sentences judged wrong (limit {t.max_wrong_fraction:.0%})")
    risky = [b.risk.value for b in beads if over_max_risk(b, t)]
    if risky:
        reasons.append(f"{len(risky)} sentence(s) with risk above {t.max_risk:g} (highest {max(risky):.2f})")
    measures = (("BLEU", t.min_bleu, corpus.bleu if corpus else None),
                ("chrF", t.min_chrf, corpus.chrf if corpus else None),
                ("similarity", t.min_similarity, corpus.similarity if corpus else None))
    for label, limit, value in measures:
        if limit is not None and value is not None and value < limit:
            reasons.append(f"document {label} {value:.3g} is below {limit:g}")
    reasons.extend(blocking)
    return Gate(passed=not reasons, reasons=tuple(reasons))


def failing_beads(report: Report) -> list[tuple[int, ScoredBead, list[Flag]]]:
    """The sentences that count against the gate: judged wrong, above the
    max_risk limit, or holding a flag that counts; with their index and those flags."""
    out = []
    for k, sb in enumerate(report.beads):
        flags = [f for f in sb.flags if counts_against_gate(f, report.thresholds)]
        if flags or sb.verdict is Verdict.WRONG or over_max_risk(sb, report.thresholds):
            out.append((k, sb, flags))
    return out


__all__ = ["counts_against_gate", "decide", "failing_beads"]
