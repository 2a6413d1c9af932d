"""check(original, translation) -> Report: the whole pipeline, no printing, no exits."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Callable, Sequence, Union

import numpy as np

from qe.align import AlignSettings, align, build_runs
from qe.embed import Embedder, calibration_for, make_embedder
from qe.errors import ConfigError
from qe.gate import decide
from qe.hidden import MAX_NAME_SENTENCE_CHARS, comparison_document, hidden_flags, over_name_cap, visible
from qe.io import DEFAULT_MAX_BYTES, read_text
from qe.metrics import PairText, Scorer
from qe.models import (
    Bead,
    BeadKind,
    BeadScores,
    CorpusScores,
    Document,
    Flag,
    Report,
    ScoredBead,
    Severity,
    Thresholds,
    Verdict,
)
from qe.names import check_names
from qe.risk import RiskModel, bead_risk, model_for, verdict_for
from qe.segment import SEGMENTER_NAME, split_sentences
from qe.version import __version__

DocumentSource = Union[str, os.PathLike, Document]


@dataclass(frozen=True)
class CheckConfig:
    """Everything that decides a result; all of it goes into the report signature."""

    src_lang: str = "en"
    tgt_lang: str | None = None  # None: same as src_lang
    model: str | None = None  # None: the bundled all-MiniLM-L6-v2
    presplit: bool = False  # one sentence per line, no segmentation
    align: AlignSettings = field(default_factory=AlignSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    max_bytes: int = DEFAULT_MAX_BYTES
    check_names: bool = True
    # Flag.key values an editor waived (qe.waivers): kept in the report, marked,
    # but they no longer decide the verdict or fail the gate.
    waivers: frozenset[str] = frozenset()
    # codes of the name/number rules switched off (qe.names.rules), sorted so
    # that repr() and the batch journal's hash do not depend on set order
    ignore_rules: tuple[str, ...] = ()
    # How src_lang/tgt_lang were decided (option, file, detected, fallback): qe.langid
    language_choices: tuple = ()
    # Paragraph i of the original is paragraph i of the translation (the units
    # of a bilingual file): beads never cross a paragraph; placeholders are masked
    # before the name stage
    paired_paragraphs: bool = False
    placeholders: bool = False
    check_language: bool = True  # wrong-language and untranslated sentences (qe.langid)

    @property
    def target_language(self) -> str:
        return self.tgt_lang or self.src_lang

    @property
    def same_language(self) -> bool:
        return self.target_language == self.src_lang

    @property
    def needs_multilingual_model(self) -> bool:
        """The bundled default model reads English only: any other language, on
        either side, gets the multilingual one (unless --model says otherwise)."""
        return not (self.src_lang == "en" and self.target_language == "en")


def load_document(source: DocumentSource, language: str, *, presplit: bool = False,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """A path (or an already split Document) as a Document."""
    if isinstance(source, Document):
        return source
    text = read_text(source, max_bytes=max_bytes)
    # the cleaning stage: from here on, hidden characters are visible code points
    return split_sentences(visible(text), language, presplit=presplit, name=visible(str(source)))


def resolve_languages(original: DocumentSource | str, translation: DocumentSource | str,
                      config: CheckConfig, *, texts: bool = False) -> CheckConfig:
    """`config` with 'auto' languages decided from the two texts (paths, or
    Documents, or with `texts` the texts themselves); unchanged when none is auto."""
    from qe import langid

    tgt_option = config.tgt_lang if config.tgt_lang is not None else (
        langid.AUTO if config.src_lang == langid.AUTO else config.src_lang)
    if langid.AUTO not in (config.src_lang, tgt_option):
        return config

    def text_of(source) -> str:
        if isinstance(source, Document):
            return source.text
        if texts:
            return str(source)
        return read_text(source, max_bytes=config.max_bytes)[: langid.DOCUMENT_SAMPLE_CHARS]

    return langid.resolved(config, [langid.choose("original", text_of(original), config.src_lang),
                                    langid.choose("translation", text_of(translation), tgt_option)])


def document_from_text(text: str, language: str = "en", *, presplit: bool = False, name: str = "") -> Document:
    from qe.io import normalise_text

    text = normalise_text(text, source=name or "text")
    return split_sentences(visible(text), language, presplit=presplit, name=visible(name))


def _bead_similarity(src_vecs: np.ndarray, tgt_vecs: np.ndarray, bead: Bead) -> float | None:
    if not bead.src or not bead.tgt:
        return None
    a = src_vecs[list(bead.src)].sum(axis=0)
    b = tgt_vecs[list(bead.tgt)].sum(axis=0)
    denom = float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0
    return float(a @ b) / denom


def _calibrated(t: Thresholds, model_name: str) -> tuple[Thresholds, list[str]]:
    """Fill similarity thresholds the user left unset from the model's calibration."""
    calibration, measured = calibration_for(model_name)
    resolved = dataclasses.replace(
        t,
        check_similarity=calibration.check_similarity if t.check_similarity is None else t.check_similarity,
        wrong_similarity=calibration.wrong_similarity if t.wrong_similarity is None else t.wrong_similarity,
    )
    notes = []
    if not measured and (t.check_similarity is None or t.wrong_similarity is None):
        notes.append(f"model {model_name!r} has no calibration: similarity verdicts use the default model's "
                     "thresholds; set --check-similarity/--wrong-similarity for its scale")
    return resolved, notes


