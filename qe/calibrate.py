"""Human scores -> a risk model: read judged sentence pairs, measure them as the
pipeline does, fit the logistic model, and say how well it orders them.

Input (`read_judgements`):
- a plain TSV of `original<TAB>translation<TAB>score` (higher score = better),
  with or without a header naming those three columns; rows that share an
  original form one group;
- or a WMT MQM file as in eval/wmt21-mqm-dev (header `lp system kind seg_id src
  mt ref ref_name mqm`): `ref` is the original, `mt` the translation, `mqm`
  the score, `seg_id` the group (the systems' translations of one segment).

Each row is one bead of a one-bead pair: both sides are split into sentences
as `check` splits them, each sentence embedded (through the embedding cache),
and the bead gets qe's own similarity, BLEU, chrF and name/number flags, so
the model learns from exactly the features it will later read.

The fit's figures are cross-validated by group (`folds` folds of whole
groups): every row is scored by a model fitted without its group, so no row is
scored by a model that saw it or a sibling translation of its segment.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from qe.agreement import Estimate, accuracy_at, bootstrap, kendall_tau_b, pairwise_accuracy
from qe.errors import InputError
from qe.risk import FEATURES, RiskModel, Term, bead_features, model_for

WMT_COLUMNS = ("lp", "system", "kind", "seg_id", "src", "mt", "ref", "ref_name", "mqm")
PLAIN_COLUMNS = ("original", "translation", "score")
# An MQM score at or below this holds at least one major error (minor -1, major -5).
MQM_MAJOR = -5.0

# Features a table of judged sentence pairs cannot show, so a fit keeps the
# hand-set term of the model it starts from: no omitted/added/moved beads, no
# aligner confidence on a one-bead pair, nothing copied within one language.
UNFITTABLE = ("low_confidence", "moved", "copied")


@dataclass(frozen=True)
class Judgement:
    original: str
    translation: str
    score: float
    group: str


@dataclass(frozen=True)
class Judgements:
    rows: tuple[Judgement, ...]
    language: str  # of the original
    source: str
    skipped: int = 0  # rows with an empty side: nothing to measure
    target_language: str | None = None  # of the translation; None: the original's

    @property
    def languages(self) -> tuple[str, str]:
        return self.language, self.target_language or self.language

    @property
    def crosslingual(self) -> bool:
        return self.languages[0] != self.languages[1]


def _usable(rows: list[Judgement], languages: tuple[str, str], source: str) -> Judgements:
    kept = tuple(r for r in rows if r.original.strip() and r.translation.strip())
    return Judgements(kept, languages[0], source, skipped=len(rows) - len(kept), target_language=languages[1])


def read_judgements(path: str | Path, language: str = "en", target_language: str | None = None, *,
                    source_side: bool = False) -> Judgements:
    """A judged-pairs TSV (see the module docstring); a clear error for anything
    else. `source_side`: a WMT file's `src` is the original instead of `ref`
    (the translation is then in another language: the cross-language case)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    lines = [ln.split("\t") for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputError(f"{path}: no rows")
    header = tuple(c.strip().lower() for c in lines[0])
    if header[: len(WMT_COLUMNS)] == WMT_COLUMNS:
        return _wmt_rows(path, lines[1:], source_side)
    body = lines[1:] if header[:3] == PLAIN_COLUMNS else lines
    rows = []
    for n, cells in enumerate(body, start=2 if body is not lines else 1):
        if len(cells) < 3:
            raise InputError(f"{path}:{n}: expected original<TAB>translation<TAB>score, found {len(cells)} column(s)")
        rows.append(Judgement(cells[0], cells[1], _score(cells[2], path, n), group=cells[0]))
    return _usable(rows, (language, target_language or language), str(path))


def _score(cell: str, path: Path, n: int) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise InputError(f"{path}:{n}: score {cell[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{path}:{n}: score must be a finite number")
    return value


def _wmt_rows(path: Path, body: list[list[str]], source_side: bool) -> Judgements:
    rows, langs = [], set()
    for n, cells in enumerate(body, start=2):
        if len(cells) < len(WMT_COLUMNS):
            raise InputError(f"{path}:{n}: expected {len(WMT_COLUMNS)} columns, found {len(cells)}")
        rec = dict(zip(WMT_COLUMNS, cells))
        langs.add(rec["lp"])
        original = rec["src"] if source_side else rec["ref"]
        rows.append(Judgement(original, rec["mt"], _score(rec["mqm"], path, n), group=rec["seg_id"]))
    if len(langs) != 1:
        raise InputError(f"{path}: one language pair per file, found {', '.join(sorted(langs))}")
    src, _, tgt = langs.pop().partition("-")
    return _usable(rows, (src if source_side else tgt, tgt), str(path))


# ------------------------------------------------------------------ measuring

def measure(judgements: Judgements, embedder, *, names: bool = True) -> list[dict[str, float | None]]:
    """Each row's risk features, through the pipeline's own stages on a one-bead
    pair; `names=False` where the risk model does not read flags (its
    flag_languages), as the pipeline then does not."""
    from qe.metrics import PairText, Scorer
    from qe.models import Bead
    from qe.names import check_names
    from qe.pipeline import _bead_similarity
    from qe.segment import split_sentences

    src_lang, tgt_lang = judgements.languages
    same = not judgements.crosslingual
    docs = [(split_sentences(r.original, src_lang, name="original"),
             split_sentences(r.translation, tgt_lang, name="translation")) for r in judgements.rows]
    texts = sorted({s.text for pair in docs for d in pair for s in d.sentences})
    vectors = embedder.encode(texts)
    where = {t: k for k, t in enumerate(texts)}
    scorer = Scorer(lexical=same)
    out = []
    for (src, tgt), row in zip(docs, judgements.rows):
        bead = Bead(tuple(range(len(src))), tuple(range(len(tgt))))
        src_vecs = vectors[[where[s.text] for s in src.sentences]]
        tgt_vecs = vectors[[where[s.text] for s in tgt.sentences]]
        sim = _bead_similarity(src_vecs, tgt_vecs, bead)
        scores = scorer.score([PairText(src.join(bead.src), tgt.join(bead.tgt))], [sim])[0]
        flags = check_names(src, tgt, [bead])[0] if names else None
        out.append(bead_features(bead, scores, flags, src.join(bead.src), tgt.join(bead.tgt), same_language=same))
    return out


# ------------------------------------------------------------------ fitting

def _matrix(features: Sequence[dict], names: Sequence[str], centers: np.ndarray) -> np.ndarray:
    """Feature rows as an array, a missing value at its center (it then contributes nothing)."""
    x = np.array([[np.nan if f.get(n) is None else f[n] for n in names] for f in features], dtype=float)
    return np.where(np.isnan(x), centers, x)


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iterations: int = 50) -> tuple[float, np.ndarray]:
    """Intercept and weights of an L2-penalised logistic regression (Newton's
    method; the intercept is not penalised). `y` may be fractional."""
    n, k = x.shape
    a = np.c_[np.ones(n), x]
    beta = np.zeros(k + 1)
    penalty = np.r_[0.0, np.full(k, l2)]
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ beta, -30, 30)))
        grad = a.T @ (p - y) + penalty * beta
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(penalty) + 1e-9 * np.eye(k + 1)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(beta[0]), beta[1:]


