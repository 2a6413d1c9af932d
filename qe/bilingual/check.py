"""A bilingual document's translated units -> one Report, beads inside units.

Each translated unit becomes one paragraph on both sides (its sentences split
in its own language), so the pipeline aligns inside a unit and never across
units. Untranslated, empty and fuzzy units are counted in the report's notes and
signature, not checked. Placeholders are compared unit by unit and their flags
put on the unit's first bead.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Sequence

from qe import langid
from qe.bilingual.read import BilingualDocument, Unit, UnitStatus
from qe.embed import Embedder
from qe.errors import EmptyDocumentError
from qe.models import Bead, Document, Flag, FlagKind, Report, Sentence, Severity, Verdict
from qe.placeholders import compare
from qe.segment import split_sentences

_RULE_KIND = {"placeholder-missing": FlagKind.PLACEHOLDER_MISSING, "placeholder-added": FlagKind.PLACEHOLDER_ADDED,
              "placeholder-reordered": FlagKind.PLACEHOLDER_REORDERED}
_JOIN = "\n\n"


@dataclass(frozen=True)
class UnitReport:
    """The Report of one bilingual document and where each bead came from."""

    document: BilingualDocument
    report: Report
    bead_units: tuple[int, ...]  # for each bead: the index into document.units

    def findings(self) -> dict[int, list[str]]:
        """For each unit with something to say (a flag, or a sentence judged
        wrong): the lines an annotator writes on it, keyed by index into units."""
        out: dict[int, list[str]] = {}
        for sb, u in zip(self.report.beads, self.bead_units):
            lines = [f"{f.severity.value} {f.kind.value}: {f.message}" for f in sb.flags if not f.waived]
            if sb.verdict is Verdict.WRONG and not lines and sb.scores.similarity is not None:
                lines.append(f"judged wrong: similarity {sb.scores.similarity:.2f} is below "
                             f"{self.report.thresholds.wrong_similarity:.2f}")
            elif sb.verdict is Verdict.WRONG and not lines:
                lines.append(f"judged wrong: {sb.bead.kind.value} sentence")
            if lines:
                out.setdefault(u, []).extend(lines)
        return out

    def failing(self) -> set[int]:
        """Units that fail: a major flag not ignored, or a sentence judged wrong."""
        ignored = self.report.thresholds.ignored_flag_kinds
        bad = set()
        for sb, u in zip(self.report.beads, self.bead_units):
            major = any(f.severity is Severity.MAJOR and not f.waived and f.kind.value not in ignored
                        for f in sb.flags)
            if major or sb.verdict is Verdict.WRONG:
                bad.add(u)
        return bad


def _joined_document(texts: Sequence[str], language: str, name: str) -> Document:
    """One Document of several unit texts, each its own paragraph (numbered
    by its position in `texts`), split in `language`."""
    sentences: list[Sentence] = []
    offset = 0
    for p, text in enumerate(texts):
        try:
            part = split_sentences(text, language, name=name)
            spans = part.sentences
        except EmptyDocumentError:
            spans = ()
        for s in spans:
            sentences.append(Sentence(len(sentences), s.text, p, offset + s.start, offset + s.end))
        offset += len(text) + len(_JOIN)
    return Document(_JOIN.join(texts), tuple(sentences), language=language, name=name)


def _placeholder_check(units: Sequence[Unit]):
    def check(src: Document, tgt: Document, beads: Sequence[Bead]) -> list[list[Flag]]:
        out: list[list[Flag]] = [[] for _ in beads]
        seen: set[int] = set()
        for k, bead in enumerate(beads):
            idx = (bead.src or bead.tgt)[0]
            para = (src if bead.src else tgt).sentences[idx].paragraph
            if para in seen:
                continue
            seen.add(para)
            unit = units[para]
            for m in compare(unit.source.placeholders, unit.target.placeholders if unit.target else ()):
                out[k].append(Flag(kind=_RULE_KIND[m.rule], severity=m.severity, original=m.token, rule=m.code,
                                   found=None if m.rule == "placeholder-missing" else m.token,
                                   message=m.message, bead=k, category="placeholder",
                                   src_sentence=bead.src[0] if bead.src else None,
                                   tgt_sentence=bead.tgt[0] if bead.tgt else None))
        return out
    return check


def unit_config(doc: BilingualDocument, config):
    """`config` (a CheckConfig) for this document: languages from the options,
    else the file's attributes, else detection; units paired, placeholders masked."""
    if not doc.checked():
        raise EmptyDocumentError(f"{doc.path}: no translated unit to check ({status_note(doc)})")
    units = doc.checked()
    choices = [langid.choose("original", " ".join(u.source.text for u in units[:200]),
                             config.src_lang, doc.src_lang),
               langid.choose("translation", " ".join(u.target.text for u in units[:200]),
                             config.tgt_lang if config.tgt_lang is not None else langid.AUTO, doc.tgt_lang)]
    return dataclasses.replace(langid.resolved(config, choices), paired_paragraphs=True, placeholders=True)


