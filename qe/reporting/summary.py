"""Report -> the one-screen terminal summary."""

from __future__ import annotations

from qe.models import Report, Verdict


def score_text(value: float | None, spec: str = ".1f") -> str:
    return "n/a" if value is None else format(value, spec)


def setting_text(value: object) -> str:
    """A threshold as people read it: None is "off", an empty list "none"."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "none"
    return "off" if value is None else str(value)


def render_summary(report: Report, *, max_flags: int = 20, max_risky: int = 5) -> str:
    c = report.corpus
    verdicts = {v: sum(1 for b in report.beads if b.verdict is v) for v in Verdict}
    kinds: dict[str, int] = {}
    for b in report.beads:
        kinds[b.bead.kind.value] = kinds.get(b.bead.kind.value, 0) + 1
    lines = [
        f"original    {report.original.name or '-'} ({len(report.original)} sentences)",
        f"translation {report.translation.name or '-'} ({len(report.translation)} sentences)",
        f"BLEU {score_text(c.bleu)}  chrF {score_text(c.chrf)}  similarity {score_text(c.similarity, '.3f')}",
        "beads       " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        "verdicts    " + ", ".join(f"{v.value} {n}" for v, n in verdicts.items()),
    ]
    risky = sorted((b for b in report.beads if b.risk is not None and b.verdict is not Verdict.OK),
                   key=lambda b: -b.risk.value)
    if risky:
        lines.append(f"riskiest ({len(risky)} of {len(report.beads)} beads check or wrong):")
        for b in risky[:max_risky]:
            where = f"s{b.bead.src[0] + 1}" if b.bead.src else f"t{b.bead.tgt[0] + 1}"
            lines.append(f"  {where:>4} {b.risk.value:.2f} {b.verdict.value:5} {b.risk.explanation}")
        if len(risky) > max_risky:
            lines.append(f"  … {len(risky) - max_risky} more in the reports")
    for note in report.notes:
        lines.append(f"note: {note}")
    flags = report.flags
    if flags:
        lines.append(f"flags ({len(flags)}):")
        for f in flags[:max_flags]:
            where = f"s{f.src_sentence + 1}" if f.src_sentence is not None else f"t{(f.tgt_sentence or 0) + 1}"
            waived = " (waived)" if f.waived else ""
            lines.append(f"  {where:>4} {f.severity.value:5} {f.kind.value:16} {f.message}{waived}")
        if len(flags) > max_flags:
            lines.append(f"  … {len(flags) - max_flags} more in the reports")
    lines.append("signature   " + " | ".join(f"{k}={v}" for k, v in report.signature.items()))
    lines.append("PASSED" if report.passed else "FAILED: " + "; ".join(report.gate.reasons))
    return "\n".join(lines)
