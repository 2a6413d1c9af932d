"""Report -> one row per bead: the table behind the CSV and Excel reports and
Report.to_dataframe().

Columns (the order is part of the format; documented in docs/ci.md):

    document      the original's file name as given to qe
    bead          bead number, 0-based, the same in JSON, CSV, Excel and HTML
    type          match, merged, split, many-to-many, omitted, added, moved
    shape         original sentences - translation sentences, e.g. "2-1"
    moved         true when the pair was found out of order
    src_indexes   original sentence indexes, 0-based, space-separated ("" for added)
    tgt_indexes   translation sentence indexes, 0-based ("" for omitted)
    original      the original's sentence(s) of the bead
    translation   the translation's sentence(s) of the bead
    bleu, chrf    sentence BLEU / chrF, 0..100; empty when not applicable
    similarity    embedding cosine similarity; empty for omitted/added
    confidence    the aligner's confidence in the bead, 0..1, where it has one
    verdict       ok, check or wrong
    flag_count    number of name/number flags (waived ones included)
    flags         the flags as text, one "severity kind [rule]: message" per flag, "; "-separated
    signature     how the numbers were made (qe version, model, sacrebleu signatures…)
"""

from __future__ import annotations

from qe.models import Flag, Report

COLUMNS = (
    "document", "bead", "type", "shape", "moved", "src_indexes", "tgt_indexes", "original", "translation",
    "bleu", "chrf", "similarity", "confidence", "verdict", "flag_count", "flags", "signature",
)


def _indexes(idx: tuple[int, ...]) -> str:
    return " ".join(map(str, idx))


def _round(value: float | None, digits: int) -> float | None:
    # Scores are not meaningful past these digits; rounding keeps files diffable.
    return None if value is None else round(value, digits)


def flag_text(f: Flag) -> str:
    rule = f" [{f.rule}]" if f.rule else ""
    return f"{f.severity.value} {f.kind.value}{rule}: {f.message}" + (" (waived)" if f.waived else "")


def signature_text(report: Report) -> str:
    return " | ".join(f"{k}={v}" for k, v in report.signature.items())


def report_rows(report: Report) -> list[dict]:
    doc = report.original.name or "document"
    signature = signature_text(report)
    rows = []
    for k, sb in enumerate(report.beads):
        b = sb.bead
        rows.append({
            "document": doc,
            "bead": k,
            "type": b.kind.value,
            "shape": b.shape,
            "moved": b.moved,
            "src_indexes": _indexes(b.src),
            "tgt_indexes": _indexes(b.tgt),
            "original": report.original.join(b.src),
            "translation": report.translation.join(b.tgt),
            "bleu": _round(sb.scores.bleu, 2),
            "chrf": _round(sb.scores.chrf, 2),
            "similarity": _round(sb.scores.similarity, 4),
            "confidence": _round(b.confidence, 4),
            "verdict": sb.verdict.value,
            "flag_count": len(sb.flags),
            "flags": "; ".join(flag_text(f) for f in sb.flags),
            "signature": signature,
        })
    return rows


def report_table(report: Report):
    import pandas as pd

    table = pd.DataFrame(report_rows(report), columns=list(COLUMNS))
    table.attrs["signature"] = dict(report.signature)
    return table


def render_csv(report: Report) -> str:
    # The BOM makes Excel read the file as UTF-8; CRLF is what RFC 4180 and Excel expect.
    return "\ufeff" + report_table(report).to_csv(index=False, lineterminator="\r\n")
