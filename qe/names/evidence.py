"""The signals that tell a capitalised word from a name.

A word capitalised where every word may be (a sentence start, a headline) is
a name only with evidence: capitalised elsewhere in the document, an
acronym, rare as a common word, a known place.
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

from qe.models import Document
from qe.names.lexicon import _word_set, zipf
from qe.names.text import CONNECTORS, Token, _inner_caps, _is_acronym, _is_namey, _key, normalise, tokenize
from qe.names.gazetteer import _main_place_name, _place_index, is_known_place
from qe.names.settings import SETTINGS


_DERIVED = re.compile(r"(ly|tion|tions|ment|ments|ness|ity|ities|ing|ings|ed|ous|ive|ives|al|ally|ism|isms)$")


# Endings of inflected common nouns (comet-s, misär-en, anfall-et): a rare
# inflected form of a common word is no name.
_NOUN_ENDINGS = {"en": ("s", "es"), "sv": ("erna", "arna", "orna", "en", "et", "na", "n", "t", "s", "ar", "er")}


def _inflected_common(word: str, language: str) -> bool:
    return any(word.endswith(e) and len(word) - len(e) >= 3
               and zipf(word[: -len(e)], language) >= SETTINGS.dictionary_word_zipf
               for e in _NOUN_ENDINGS.get(language, ()))


def _evidence(tok: Token, language: str, known: frozenset[str], lower: frozenset[str] = frozenset()) -> bool:
    """Whether a capitalised word where any word is capitalised (a sentence
    start, a title-case headline) is a name. `lower`: words the texts write in
    lower case mid-sentence, which are then common words."""
    word, norm = tok.text, tok.norm
    if _is_acronym(word) or _inner_caps(word.split("'")[0]) or any(c.isdigit() for c in word):
        return True
    if norm in _word_set("function", language):
        return False
    if norm in known:
        return True
    if norm in lower:
        return False
    if is_known_place(word):
        return True
    z = zipf(norm, language)
    if z < SETTINGS.sentence_start_name_zipf and not (
            language == "en" and _DERIVED.search(norm) and z > SETTINGS.derived_word_min_zipf) \
            and not _inflected_common(norm, language):
        return True
    # a city's name ("Paris hopes"); an alternate name of one only when the
    # word is not also an everyday word (geonames lists "Due" among them)
    if z < SETTINGS.city_start_max_zipf and _key(word) in _place_index() \
            and (z < SETTINGS.city_alternate_max_zipf or _main_place_name(word)):
        return True
    possessive = normalise(word) != word.casefold().strip(".")
    return possessive and z < SETTINGS.possessive_name_max_zipf


def capitalised_elsewhere(doc: Document) -> frozenset[str]:
    """Words the document writes capitalised somewhere other than a sentence start."""
    seen: set[str] = set()
    for s in doc.sentences:
        seen |= capitalised_in(s.text, doc.language)
    return frozenset(seen)


@functools.lru_cache(maxsize=4096)
def capitalised_in(text: str, language: str = "en") -> frozenset[str]:
    tokens = tokenize(text, language)
    if _headline(text, language):
        return frozenset()
    return frozenset(t.norm for t in tokens if not t.sentence_start and _is_namey(t.text) and t.text != "I")


@functools.lru_cache(maxsize=4096)
def _headline(text: str, language: str) -> bool:
    return _title_case(tokenize(text, language), language)


def _title_case(tokens: Sequence[Token], language: str) -> bool:
    """A headline with most words capitalised: capitals there say nothing.
    A headline leaves only function words in lower case; a lower-case verb or
    noun ("spoke", "plan") is prose that happens to name several people."""
    words = [t for t in tokens if t.text[:1].isalpha()]
    function = _word_set("function", language)
    return len(words) >= 4 and sum(_is_namey(t.text) for t in words) >= SETTINGS.headline_capitals_share * len(words) \
        and all(_is_namey(t.text) or t.norm in function or t.text.casefold() in CONNECTORS for t in words)


@functools.lru_cache(maxsize=4096)
def lower_case_words(text: str, language: str = "en") -> frozenset[str]:
    return frozenset(t.norm for t in tokenize(text, language) if t.text[:1].islower() and not _is_namey(t.text))


MEMOISED = (capitalised_in, lower_case_words, _headline)