def fit_model(features: Sequence[dict], targets: np.ndarray, base: RiskModel, *, fitted_on: str,
              target: str) -> RiskModel:
    """`base` refitted: every feature the data shows (and that varies) gets a new
    center, scale and weight; one the data does not show has no term; the
    UNFITTABLE ones, the fixed risks and the cut points stay as `base` set them."""
    base_terms = {t.feature: t for t in base.terms}
    raw = np.array([[np.nan if f.get(n) is None else f[n] for n in FEATURES] for f in features], dtype=float)
    fitted, kept = [], []
    for k, name in enumerate(FEATURES):
        col = raw[:, k][~np.isnan(raw[:, k])]
        if name in UNFITTABLE:
            if name in base_terms:
                kept.append(base_terms[name])
            continue
        if len(col) < 2 or np.std(col) == 0:  # the data cannot weigh it: no term
            continue
        fitted.append((name, float(np.mean(col)), float(np.std(col))))
    names = [n for n, _, _ in fitted]
    centers = np.array([c for _, c, _ in fitted])
    scales = np.array([s for _, _, s in fitted])
    x = (_matrix(features, names, centers) - centers) / scales
    intercept, weights = fit_logistic(x, targets)
    terms = [Term(n, float(w), c, s, fitted=True) for (n, c, s), w in zip(fitted, weights)]
    return replace(base, intercept=intercept, terms=tuple(terms) + tuple(kept), fitted_on=fitted_on, target=target)


