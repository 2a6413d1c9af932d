"""qe — sentence-by-sentence quality check of a translation against its original."""

from qe.version import __version__
from qe.errors import ExitCode, QEError
from qe.models import (
    Bead,
    BeadScores,
    Document,
    Flag,
    FlagKind,
    Report,
    Risk,
    ScoredBead,
    Sentence,
    Severity,
    Thresholds,
    Verdict,
)
from qe.pipeline import CheckConfig, check

__all__ = [
    "__version__",
    "Bead",
    "BeadScores",
    "CheckConfig",
    "Document",
    "ExitCode",
    "Flag",
    "FlagKind",
    "QEError",
    "Report",
    "Risk",
    "ScoredBead",
    "Sentence",
    "Severity",
    "Thresholds",
    "Verdict",
    "check",
]
