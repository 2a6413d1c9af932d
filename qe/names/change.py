"""What kind of change a name underwent, given the form that stands for it.

`_change_kind` says whether the counterpart is another name (changed), a
respelling (variant), a name part turned into a dictionary word
(common-word), or no error at all (an unknown respelling, reworded
descriptive words, a name's foreign words put into the language).
"""

from __future__ import annotations

import difflib

from qe.models import FlagKind
from qe.names.lexicon import _word_set, zipf
from qe.names.text import CONNECTORS, _is_acronym, _key, _transposed, skeleton, spelling_key, tokenize
from qe.names.gazetteer import _entity_ids, _main_place_name, _place_index, is_known_place
from qe.names.equivalence import (
    _abbreviates, _clipped_name, _short_expansion, _unknown_respelling, distinct_places, distinct_words,
    ordinary_word_alternate, same_entity,
)
from qe.names.extraction import Name
from qe.names.counterpart import _word_renders
from qe.names.settings import SETTINGS


def _classify_change(name: Name, counterpart: str, language: str, cross: bool = False) -> FlagKind:
    """changed, a respelling, or a name part turned into a dictionary word."""
    if any(ordinary_word_alternate(w, counterpart, language) and (
            _entity_ids(w, places=True) & _entity_ids(counterpart, places=True) or skeleton(w) == skeleton(counterpart))
           for w in [name.text, *name.core]):
        # a gazetteer alternate or a transliteration that is a word of the translation's language (Lyon -> Lion)
        return FlagKind.COMMON_WORD
    if cross:
        return FlagKind.CHANGED  # word frequencies of two languages do not compare
    if same_entity(name.text, counterpart, language=language) \
            or same_entity(" ".join(name.core), counterpart, language=language):
        return FlagKind.VARIANT
    if _abbreviates(name.text, counterpart) or _abbreviates(counterpart, name.text):
        return FlagKind.VARIANT  # ISIS / Islamic State, EPL / Premier League, Rz / Rzeczpospolita
    if distinct_places(" ".join(name.core), counterpart):
        return FlagKind.CHANGED  # Brussels/Bruges look alike but are two cities
    orig_words = {spelling_key(w) for w in name.core}
    new_words = [t for t in tokenize(counterpart, language) if spelling_key(t.norm) not in orig_words
                 and t.text.casefold() not in CONNECTORS]
    kept = {spelling_key(t.norm) for t in tokenize(counterpart, language)}
    lost = [w for w in name.core if spelling_key(w) not in kept]
    if len(new_words) == 1 and len(lost) == 1 and _transposed(lost[0], new_words[0].norm):
        return FlagKind.VARIANT  # Greta/Great, Chambre/Chamber: a slip of the keys, one of the two a typo
    if len(new_words) == 1 and len(lost) == 1 and distinct_words(lost[0], new_words[0].norm, language) \
            and not _main_place_name(new_words[0].text):
        return FlagKind.CHANGED  # Taylor -> Tailor, Mario -> Maria: another word, not a respelling
    if new_words and lost and all(
            max(difflib.SequenceMatcher(a=spelling_key(t.norm), b=spelling_key(w)).ratio() for w in lost)
            >= SETTINGS.respelled_word_ratio
            and not (zipf(t.norm, language) >= SETTINGS.dictionary_word_zipf > max(zipf(w, language) for w in lost))
            for t in new_words):
        return FlagKind.VARIANT  # every new word is a respelling of a lost one (Dauden -> Dowden)
    if new_words and lost and len(lost) < len(name.core) \
            and all(zipf(w, language) < SETTINGS.rare_word_zipf and not is_known_place(w) for w in lost) \
            and all(zipf(t.norm, language) >= SETTINGS.dictionary_word_zipf for t in new_words):
        # dictionary words for the rare words of a name, the rest kept: a
        # translation of those words (quiet: _words_translated) or a respelling
        return FlagKind.VARIANT
    if len(new_words) == 1 and len(lost) == 1:
        new, old = new_words[0].norm, lost[0]
        common_new = zipf(new, language) >= SETTINGS.dictionary_word_zipf > zipf(old, language)
        if not common_new and difflib.SequenceMatcher(a=old, b=new).ratio() >= SETTINGS.respelled_name_ratio:
            return FlagKind.VARIANT
    # a name part that is itself a word swapped for a synonym-like dictionary
    # word ("Bill" -> "Invoice", "House" -> "Home"); a place or an acronym is a name
    if new_words and lost and len(new_words) <= len(lost) + 1 \
            and all(zipf(t.norm, language) >= SETTINGS.established_zipf and not _is_acronym(t.text)
                    and not is_known_place(t.text)
                    and _key(t.text) not in _place_index() for t in new_words) \
            and any(zipf(w, language) >= SETTINGS.established_zipf for w in lost):
        return FlagKind.COMMON_WORD
    return FlagKind.CHANGED


