"""Coverage-guided fuzzing of everything qe reads from outside (atheris).

    pip install atheris
    python fuzz/fuzz_inputs.py fuzz/corpus -max_total_time=300 -timeout=10

The first byte picks a stage, the rest is its input: reading bytes as a
document, a JSONL feed line, sentence splitting, the hidden-character stage,
quantities, the spreadsheet cell sanitiser and report folder names. A crash is
any exception other than qe's own QEError, or an input slower than -timeout
seconds. New inputs that reach new code are kept in the corpus directory
(saved in the repository, so a run starts from what earlier runs found);
each crash found becomes a regression test in tests/test_hostile.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from qe.batch import report_dir_name
    from qe.errors import QEError
    from qe.feed import Feed
    from qe.hidden import comparison_form, has_hidden, hidden_findings, visible
    from qe.io import decode_text
    from qe.names import find_quantities
    from qe.reporting.cells import spreadsheet_cell
    from qe.segment import split_sentences

_FEED = Path(tempfile.mkdtemp()) / "feed.jsonl"


def _feed_line(data: bytes) -> None:
    _FEED.write_bytes(data.replace(b"\n", b" ") + b"\n")
    records = list(Feed(_FEED))
    assert len(records) == (1 if _text(data).strip() else 0)  # a blank line (Unicode blanks too) is no record
    for record in records:
        assert record.error is not None or isinstance(record.original, str)
        assert not has_hidden(record.id)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _stage(kind: int, data: bytes) -> None:
    if kind == 0:
        text = decode_text(data)
        assert "\x00" not in text
    elif kind == 1:
        _feed_line(data)
    elif kind == 2:
        for s in split_sentences(visible(_text(data)), "en").sentences:
            assert not has_hidden(s.text)
    elif kind == 3:
        text = _text(data)
        assert not has_hidden(visible(text))
        comparison_form(text)
        hidden_findings(text)
    elif kind == 4:
        for q in find_quantities(visible(_text(data))):
            assert all(abs(v) != float("inf") for v in q.readings)
    elif kind == 5:
        cell = spreadsheet_cell(_text(data))
        assert not str(cell).lstrip(" \u00a0").startswith(("=", "+", "-", "@", "\t", "\r"))
    else:
        name = report_dir_name(_text(data) or "x")
        assert "/" not in name and name not in (".", "..") and len(name.encode()) <= 200


STAGES = 7


def test_one_input(data: bytes) -> None:
    if not data:
        return
    try:
        _stage(data[0] % STAGES, data[1:])
    except QEError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