def _risk_settings(t: Thresholds, model_name: str, crosslingual: bool) -> tuple[Thresholds, RiskModel, list[str]]:
    """The risk model for the embedding model, and cut points the user left unset from it."""
    model, fitted = model_for(model_name, crosslingual)
    t = dataclasses.replace(t, check_risk=model.check_cut if t.check_risk is None else t.check_risk,
                            wrong_risk=model.wrong_cut if t.wrong_risk is None else t.wrong_risk)
    notes = [] if fitted else [
        f"risk is not calibrated for model {model_name!r}{' across languages' if crosslingual else ''}: "
        f"it uses the coefficients fitted for "
        f"{model.embedding_model!r}, whose similarities are on another scale (qe calibrate fits one)"]
    return t, model, notes


def _scored(bead: Bead, scores: BeadScores, flags: list[Flag], src: Document, tgt: Document, model: RiskModel,
            t: Thresholds) -> ScoredBead:
    risk = bead_risk(model, bead, scores, flags, src.join(bead.src), tgt.join(bead.tgt),
                     languages=(src.language, tgt.language))
    return ScoredBead(bead, scores, tuple(flags), verdict_for(risk.value, t.check_risk, t.wrong_risk), risk)


def _relatedness_note(beads: list[Bead], sims: list[float | None], n_src: int, t: Thresholds) -> list[str]:
    """Say so when the 'translation' is not a translation of this original:
    most sentences unpaired, or the paired ones no more alike than strangers."""
    paired = sum(len(b.src) for b in beads if b.src and b.tgt)
    values = [s for s in sims if s is not None]
    median = float(np.median(values)) if values else 0.0
    if n_src >= 3 and (paired / n_src < 0.5 or median < t.wrong_similarity):
        return [f"unrelated documents: the aligned sentences are no more alike than unrelated ones "
                f"(median similarity {median:.2f}, below {t.wrong_similarity:.2f}; {paired} of {n_src} original "
                "sentences paired at all); is this a translation of a different document? "
                "Name and number checks were skipped."]
    return []


@dataclass(frozen=True)
class _Aligned:
    src: Document
    tgt: Document
    src_vecs: np.ndarray
    tgt_vecs: np.ndarray
    beads: tuple[Bead, ...]
    model_name: str
    embedder: Embedder


def _align(original: DocumentSource, translation: DocumentSource, config: CheckConfig,
           embedder: Embedder | None) -> _Aligned:
    if config.align.max_run < 1 or config.align.max_bead < 2:
        raise ConfigError("alignment needs max_run >= 1 and max_bead >= 2")
    src = load_document(original, config.src_lang, presplit=config.presplit, max_bytes=config.max_bytes)
    tgt = load_document(translation, config.target_language, presplit=config.presplit, max_bytes=config.max_bytes)
    embedder = embedder or make_embedder(config.model, multilingual=config.needs_multilingual_model)
    vectors = encode_once(embedder, src.texts() + tgt.texts())
    src_vecs, tgt_vecs = vectors[: len(src)], vectors[len(src):]
    lexical_weight = config.align.lexical_weight if config.same_language else 0.0
    if config.paired_paragraphs:
        beads = _align_paired(src, tgt, src_vecs, tgt_vecs, config, lexical_weight)
    else:
        beads = align(_runs(src, src_vecs, config, lexical_weight), _runs(tgt, tgt_vecs, config, lexical_weight),
                      config.align).beads
    return _Aligned(src, tgt, src_vecs, tgt_vecs, beads, embedder.name, embedder)


def _paragraph_spans(doc: Document) -> dict[int, list[int]]:
    spans: dict[int, list[int]] = {}
    for s in doc.sentences:
        spans.setdefault(s.paragraph, []).append(s.index)
    return spans


