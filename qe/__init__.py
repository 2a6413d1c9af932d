"""qe — sentence-by-sentence quality check of a translation against its original."""

__version__ = "0.1.0"

from qe.errors import ExitCode, QEError  # noqa: E402
from qe.models import (  # noqa: E402
    Bead,
    BeadScores,
    Document,
    Flag,
    FlagKind,
    Report,
    ScoredBead,
    Sentence,
    Severity,
    Thresholds,
    Verdict,
)
from qe.pipeline import CheckConfig, check  # noqa: E402

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
    "ScoredBead",
    "Sentence",
    "Severity",
    "Thresholds",
    "Verdict",
    "check",
]
