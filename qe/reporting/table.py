"""Report -> one row per bead: the table behind the CSV/Excel reports and
Report.to_dataframe()."""

from __future__ import annotations

from qe.models import Report

# Documented in README ("CSV columns"); order is part of the format.
COLUMNS = (
    "document", "bead", "type", "moved", "src_indexes", "tgt_indexes", "original", "translation",
    "bleu", "chrf", "similarity", "confidence", "verdict", "flags",
)


def _indexes(idx: tuple[int, ...]) -> str:
    return " ".join(map(str, idx))


def report_rows(report: Report) -> list[dict]:
    doc = report.original.name or "document"
    rows = []
    for k, sb in enumerate(report.beads):
        b = sb.bead
        rows.append({
            "document": doc,
            "bead": k,
            "type": b.shape,
            "moved": b.moved,
            "src_indexes": _indexes(b.src),
            "tgt_indexes": _indexes(b.tgt),
            "original": report.original.join(b.src),
            "translation": report.translation.join(b.tgt),
            "bleu": sb.scores.bleu,
            "chrf": sb.scores.chrf,
            "similarity": sb.scores.similarity,
            "confidence": b.confidence,
            "verdict": sb.verdict.value,
            "flags": "; ".join(f"[{f.kind.value}/{f.severity.value}] {f.message}" for f in sb.flags),
        })
    return rows


def report_table(report: Report):
    import pandas as pd

    return pd.DataFrame(report_rows(report), columns=list(COLUMNS))