def _align_paired(src: Document, tgt: Document, src_vecs: np.ndarray, tgt_vecs: np.ndarray,
                  config: CheckConfig, lexical_weight: float) -> tuple[Bead, ...]:
    """Beads of documents whose paragraphs correspond one to one (units of a
    bilingual file): one sentence each is one bead; several are aligned inside
    the pair only, so nothing ever moves between units."""
    src_spans, tgt_spans = _paragraph_spans(src), _paragraph_spans(tgt)
    beads: list[Bead] = []
    for p in sorted(set(src_spans) | set(tgt_spans)):
        s_idx, t_idx = src_spans.get(p, []), tgt_spans.get(p, [])
        if len(s_idx) <= 1 and len(t_idx) <= 1:
            beads.append(Bead(tuple(s_idx), tuple(t_idx)))
            continue
        if not s_idx or not t_idx:
            beads.append(Bead(tuple(s_idx), tuple(t_idx)))
            continue
        sub_src = dataclasses.replace(src, sentences=tuple(src.sentences[i] for i in s_idx))
        sub_tgt = dataclasses.replace(tgt, sentences=tuple(tgt.sentences[j] for j in t_idx))
        inner = align(_runs(sub_src, src_vecs[s_idx], config, lexical_weight),
                      _runs(sub_tgt, tgt_vecs[t_idx], config, lexical_weight), config.align).beads
        for b in inner:
            beads.append(dataclasses.replace(b, src=tuple(s_idx[i] for i in b.src), tgt=tuple(t_idx[j] for j in b.tgt)))
    return tuple(beads)