def folds_by_group(groups: Sequence[str], folds: int, seed: int = 0) -> np.ndarray:
    """A fold number per row; all rows of a group share one."""
    uniq = sorted(set(groups))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(uniq))
    fold_of = {uniq[k]: pos % folds for pos, k in enumerate(order)}
    return np.array([fold_of[g] for g in groups])


def cross_validated(features: Sequence[dict], targets: np.ndarray, groups: Sequence[str], base: RiskModel,
                    *, folds: int = 10, seed: int = 0) -> np.ndarray:
    """Each row's risk from a model fitted on the other folds only (with the
    major-flag floor, as the pipeline scores a bead)."""
    fold = folds_by_group(groups, folds, seed)
    out = np.zeros(len(features))
    for k in range(folds):
        test = np.flatnonzero(fold == k)
        if not len(test):
            continue
        train = np.flatnonzero(fold != k)
        model = fit_model([features[i] for i in train], targets[train], base, fitted_on="", target="")
        out[test] = [model.risk(features[i]) for i in test]
    return out


def major_targets(scores: np.ndarray, bad_at: float = MQM_MAJOR) -> np.ndarray:
    """1 where the judges found a major error (score at or below `bad_at`)."""
    return (scores <= bad_at).astype(float)


# ------------------------------------------------------------------ figures

# Single measures as baselines, oriented so that higher = better like the human scores.
BASELINES: dict[str, Callable[[dict], float | None]] = {
    "similarity": lambda f: f["similarity"],
    "chrF": lambda f: f["chrf"],
    "BLEU": lambda f: f["bleu"],
    "length ratio": lambda f: -f["length_ratio"] if f["length_ratio"] is not None else None,
    "name/number flags": lambda f: None if f["major_name_flags"] is None else
    -(f["major_name_flags"] + f["major_number_flags"] + 0.5 * f["minor_flags"]),
    "other-script text": lambda f: -f["foreign_script"] if f["foreign_script"] is not None else None,
    "sentence length": lambda f: -f["length"] if f["length"] is not None else None,
}


@dataclass(frozen=True)
class Agreement:
    measure: str
    tau_b: Estimate
    acc_eq: Estimate  # pooled over all items; interval only where asked (it costs a pass over all pairs)
    epsilon: float  # the tie calibration's epsilon
    acc_eq_by_item: float  # pairs within a group only (the translations of one original)


def agreement(measure: str, human: np.ndarray, metric: np.ndarray, groups: Sequence[str], *,
              resamples: int = 200, acc_resamples: int = 0, seed: int = 0) -> Agreement:
    """tau_b and tie-calibrated pairwise accuracy of one score, with bootstrap
    intervals over groups (acc_eq's at the epsilon chosen on all rows)."""
    tau = bootstrap(lambda rows, _: kendall_tau_b(human[rows], metric[rows]), groups, resamples=resamples,
                    seed=seed)
    pooled = pairwise_accuracy(human, metric)
    acc = bootstrap(lambda rows, _: accuracy_at(human[rows], metric[rows], pooled.epsilon), groups,
                    resamples=acc_resamples, seed=seed)
    acc = Estimate(pooled.accuracy, acc.low, acc.high)
    by_item = pairwise_accuracy(human, metric, groups).accuracy
    return Agreement(measure, tau, acc, pooled.epsilon, by_item)