def _change_kind(name: Name, counterpart: str, language: str, cross: bool = False) -> FlagKind | None:
    """The flag for a name rendered as `counterpart`, or None when the
    counterpart is only an unknown respelling of it."""
    old: list[str] = []
    lost: list[str] = []
    added: list[str] = []
    if not cross:
        old, lost_words, added_words = _word_diff(name, counterpart, language)
        lost, added = _drop_equivalent_runs(lost_words, added_words)
        if (lost_words or added_words) and not (lost or added):
            # word for word the same name once a part is read in its table
            # equivalent ("United States Geological Survey" / "U.S. Geological Survey")
            return None
    kind = _classify_change(name, counterpart, language, cross)
    if kind is not FlagKind.COMMON_WORD and _unknown_respelling(name.text, counterpart, language):
        return None
    if not cross and kind is not FlagKind.VARIANT and _description_reworded(old, lost, added, language):
        return None
    if not cross and kind is not FlagKind.COMMON_WORD and (
            _words_translated(old, lost, added, language) or _short_expansion(name.text, counterpart)
            or _short_expansion(counterpart, name.text) or _clipped_name(name.text, counterpart)
            or _clipped_name(counterpart, name.text)):
        return None
    return kind


def _word_diff(name: Name, counterpart: str, language: str) -> tuple[list[str], list[str], list[str]]:
    """The name's words (titles, function words aside), those of them the
    counterpart lacks, and the counterpart's words the name lacks; an
    inflected or derived form, a respelling, counts as the same word (table
    equivalents of several words, US/United States, are _drop_equivalent_runs')."""
    minor = _word_set("title", language) | _word_set("function", language) | CONNECTORS
    old = [w for w in name.core_parts if w not in minor]
    new = [t.norm for t in tokenize(counterpart, language) if t.norm not in minor]
    lost = [w for w in old if not any(_word_renders(w, n, n, language, False) for n in new)]
    added = [n for n in new if not any(_word_renders(w, n, n, language, False) for w in old)]
    return old, lost, added


def _drop_equivalent_runs(lost: list[str], added: list[str]) -> tuple[list[str], list[str]]:
    """Take out a run of lost words and a run of added ones that name one
    entity in the tables ("United States" / "U.S." in "U.S. Geological
    Survey"): the part was put in its standard short form, not changed."""
    for n in range(min(len(lost), 3), 0, -1):
        for i in range(len(lost) - n + 1):
            ids = _entity_ids(" ".join(lost[i:i + n]))
            if not ids:
                continue
            for m in range(min(len(added), 3), 0, -1):
                for j in range(len(added) - m + 1):
                    if ids & _entity_ids(" ".join(added[j:j + m])):
                        return _drop_equivalent_runs(lost[:i] + lost[i + n:], added[:j] + added[j + m:])
    return lost, added


def _words_translated(old: list[str], lost: list[str], added: list[str], language: str) -> bool:
    """The foreign words of a name put into the language, the rest kept
    (Krasnodar Krai / Krasnodar Territory, Rádio Svobodná Evropa / Radio Free
    Europe, Asociación Argentina de Polo / Argentine Polo Association): the
    name as readers of the language know it, not a respelling. A dictionary
    word that looks like the lost word (Pifer -> Pipe, Ushakov -> Usher) is
    the name misread as a word, not translated. `old`, `lost`, `added`: the
    name's words and the word diff with its counterpart (_word_diff, table
    equivalents dropped)."""
    return bool(added) and bool(lost) and len(lost) < len(old) \
        and all(zipf(w, language) < SETTINGS.established_zipf and not is_known_place(w) for w in lost) \
        and all(zipf(w, language) >= SETTINGS.dictionary_word_zipf for w in added) \
        and not any(_looks_like(w, n) and not is_known_place(n) for w in lost for n in added)


def _looks_like(a: str, b: str) -> bool:
    """Two words a reader could take for one another: the same first two
    letters, or half their letters in common order."""
    ka, kb = _key(a), _key(b)
    return ka[:2] == kb[:2] or difflib.SequenceMatcher(a=ka, b=kb).ratio() >= SETTINGS.look_alike_ratio


def _description_reworded(old: list[str], lost: list[str], added: list[str], language: str) -> bool:
    """The words that make the name this name came through, and only its
    descriptive words were said another way, in a different number of words
    ("Arun Banner Police" / "Arun Banner Public Security Bureau"): two
    translations of one body. A word swapped for one other word ("Stanford
    University" / "Stanford College", "White House" / "White Home") is the
    mark of a word-for-word substitution and stays a change. Arguments as
    for _words_translated."""
    distinctive = [w for w in old if zipf(w, language) < SETTINGS.dictionary_word_zipf]
    return bool(lost) and bool(added) and len(lost) != len(added) and bool(distinctive) \
        and not any(w in lost for w in distinctive) \
        and all(zipf(w, language) >= SETTINGS.dictionary_word_zipf for w in lost + added)
