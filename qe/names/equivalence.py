"""Whether two forms may name one thing.

Same entity (a table group, a transliteration, an acronym), a respelling of
it, an exonym, an inflected or derived form, an abbreviation; and when a
look-alike is really an ordinary word of the language (Lyon -> Lion).
"""

from __future__ import annotations

import difflib
import functools
import os

from qe.names.lexicon import _word_set, zipf
from qe.names.text import (
    CONNECTORS, _acronym_letters, _acronym_of, _clipped, _consonants, _inner_caps, _is_acronym, _key,
    _spells_out, skeleton, tokenize,
)
from qe.names.gazetteer import _derived_form, _entity_ids, _main_place_name, _place_index, is_known_place
from qe.names.settings import SETTINGS




def ordinary_word_alternate(original: str, found: str, language: str = "en") -> bool:
    """`found` would pass for another spelling of `original` (a gazetteer
    alternate, a transliteration) but is an ordinary word of `language` more
    common than the original's form, and not itself a city's main name: a
    reader sees the word, not the name ("Lyon" -> "Lion"), the Kherson ->
    Hosen / Bill -> Invoice class of error, not a harmless variant."""
    kf, ko = _key(found), _key(original)
    if kf == ko or " " in kf or _main_place_name(found) or _inflected(ko, kf) or _inflected(kf, ko) \
            or _entity_ids(original) & _entity_ids(found):  # the curated tables: Türkiye/Turkey, Ryssland
        return False
    z = zipf(kf, language)
    return z >= SETTINGS.ordinary_word_zipf and z > zipf(ko, language)




def distinct_words(a: str, b: str, language: str = "en") -> bool:
    """Two different established words, however alike their letters: Taylor and
    Tailor, Bill and Ball, Ivan and Evan are not one name transliterated twice.
    Letters cannot tell a surname turned into a noun from a second
    transliteration (Sergey/Sergei), and missing the first is the worse error."""
    ka, kb = _key(a), _key(b)
    if ka == kb or " " in ka or " " in kb or _inflected(ka, kb) or _inflected(kb, ka) \
            or _entity_ids(a) & _entity_ids(b):
        return False
    if ka.replace("ou", "u") == kb.replace("ou", "u"):
        return False  # one name in French spelling and another's (Louis/Luis), not a vowel swapped
    return zipf(ka, language) >= SETTINGS.established_zipf and zipf(kb, language) >= SETTINGS.established_zipf


@functools.lru_cache(maxsize=1 << 16)
def same_entity(a: str, b: str, *, places: bool = True, language: str = "en") -> bool:
    """True when two spellings may name the same thing: the same key, a shared
    group (US/United States, Moskva/Moscow), a transliteration, or an acronym.
    `b` is the translation's form: an ordinary word of `language` standing for
    a name is no spelling of it (ordinary_word_alternate)."""
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    if _entity_ids(a) & _entity_ids(b):
        return True
    if ordinary_word_alternate(a, b, language):
        return False
    if " " not in ka and " " not in kb and len(ka) > 3 and skeleton(a) == skeleton(b) \
            and not distinct_words(a, b, language):
        return True
    for short, long in ((a, b), (b, a)):
        words = long.split()
        if _is_acronym(short) and _spells_out(_key(short), words):
            return True
    if places and ka[:1] == kb[:1]:
        return bool(_entity_ids(a, places=True) & _entity_ids(b, places=True))
    return False


@functools.lru_cache(maxsize=4096)
def _entity_matcher(a: str, language: str = "en"):
    """same_entity(a, ·, places=False) with a's side worked out once: the
    phrase scan of _locate tries every span of a sentence against one name."""
    ka, ids = _key(a), _entity_ids(a)
    sk = skeleton(a) if " " not in ka and len(ka) > 3 else None
    a_words = a.split()
    a_acronym = _key(a) if _is_acronym(a) else None
    a_expands = len(a_words) >= 2

    def matches(b: str) -> bool:
        kb = _key(b)
        if kb == ka:
            return True
        if ids and ids & _entity_ids(b):
            return True
        if sk is not None and " " not in kb and skeleton(b) == sk and not ordinary_word_alternate(a, b, language) \
                and not distinct_words(a, b, language):
            return True
        if a_acronym is not None and " " in b.strip() and _spells_out(a_acronym, b.split()):
            return True
        return a_expands and _is_acronym(b) and _spells_out(kb, a_words)

    return matches


