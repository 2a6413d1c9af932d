"""Report -> an Excel workbook: the CSV table on sheet "beads", the gate,
scores, thresholds and signature on sheet "report"."""

from __future__ import annotations

import dataclasses
import io

from qe.models import Report
from qe.reporting.cells import spreadsheet_row
from qe.reporting.summary import setting_text
from qe.reporting.table import COLUMNS, report_rows

_WIDTHS = {"original": 60, "translation": 60, "flags": 50, "signature": 30, "document": 18}
_NUMBER_FORMATS = {"bleu": "0.0", "chrf": "0.0", "similarity": "0.000", "confidence": "0.000"}
_VERDICT_FILL = {"ok": "E6F4EA", "check": "FFF4D6", "wrong": "FCE4E4"}


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "beads"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    verdict_col = COLUMNS.index("verdict")
    for row in report_rows(report):
        ws.append(spreadsheet_row(row[c] for c in COLUMNS))
        cells = ws[ws.max_row]
        for name, cell in zip(COLUMNS, cells, strict=True):
            cell.alignment = wrap if name in _WIDTHS else top
            if name in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[name]
        fill = _VERDICT_FILL.get(row["verdict"])
        if fill:
            cells[verdict_col].fill = PatternFill("solid", start_color=fill, end_color=fill)
    for i, name in enumerate(COLUMNS, 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = _WIDTHS.get(name, 11)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    meta = wb.create_sheet("report")
    meta.append(["item", "value"])
    meta["A1"].font = meta["B1"].font = Font(bold=True)
    meta.append(spreadsheet_row(["gate", "passed" if report.passed else "failed"]))
    for reason in report.gate.reasons:
        meta.append(spreadsheet_row(["gate reason", reason]))
    for note in report.notes:
        meta.append(spreadsheet_row(["note", note]))
    for k, v in dataclasses.asdict(report.corpus).items():
        meta.append(spreadsheet_row([f"document {k}", "n/a" if v is None else v]))
    for k, v in dataclasses.asdict(report.thresholds).items():
        meta.append(spreadsheet_row([f"threshold {k}", setting_text(v) if v is None or isinstance(v, (list, tuple)) else v]))
    for k, v in report.signature.items():
        meta.append(spreadsheet_row([f"signature {k}", v]))
    meta.column_dimensions["A"].width = 32
    meta.column_dimensions["B"].width = 100

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