def baseline_values(features: Sequence[dict], name: str) -> np.ndarray:
    values = [BASELINES[name](f) for f in features]
    if all(v is None for v in values):
        return np.array([])
    fill = float(np.nanmean([np.nan if v is None else v for v in values]))
    return np.array([fill if v is None else v for v in values], dtype=float)


@dataclass(frozen=True)
class Calibration:
    """A fit and its evidence: the model fitted on every row, and the
    cross-validated agreement of its risk next to each single measure's."""

    model: RiskModel
    rows: int
    groups: int
    folds: int
    risk: Agreement
    baselines: tuple[Agreement, ...]


def calibrate(judgements: Judgements, features: Sequence[dict], base: RiskModel, *, folds: int = 10,
              resamples: int = 200, seed: int = 0, bad_at: float = MQM_MAJOR) -> Calibration:
    human = np.array([r.score for r in judgements.rows])
    groups = [r.group for r in judgements.rows]
    if len(set(groups)) < folds:
        raise InputError(f"{judgements.source}: {len(set(groups))} groups of rows; cross-validation needs at "
                         f"least {folds} (--folds)")
    targets = major_targets(human, bad_at)
    if targets.min() == targets.max():
        raise InputError(f"{judgements.source}: every score is on one side of {bad_at:g}; nothing to fit "
                         "(see --bad-at)")
    held_out = cross_validated(features, targets, groups, base, folds=folds, seed=seed)
    risk = agreement("risk (cross-validated)", human, -held_out, groups, resamples=resamples,
                     acc_resamples=resamples, seed=seed)
    baselines = []
    for name in BASELINES:
        values = baseline_values(features, name)
        if len(values):
            baselines.append(agreement(name, human, values, groups, resamples=resamples, seed=seed))
    figures = {
        "rows": str(len(human)), "groups": str(len(set(groups))),
        "tau_b": f"{risk.tau_b}", "acc_eq": f"{risk.acc_eq}",
        "cross_validation": f"{folds} folds by group, seed {seed}",
    }
    target = f"probability that the score is at most {bad_at:g} (MQM: a major error)"
    model = fit_model(features, targets, base, fitted_on=Path(judgements.source).name, target=target)
    model = replace(model, figures=figures)
    return Calibration(model, len(human), len(set(groups)), folds, risk, tuple(baselines))


def format_agreement(result: Calibration) -> str:
    lines = ["measure\ttau_b [95% CI]\tacc_eq [95% CI]\tepsilon\tacc_eq by item"]
    for a in (result.risk, *result.baselines):
        acc = str(a.acc_eq) if a.acc_eq.low != a.acc_eq.high else f"{a.acc_eq.value:.3f}"
        lines.append(f"{a.measure}\t{a.tau_b}\t{acc}\t{a.epsilon:.4g}\t{a.acc_eq_by_item:.3f}")
    return "\n".join(lines)


def model_for_embedder(name: str, crosslingual: bool = False) -> RiskModel:
    """The starting point of a fit: the shipped model for this embedder and
    setting, or the default one renamed."""
    model, fitted = model_for(name, crosslingual)
    if fitted:
        return model
    return replace(model, id=_slug(name) + ("-cross" if crosslingual else ""), embedding_model=name,
                   crosslingual=crosslingual)


def _slug(name: str) -> str:
    keep = "".join(c.lower() if c.isalnum() else "-" for c in name.split(" (")[0])
    return "-".join(p for p in keep.split("-") if p) or "model"


def format_coefficients(model: RiskModel) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["feature", "weight", "center", "scale", "fitted"])
    writer.writerow(["(intercept)", f"{model.intercept:.3f}", "", "", ""])
    for t in model.terms:
        writer.writerow([t.feature, f"{t.weight:.3f}", f"{t.center:.4g}", f"{t.scale:.4g}",
                         "yes" if t.fitted else "hand-set"])
    return buf.getvalue()


__all__ = ["Agreement", "Judgement", "Judgements", "agreement", "cross_validated", "fit_logistic", "fit_model",
           "folds_by_group", "major_targets", "measure", "read_judgements"]
