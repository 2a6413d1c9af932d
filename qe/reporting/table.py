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
    risk          how likely the sentence is wrong, 0..1 (qe.risk); the verdict comes from it
    explanation   what moved the risk most, in words ("name changed: Kherson → Hosen; similarity low")
    verdict       ok, check or wrong
    flag_count    number of name/number flags (waived ones included)
    flags         the flags as text, one "severity kind [rule]: message" per flag, "; "-separated
    signature     how the numbers were made (qe version, model, sacrebleu signatures…)
"""

from __future__ import annotations

from qe.models import COLUMNS, Report, flag_text, signature_text


def report_rows(report: Report) -> list[dict]:
    return report.rows()


def report_table(report: Report):
    return report.to_dataframe()


def render_csv(report: Report) -> str:
    import pandas as pd

    from qe.reporting.cells import spreadsheet_cell

    rows = [{c: spreadsheet_cell(v) for c, v in row.items()} for row in report_rows(report)]
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    # The BOM makes Excel read the file as UTF-8; CRLF is what RFC 4180 and Excel expect.
    return "\ufeff" + table.to_csv(index=False, lineterminator="\r\n")


__all__ = ["COLUMNS", "flag_text", "render_csv", "report_rows", "report_table", "signature_text"]
