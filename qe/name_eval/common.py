"""What every evaluation set shares: reading a TSV, and the name stage's flags
on one sentence pair, as `qe check` gives them for a one-sentence document."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable

from qe.errors import InputError, MissingFileError
from qe.models import Bead, Document, Flag, Sentence
from qe.names import check_names

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SHARED_EVAL = PROJECT_ROOT.parent / "shared" / "eval"


def read_tsv(path: Path, required: frozenset[str] | set[str] = frozenset()) -> list[dict[str, str]]:
    """Rows of a plain TSV (no quoting); lines starting with # are comments."""
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = set(required) - set(rows[0] if rows else {})
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return rows


def _one_sentence(text: str, language: str) -> Document:
    return Document(text, (Sentence(0, text, 0, 0, len(text)),), language)


def pair_flags(original: str, translation: str, language: str = "en",
               tgt_language: str | None = None, ignore_rules: Iterable[str] = ()) -> list[Flag]:
    """The flags `qe check` gives a one-sentence document and its translation
    (with the rules `ignore_rules` names switched off)."""
    extra = {"ignore_rules": tuple(ignore_rules)} if ignore_rules else {}
    return check_names(_one_sentence(original, language), _one_sentence(translation, tgt_language or language),
                       [Bead((0,), (0,))], **extra)[0]
