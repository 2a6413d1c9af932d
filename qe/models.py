"""The small, immutable values passed between pipeline stages.

read/segment -> Document(Sentence…) -> align -> Bead… -> score -> BeadScores
-> names -> Flag… -> pipeline -> Report.

Every stage takes and returns these; none of them holds a model, a file handle
or anything that cannot be pickled, so a Report can cross a process boundary.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported only when a table is asked for
    import pandas as pd


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, with where it stands in the text."""

    index: int
    text: str
    paragraph: int
    start: int  # character offset in Document.text
    end: int


@dataclass(frozen=True)
class Document:
    """A text split into sentences; `language` is an ISO 639-1 code."""

    text: str
    sentences: tuple[Sentence, ...]
    language: str = "en"
    name: str = ""

    def __len__(self) -> int:
        return len(self.sentences)

    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def join(self, indexes: tuple[int, ...]) -> str:
        return " ".join(self.sentences[i].text for i in indexes)


class BeadKind(str, enum.Enum):
    """What happened to the original's sentences in a bead."""

    MATCH = "match"  # 1-1
    MERGED = "merged"  # several original sentences became one
    SPLIT = "split"  # one original sentence became several
    MANY = "many-to-many"
    OMITTED = "omitted"  # original sentence(s) with no counterpart
    ADDED = "added"  # translation sentence(s) with no counterpart
    MOVED = "moved"  # matched, but out of order


@dataclass(frozen=True)
class Bead:
    """A group of original sentences aligned to a group of translation sentences.

    `src`/`tgt` are sentence indexes; either may be empty (omission/addition).
    `confidence` is in [0, 1] where the aligner can say it; `moved` marks a pair
    found out of order after the monotonic pass.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float | None = None
    moved: bool = False

    @property
    def kind(self) -> BeadKind:
        if self.moved:
            return BeadKind.MOVED
        n, m = len(self.src), len(self.tgt)
        if m == 0:
            return BeadKind.OMITTED
        if n == 0:
            return BeadKind.ADDED
        if n == 1 and m == 1:
            return BeadKind.MATCH
        if m == 1:
            return BeadKind.MERGED
        if n == 1:
            return BeadKind.SPLIT
        return BeadKind.MANY

    @property
    def shape(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def bead_format(self) -> str:
        """The common aligner notation, e.g. ``[0]:[0, 1]`` or ``[]:[5]``."""
        return f"[{', '.join(map(str, self.src))}]:[{', '.join(map(str, self.tgt))}]"


@dataclass(frozen=True)
class BeadScores:
    """Scores of one bead. None means not applicable, never zero-by-default."""

    bleu: float | None = None
    chrf: float | None = None
    similarity: float | None = None


class Severity(str, enum.Enum):
    MAJOR = "major"
    MINOR = "minor"


class FlagKind(str, enum.Enum):
    """The ways a name, number, placeholder or language can go wrong in a translation."""

    MISSING = "missing"  # gone from the counterpart sentence
    CHANGED = "changed"  # became another name or word
    COMMON_WORD = "common-word"  # a name part was replaced by a dictionary word
    VARIANT = "spelling-variant"  # the same name spelled another way
    ADDED = "added"  # a name the original does not have
    NUMBER_CHANGED = "number-changed"
    NUMBER_MISSING = "number-missing"
    HIDDEN = "hidden-characters"  # control, bidi, invisible or look-alike characters (qe.hidden)
    # qe.langid: the translation is not in the translation's language
    WRONG_LANGUAGE = "wrong-language"  # a sentence reads as another language
    UNTRANSLATED = "untranslated"  # the original copied unchanged
    # qe.placeholders: inline tags and format placeholders of bilingual files
    PLACEHOLDER_MISSING = "placeholder-missing"
    PLACEHOLDER_ADDED = "placeholder-added"
    PLACEHOLDER_REORDERED = "placeholder-reordered"


@dataclass(frozen=True)
class Flag:
    """One problem with a name or number, located in both texts."""

    kind: FlagKind
    severity: Severity
    original: str  # what the original has ("" for an added name)
    found: str | None  # the translation's counterpart, None when nothing was found
    message: str  # one line an editor understands at a glance
    bead: int  # index into Report.beads
    src_sentence: int | None
    tgt_sentence: int | None
    category: str = "name"  # "name", "number", "language" or "placeholder"
    # An editor judged this flag acceptable (qe check --waivers): it stays in the
    # report, marked, but no longer counts towards the verdict or the gate.
    waived: bool = False
    # The code of the rule that raised it (qe.names.rules: N101 a name gone
    # missing...); "" for a flag made before flags carried their rule.
    rule: str = ""

    @property
    def key(self) -> str:
        """Stable identity for waivers: survives re-runs of an unchanged pair."""
        return f"{self.category}:{self.kind.value}:{self.original}->{self.found or ''}"


class Verdict(str, enum.Enum):
    OK = "ok"
    CHECK = "check"
    WRONG = "wrong"


@dataclass(frozen=True)
class Risk:
    """How likely a bead is to be wrong, in [0, 1], and the two or three
    things that moved it most, in an editor's words (qe.risk)."""

    value: float
    reasons: tuple[str, ...]
    model: str  # the risk model's id

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class ScoredBead:
    bead: Bead
    scores: BeadScores
    flags: tuple[Flag, ...]
    verdict: Verdict
    risk: Risk | None = None  # None only for beads built by hand (tests, old reports)