def unit_documents(doc: BilingualDocument, config) -> tuple[Document, Document]:
    units = doc.checked()
    name = doc.path + (f" ({doc.tgt_tag})" if doc.tgt_tag else "")
    src = _joined_document([u.source.text for u in units], config.src_lang, f"{name} source")
    tgt = _joined_document([u.target.text for u in units], config.target_language, f"{name} target")
    return src, tgt


def status_note(doc: BilingualDocument) -> str:
    c = doc.counts()
    skipped = [f"{c[s.value]} {s.value}" for s in (UnitStatus.UNTRANSLATED, UnitStatus.EMPTY, UnitStatus.FUZZY)
               if c[s.value]]
    text = f"{len(doc.units)} units ({doc.format}): {c[UnitStatus.TRANSLATED.value]} checked"
    return text + (f"; not checked: {', '.join(skipped)}" if skipped else "")


def check_document(doc: BilingualDocument, config=None, *, embedder: Embedder | None = None) -> UnitReport:
    """Check the translated units of `doc` (a CheckConfig's 'auto' languages
    are decided from the file and its text)."""
    from qe.pipeline import CheckConfig, check

    config = config or CheckConfig(src_lang=langid.AUTO, tgt_lang=langid.AUTO)
    if not config.paired_paragraphs:  # not yet resolved by unit_config
        config = unit_config(doc, config)
    units = doc.checked()
    if not units:
        raise EmptyDocumentError(f"{doc.path}: no translated unit to check ({status_note(doc)})")
    src, tgt = unit_documents(doc, config)
    return finish(doc, config, check(src, tgt, config, embedder=embedder, extra_checks=(placeholder_check(doc),)))


def placeholder_check(doc: BilingualDocument):
    return _placeholder_check(doc.checked())


def finish(doc: BilingualDocument, config, report: Report) -> UnitReport:
    """The pipeline's Report with the unit counts added, and the bead -> unit map."""
    units = doc.checked()
    position = {id(u): i for i, u in enumerate(doc.units)}
    src, tgt = report.original, report.translation
    bead_units = []
    for sb in report.beads:
        b = sb.bead
        para = src.sentences[b.src[0]].paragraph if b.src else tgt.sentences[b.tgt[0]].paragraph
        bead_units.append(position[id(units[para])])
    signature = {**report.signature, "format": doc.format, "units": status_note(doc).split(": ", 1)[1]}
    report = dataclasses.replace(report, notes=(status_note(doc), *report.notes), signature=signature)
    return UnitReport(doc, report, tuple(bead_units))


def check_file(path, config=None, *, embedder_for=None, max_bytes: int | None = None) -> list[UnitReport]:
    """Every language pair of a bilingual file, checked. `embedder_for(config)`
    gives the embedder for a pair's resolved config (None: the pipeline's own)."""
    from qe.bilingual.read import read_bilingual
    from qe.io import DEFAULT_MAX_BYTES
    from qe.pipeline import CheckConfig

    config = config or CheckConfig(src_lang=langid.AUTO, tgt_lang=langid.AUTO)
    results = []
    for doc in read_bilingual(path, max_bytes=max_bytes or config.max_bytes or DEFAULT_MAX_BYTES):
        cfg = unit_config(doc, config)
        results.append(check_document(doc, cfg, embedder=embedder_for(cfg) if embedder_for else None))
    return results