def encode_once(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Vectors for `texts`, each distinct text sent to the model once: boilerplate
    and repeated lines (a feed's bylines, a list's bullets) are common, and the
    model is the slowest stage. Cache or not, a run never embeds a text twice."""
    unique = list(dict.fromkeys(texts))
    vectors = embedder.encode(unique)
    if len(unique) == len(texts):
        return vectors
    where = {t: i for i, t in enumerate(unique)}
    return vectors[[where[t] for t in texts]]


def _runs(doc: Document, vectors: np.ndarray, config: CheckConfig, lexical_weight: float):
    """The aligner's input for one side, from sentence vectors already computed."""
    return build_runs(doc.texts(), None, max_run=config.align.max_run, lexical_weight=lexical_weight,
                      sentence_vectors=vectors)


def aligned_documents(original: DocumentSource, translation: DocumentSource, config: CheckConfig | None = None,
                      *, embedder: Embedder | None = None) -> tuple[Document, Document, tuple[Bead, ...]]:
    """Split and align only: the two documents and the beads."""
    config = resolve_languages(original, translation, config or CheckConfig())
    a = _align(original, translation, config, embedder)
    return a.src, a.tgt, a.beads


def check(
    original: DocumentSource,
    translation: DocumentSource,
    config: CheckConfig | None = None,
    *,
    back_translation: DocumentSource | None = None,
    embedder: Embedder | None = None,
    extra_checks: Sequence[Callable[[Document, Document, Sequence[Bead]], list[list[Flag]]]] = (),
) -> Report:
    """Align, score and name-check `translation` against `original`.

    When the translation is in another language, `back_translation` (a
    back-translation, or any reference in the original's language) lets BLEU and
    chrF be measured too: it is aligned with the original and each bead's
    BLEU/chrF comes from the back-translation sentences paired with its
    original sentences, while similarity and name checks stay on the translation.
    """
    config = resolve_languages(original, translation, config or CheckConfig())
    a = _align(original, translation, config, embedder)
    src, tgt, beads = a.src, a.tgt, list(a.beads)

    scorer = Scorer(lexical=config.same_language)
    pairs = [PairText(src.join(b.src), tgt.join(b.tgt)) for b in beads]
    sims = [_bead_similarity(a.src_vecs, a.tgt_vecs, b) for b in beads]
    scores = scorer.score(pairs, sims)
    corpus = scorer.corpus(pairs, sims)
    via_back: dict[str, str] = {}
    if back_translation is not None:
        back = load_document(back_translation, config.src_lang, presplit=config.presplit, max_bytes=config.max_bytes)
        scores, corpus, via_back = _scores_via_back_translation(a, back, beads, sims, config)
    t, calibration_note = _calibrated(config.thresholds, a.model_name)
    unrelated = _relatedness_note(beads, sims, len(src), t)
    # names of an unrelated text are all "missing" or "changed": noise, not findings
    run_names = config.check_names and not unrelated
    # names are compared as a reader sees them: a disguised "Кherson" is Kherson,
    # and the hidden-characters flag says what disguised it; placeholders of
    # bilingual units are blanked first, so {UserName} is never a name
    if run_names:
        names_src, names_tgt = comparison_document(src), comparison_document(tgt)
        if config.placeholders:
            from qe.placeholders import mask_document

            names_src, names_tgt = mask_document(names_src), mask_document(names_tgt)
        flag_lists = check_names(names_src, names_tgt, beads, ignore_rules=config.ignore_rules)
    else:
        flag_lists = [[] for _ in beads]
    flag_lists = [hidden + list(fl) for hidden, fl in zip(hidden_flags(src, tgt, beads), flag_lists)]
    checks = list(extra_checks)
    if config.check_language:
        from qe.langid import language_flags

        checks.append(language_flags)
    for extra in checks:
        flag_lists = [[*fl, *more] for fl, more in zip(flag_lists, extra(src, tgt, beads))]
    if config.check_language:
        from qe.langid import supersede

        flag_lists = [supersede(fl, b) for fl, b in zip(flag_lists, beads)]
    if config.waivers:
        flag_lists = [[dataclasses.replace(f, waived=True) if f.key in config.waivers else f for f in fl]
                      for fl in flag_lists]

    t, risk_model, risk_note = _risk_settings(t, a.model_name, not config.same_language)
    scored = [_scored(b, s, f, src, tgt, risk_model, t)
              for b, s, f in zip(beads, scores, flag_lists)]
    notes = unrelated + calibration_note + risk_note
    notes.extend(n for n in (c.note() for c in config.language_choices) if n)
    if config.check_language:
        from qe.langid import mixed_note

        notes.extend(n for n in [mixed_note(src, "original")] if n)
    if not config.check_names:
        notes.append("names and numbers were not checked")
    elif run_names:
        too_long = over_name_cap(src) + over_name_cap(tgt)
        if too_long:
            notes.append(f"{too_long} sentence(s) longer than {MAX_NAME_SENTENCE_CHARS:,} characters were not "
                         "checked for names and numbers")
    if via_back:
        notes.append(f"BLEU and chrF compare the original with the back-translation {back.name or ''}; "
                     "similarity and name checks compare it with the translation")
    elif not config.same_language:
        notes.append(f"BLEU and chrF are not applicable: the original is '{config.src_lang}' and the "
                     f"translation '{config.target_language}'; similarity and name checks apply")
    signature = {
        "qe": __version__,
        "model": a.model_name,
        "segmenter": "presplit" if config.presplit else f"{SEGMENTER_NAME}:{config.src_lang}/{config.target_language}",
        "alignment": config.align.describe() + ("|within-units" if config.paired_paragraphs else ""),
        **(via_back or scorer.signatures()),
        "risk": risk_model.id + ("" if not risk_note else " (uncalibrated for this model)"),
        "thresholds": "|".join(f"{k}:{v}" for k, v in dataclasses.asdict(t).items()),
    }
    if config.language_choices:
        signature["languages"] = "; ".join(f"{c.side} {c.describe()}" for c in config.language_choices)
    if config.waivers:
        signature["waivers"] = str(len(config.waivers))
    if config.ignore_rules:
        signature["ignored rules"] = ",".join(config.ignore_rules)
    return Report(
        original=src, translation=tgt, beads=tuple(scored),
        corpus=corpus, thresholds=t,
        gate=decide(scored, len(src), len(tgt), t, corpus=corpus, blocking=unrelated),
        signature=signature, notes=tuple(notes),
    )


def _scores_via_back_translation(a: _Aligned, back: Document, beads: list[Bead], sims: list[float | None],
                                 config: CheckConfig) -> tuple[list[BeadScores], CorpusScores, dict[str, str]]:
    """BLEU/chrF per bead of the original↔translation alignment, measured on the
    back-translation sentences that a second, same-language alignment pairs
    with the bead's original sentences."""
    back_vecs = encode_once(a.embedder, back.texts())
    weight = config.align.lexical_weight  # original and back-translation share a language
    src_to_back: dict[int, tuple[int, ...]] = {}
    for bead in align(_runs(a.src, a.src_vecs, config, weight), _runs(back, back_vecs, config, weight),
                      config.align).beads:
        for i in bead.src:
            src_to_back[i] = bead.tgt
    lexical = Scorer(lexical=True)
    pairs = []
    for bead in beads:
        back_idx = tuple(sorted({j for i in bead.src for j in src_to_back.get(i, ())}))
        pairs.append(PairText(a.src.join(bead.src), back.join(back_idx) if bead.tgt else ""))
    scores = lexical.score(pairs, sims)
    corpus = lexical.corpus(pairs, sims)
    return scores, corpus, {f"{k} (back-translation)": v for k, v in lexical.signatures().items()}
