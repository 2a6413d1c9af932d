"""One cell sanitiser for every file a spreadsheet opens (report.csv,
report.xlsx, summary.csv).

A spreadsheet runs a cell as a formula when its text starts with ``=``, ``+``,
``-`` or ``@`` (and some read a leading tab or carriage return the same way):
``=HYPERLINK("http://…","Full text")`` in a translation would become a live
link in a linguist's Excel. Such a cell gets a leading apostrophe, which
spreadsheets show as the start of a literal text (OWASP, "CSV injection").
Numbers stay numbers: only text is touched. Every text cell is also passed
through the hidden-character stage, so a control or bidi character shows as
its code point instead of reaching the sheet raw (openpyxl refuses most
controls outright).
"""

from __future__ import annotations

from qe.hidden import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A value as it may go into a spreadsheet cell: numbers, booleans and
    None unchanged; text made visible and kept from being read as a formula."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = visible(str(value))
    # Spreadsheets skip leading spaces before deciding a cell is a formula.
    if text.lstrip(" \u00a0").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def spreadsheet_row(values) -> list:
    return [spreadsheet_cell(v) for v in values]