def distinct_places(a: str, b: str) -> bool:
    """Both are known places, and not the same one."""
    ia, ib = _entity_ids(a, places=True), _entity_ids(b, places=True)
    return bool(ia) and bool(ib) and not ia & ib


def is_respelling(a: str, b: str) -> bool:
    """Two forms of one entity that differ as spellings (Kyiv/Kiev, Odesa/Odessa),
    not as legitimate alternatives (US/United States, Ukraine/Ukrainian)."""
    ka, kb = _key(a), _key(b)
    if ka == kb:
        # only a case difference inside a name matters (DeepState/Deepstate)
        # (the first letter's case is style: neo-Renaissance / Neo-Renaissance)
        return a[1:] != b[1:] and (_inner_caps(a) or _inner_caps(b)) and a.casefold() == b.casefold()
    if _inflected(ka, kb) or _inflected(kb, ka) or _is_acronym(a) or _is_acronym(b):
        return False
    if _derived_form(ka) or _derived_form(kb):
        return False
    if skeleton(a) == skeleton(b):
        return False  # a transliteration (Sergey/Sergei, Zaporizhzhia/Zaporizhzhya): not worth a flag
    if ka[:1] != kb[:1] or " " in ka or " " in kb:
        return False
    return SETTINGS.respelling_min_length_ratio <= len(ka) / len(kb) <= SETTINGS.respelling_max_length_ratio


def legit_equivalent(a: str, b: str) -> bool:
    """Different forms we deliberately do not flag in a same-language pair:
    equivalent country forms, acronyms, inflections and derived adjectives."""
    if _key(a) == _key(b) and a != b and is_respelling(a, b):
        return False
    ka, kb = _key(a), _key(b)
    if _inflected(ka, kb) or _inflected(kb, ka) or exonym(a, b):
        return True
    return same_entity(a, b, places=False) and not is_respelling(a, b)


def exonym(a: str, b: str, language: str = "en") -> bool:
    """Two different words for one place, both known to the gazetteers
    (Naples/Napoli, Munich/München, Florence/Firenze): the language's own name
    and the local one, a legitimate rendering. A respelling of one word, the
    same consonants in the same order (Kyiv/Kiev, Odesa/Odessa), is a choice
    of spelling and stays a variant; an ordinary word standing for the place
    (Lyon/Lion) is neither."""
    ka, kb = _key(a), _key(b)
    if ka == kb or _consonants(ka.replace(" ", "")) == _consonants(kb.replace(" ", "")):
        return False
    if ordinary_word_alternate(a, b, language) or ordinary_word_alternate(b, a, language):
        return False
    return bool(_entity_ids(a, places=True) & _entity_ids(b, places=True))


