"""The driver: a document pair and its beads in, a list of flags per bead out.

Each bead's check reads its two texts and the neighbouring sentences of each
(where an uncertain alignment may have put a name); the document-wide
signals (words capitalised mid-sentence, words written in lower case) are
gathered once here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from qe.models import Bead, Document, Flag
from qe.names.lexicon import LEXICON
from qe.names.text import MEMOISED as TEXT_MEMOISED, tokenize
from qe.names.gazetteer import GAZETTEER
from qe.names.equivalence import MEMOISED as EQUIVALENCE_MEMOISED
from qe.names.evidence import MEMOISED as EVIDENCE_MEMOISED, capitalised_elsewhere, lower_case_words
from qe.names.tagger import _OTHER_SIDE, _TAG_CACHE, prepare_tags
from qe.names.counterpart import _word_renders
from qe.names.bead import check_bead_names
from qe.names.flags import ALL_ON, RuleSet


def check_names(original: Document, translation: Document, beads: Sequence[Bead], *,
                window: int = 1, ignore_rules: Iterable[str] = ()) -> list[list[Flag]]:
    """Flags for each bead (same order as `beads`); the languages are the documents'.
    `ignore_rules`: codes or patterns (N201, N2xx) of rules switched off
    (qe.names.rules.RULES); one naming no rule is a ConfigError."""
    from qe.names.rules import rule_codes

    rules = RuleSet(rule_codes(ignore_rules)) if ignore_rules else ALL_ON
    views = [_BeadView.of(original, translation, beads, k, window) for k in range(len(beads))]
    token = _OTHER_SIDE.set(_other_side_words(views, original.language, translation.language))
    try:
        return _check_beads(original, translation, views, rules)
    finally:
        _OTHER_SIDE.reset(token)


@dataclass(frozen=True)
class _BeadView:
    """The texts check_bead_names reads for one bead: its two sides and the
    neighbouring sentences of each (where an uncertain alignment put a name)."""

    bead: Bead
    index: int
    src_text: str = ""
    tgt_text: str = ""
    src_context: str = ""
    tgt_context: str = ""

    @classmethod
    def of(cls, original: Document, translation: Document, beads: Sequence[Bead], k: int,
           window: int) -> "_BeadView":
        bead = beads[k]
        if not bead.src or not bead.tgt:  # an omission/addition is reported as such, not name by name
            return cls(bead, k)
        near = beads[max(0, k - window): k + window + 1]
        ctx_src = sorted({i for nb in near for i in nb.src} - set(bead.src))
        ctx_tgt = sorted({i for nb in near for i in nb.tgt} - set(bead.tgt))
        return cls(bead, k, original.join(bead.src), translation.join(bead.tgt),
                   original.join(tuple(ctx_src)), translation.join(tuple(ctx_tgt)))


def _other_side_words(views: Sequence[_BeadView], language: str, tgt_language: str) -> dict[str, frozenset[str]]:
    """Every text a bead's check reads -> the words of the other side's bead
    text and neighbours (tokenized as the check will tokenize them: memoised)."""
    words: dict[str, set[str]] = {}
    for v in views:
        if not v.src_text:
            continue
        src_words = {t.norm for text in (v.src_text, v.src_context) for t in tokenize(text, language)}
        tgt_words = {t.norm for text in (v.tgt_text, v.tgt_context) for t in tokenize(text, tgt_language)}
        for text in (v.src_text, v.src_context):
            words.setdefault(text, set()).update(tgt_words)
        for text in (v.tgt_text, v.tgt_context):
            words.setdefault(text, set()).update(src_words)
    return {text: frozenset(w) for text, w in words.items()}


def _check_beads(original: Document, translation: Document, views: Sequence[_BeadView],
                 rules: RuleSet) -> list[list[Flag]]:
    known = capitalised_elsewhere(original)
    tgt_known = capitalised_elsewhere(translation)
    lower = lower_case_words(original.text, original.language)
    # tag the beads' undecided first words in one batch rather than sentence by sentence
    prepare_tags((v.src_text for v in views if v.src_text), original.language)
    prepare_tags((v.tgt_text for v in views if v.src_text), translation.language)
    out: list[list[Flag]] = []
    for v in views:
        if not v.src_text:
            out.append([])
            continue
        out.append(check_bead_names(
            v.src_text, v.tgt_text, context_text=v.tgt_context, src_context_text=v.src_context,
            language=original.language, tgt_language=translation.language,
            known=known, tgt_known=tgt_known,
            bead=v.index, src_sentence=v.bead.src[0], tgt_sentence=v.bead.tgt[0], lower_words=lower,
            rules=rules,
        ))
    return out


def clear_caches() -> None:
    """Forget the tables and memoised word functions (for cold-start timings)."""
    _TAG_CACHE.clear()  # the tagger itself, like the embedder, is a model loaded once
    LEXICON.clear()
    GAZETTEER.clear()
    from qe.names.quantities import MEMOISED as QUANTITY_MEMOISED

    for fn in (*TEXT_MEMOISED, *EQUIVALENCE_MEMOISED, *EVIDENCE_MEMOISED, *QUANTITY_MEMOISED, _word_renders):
        fn.cache_clear()


def iter_flags(flag_lists: Iterable[Iterable[Flag]]) -> list[Flag]:
    return [f for fl in flag_lists for f in fl]