@dataclass(frozen=True)
class Thresholds:
    """What makes a sentence 'check' or 'wrong' and what fails the gate.

    A sentence's verdict comes from its risk (qe.risk): 'wrong' at or above
    `wrong_risk`, 'check' at or above `check_risk`; left unset, the cut points
    are the risk model's own (qe/data/risk/). Similarities are on the embedding
    model's own scale; their calibrations live in embed.py. They no longer
    decide verdicts: `wrong_similarity` tells unrelated documents apart, and
    with `check_similarity` and `check_chrf` marks low scores on the HTML page.
    """

    # None: from the embedding model's calibration (qe.embed.CALIBRATIONS)
    check_similarity: float | None = None  # below: shown as low
    wrong_similarity: float | None = None  # below: shown as very low; median below: unrelated documents
    check_chrf: float = 45.0  # below: shown as low
    # None: the risk model's cut points
    check_risk: float | None = None  # at or above: verdict 'check'
    wrong_risk: float | None = None  # at or above: verdict 'wrong'
    max_risk: float | None = None  # gate: a sentence's risk above this fails (None = off)
    max_omitted_fraction: float = 0.10  # gate: share of original sentences dropped
    max_added_fraction: float = 0.25
    fail_on_major_flags: bool = True
    fail_on_minor_flags: bool = False
    max_wrong_fraction: float = 1.0  # gate: share of beads judged 'wrong' (by their risk; 1.0 = off)
    # Gate on the whole-document scores; None = off. BLEU/chrF only apply when
    # both texts are in one language (a cross-language run skips them).
    min_bleu: float | None = None
    min_chrf: float | None = None
    min_similarity: float | None = None
    # Flag kinds (FlagKind values) that are reported but never fail the gate.
    ignored_flag_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class CorpusScores:
    bleu: float | None
    chrf: float | None
    similarity: float | None
    bleu_signature: str | None
    chrf_signature: str | None


@dataclass(frozen=True)
class Gate:
    passed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """Everything qe found about one original/translation pair."""

    original: Document
    translation: Document
    beads: tuple[ScoredBead, ...]
    corpus: CorpusScores
    thresholds: Thresholds
    gate: Gate
    signature: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # things the reader must know (e.g. unrelated documents)

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(f for b in self.beads for f in b.flags)

    @property
    def passed(self) -> bool:
        return self.gate.passed

    def rows(self) -> list[dict]:
        """One row per bead, the columns of COLUMNS: the table behind the CSV
        and Excel reports (documented in qe.reporting.table)."""
        doc = self.original.name or "document"
        signature = signature_text(self)
        rows = []
        for k, sb in enumerate(self.beads):
            b = sb.bead
            rows.append({
                "document": doc,
                "bead": k,
                "type": b.kind.value,
                "shape": b.shape,
                "moved": b.moved,
                "src_indexes": _indexes(b.src),
                "tgt_indexes": _indexes(b.tgt),
                "original": self.original.join(b.src),
                "translation": self.translation.join(b.tgt),
                "bleu": _round(sb.scores.bleu, 2),
                "chrf": _round(sb.scores.chrf, 2),
                "similarity": _round(sb.scores.similarity, 4),
                "confidence": _round(b.confidence, 4),
                "risk": None if sb.risk is None else _round(sb.risk.value, 4),
                "explanation": "" if sb.risk is None else sb.risk.explanation,
                "verdict": sb.verdict.value,
                "flag_count": len(sb.flags),
                "flags": "; ".join(flag_text(f) for f in sb.flags),
                "signature": signature,
            })
        return rows

    def to_dataframe(self) -> "pd.DataFrame":
        """One row per bead, the same table the CSV report holds."""
        import pandas as pd

        table = pd.DataFrame(self.rows(), columns=list(COLUMNS))
        table.attrs["signature"] = dict(self.signature)
        return table


# -- the per-bead table (Report.rows) ---------------------------------------------

COLUMNS = (
    "document", "bead", "type", "shape", "moved", "src_indexes", "tgt_indexes", "original", "translation",
    "bleu", "chrf", "similarity", "confidence", "risk", "explanation", "verdict", "flag_count", "flags", "signature",
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