@functools.lru_cache(maxsize=1 << 16)
def _inflected(a: str, b: str) -> bool:
    """b is a inflected: a may lose one final letter (Ukrain-e) and b add one
    of a few endings (-ian)."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    if common < 3 or len(a) - common > 1:
        return False
    rest = b[common:]
    if rest in _word_set("inflection", "any"):  # qe/data/name_lexicon.tsv
        if len(rest) == 1 and rest in "aeoiy":  # Argentin-a / Argentin-e: only for long stems
            return common >= 6 and len(a) - common == 1
        return common >= 4 or len(a) - common == 0
    return rest == "" and len(a) - common == 1 and len(a) > 5


def _derived_common(a: str, b: str, language: str) -> bool:
    """Two dictionary words of one stem (Culture/Cultural, Economics/Economy,
    Electoral/Election, Congress/congressional): a descriptive part of a name
    reworded, not renamed, or a body named by its adjective."""
    stem = len(os.path.commonprefix([a, b]))
    return stem >= SETTINGS.derived_min_stem and max(len(a), len(b)) - stem <= SETTINGS.derived_max_extra and a != b \
        and zipf(a, language) >= SETTINGS.established_zipf and zipf(b, language) >= SETTINGS.established_zipf


def transliterated(a: str, b: str) -> bool:
    """Two single words that read as one name written down twice: the same
    consonants in the same order, only vowels, doubled letters and the usual
    transliteration pairs (j/y/i, ph/f, ck/k, w/v, sh/s…) differing."""
    ka, kb = _key(a), _key(b)
    if " " in ka or " " in kb or min(len(ka), len(kb)) < 4:
        return False
    ca, cb = _consonants(a), _consonants(b)
    return ca == cb and len(ca) >= 2


def _unknown_respelling(original: str, found: str, language: str) -> bool:
    """`found` spells the name of `original` another way no table knows of,
    word for word (titles and connectors aside): two independent renderings
    of one name, not an error, and not worth a flag. Known variants (Kyiv/Kiev,
    Odesa/Odessa) are flagged as such; an ordinary word standing for a name
    (Lyon -> Lion) is no respelling."""
    titles = _word_set("title", language) | _word_set("title", "en")

    def words(text: str) -> list[str]:
        return [t.text for t in tokenize(text, language) if t.norm not in titles and t.text.casefold() not in CONNECTORS]

    wa, wb = words(original), words(found)
    if not wa or len(wa) != len(wb) or _key(" ".join(wa)) == _key(" ".join(wb)):
        return False
    if len(wa) == 1 and _date_spelling(_key(wa[0]), _key(wb[0]), language):
        return True
    for x, y in zip(wa, wb):
        kx, ky = _key(x), _key(y)
        if kx == ky or _inflected(kx, ky) or _inflected(ky, kx):
            continue
        # the curated tables know their respellings (Kyiv/Kiev); a city's
        # alternate names in geonames that are mere transliterations (Artem,
        # Artjom) say no more than the letters do
        if not transliterated(x, y) or ordinary_word_alternate(x, y, language) or _entity_ids(x) & _entity_ids(y) \
                or distinct_words(x, y, language):
            return False
    return True


def _date_spelling(a: str, b: str, language: str) -> bool:
    """A month or weekday and its usual clipping (September/Sept, Tue/Tuesday)
    or its spelling in a neighbouring language (Novembre/November): a date,
    which the number check compares, not a name."""
    dates = _word_set("month", language) | _word_set("weekday", language)
    if (a in dates or b in dates) and transliterated(a, b):
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and long.startswith(short) and long in dates


def _clipped_name(short: str, long: str) -> bool:
    """A name written in full in one text and cut to its first letters in the
    other (Rz, Rzeczpospolita): one name. Places are not clipped in prose, so
    Ed is no form of Edinburgh."""
    return _clipped(short, long) and not is_known_place(long) and _key(long) not in _place_index()


def _short_expansion(short: str, long: str) -> bool:
    """`long` writes out the first or the last words of the acronym `short`,
    at least half its letters, the way a name is shortened (ISIS, Islamic
    State [of Iraq and Syria]; EPL, [English] Premier League): the same
    body named two ways. UNESCO is not the United Nations."""
    letters = _acronym_letters(short.strip())
    words = [w for w in long.split() if w.casefold() not in CONNECTORS]
    if letters is None or len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    initials = _acronym_of(words)
    return 2 * len(initials) >= len(letters) and (letters.startswith(initials) or letters.endswith(initials))


def _abbreviates(short: str, long: str) -> bool:
    """`short` may abbreviate `long`: an acronym whose letters follow the
    initials of the longer name in part (ISIS ~ Islamic State, EPL ~ Premier
    League, PZPN ~ Polish Football Association), or a clipped word (Rz ~
    Rzeczpospolita). Looser than same_entity: the expansion may be a
    translation, so such a pair is reported as a variant, not as a change."""
    words = [w for w in long.split() if w.casefold() not in CONNECTORS]
    letters = _acronym_letters(short.strip())
    if letters is not None and len(words) >= 2:
        initials = _acronym_of(words).upper()
        if letters[0] == initials[0]:
            return True
        common = difflib.SequenceMatcher(a=letters, b=initials).find_longest_match(0, len(letters), 0, len(initials))
        return common.size >= 2
    return _clipped(short, long)


MEMOISED = (same_entity, _entity_matcher, _inflected)
