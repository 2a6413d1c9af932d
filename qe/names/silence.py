"""Leftover names that are no error, and what makes an added name a name.

A demonym or a date, an acronym in brackets beside its expansion, the unit
of a number the other side has, a shortened name, a common word capitalised
for emphasis; an added name must be a strong one. MISSING_EQUIVALENCES and
ADDED_EQUIVALENCES are the ordered rule tables the bead driver walks.
"""

from __future__ import annotations

import difflib
import re

from qe.names.lexicon import _word_set, zipf
from qe.names.text import CONNECTORS, Token, _acronym_letters, _acronym_of, _is_namey, _key, tokenize
from qe.names.gazetteer import _derived_form, _entity_ids, _main_place_name, is_known_place
from qe.names.equivalence import _abbreviates, _clipped_name, _inflected
from qe.names.extraction import Name
from qe.names.counterpart import Pair, _in_source, _locate, _Side, _word_matches
from qe.names.flags import Rule, quiets
from qe.names.quantities import _same_quantity, find_quantities
from qe.names.settings import SETTINGS


def _capitalised_common_word(name: Name, language: str, lower: frozenset[str]) -> bool:
    """A single dictionary word capitalised for emphasis or style (the East, War,
    END), which another language writes in lower case: not worth a flag there."""
    if len(name.core) > 3 or any(is_known_place(t.text) for t in name.tokens):
        return False
    return all(w in lower or zipf(w, language) >= SETTINGS.emphasis_word_zipf for w in name.core)


def _date_word(name: Name, language: str) -> bool:
    """Monday, March: a date, whose change the diff reports; its absence is a rewording."""
    return len(name.core) == 1 and (name.core[0] in _word_set("month", language)
                                    or name.core[0] in _word_set("weekday", language))


_ROMAN = re.compile(r"[ivxlc]+", re.IGNORECASE)


def _demonym_or_date(name: Name, language: str) -> bool:
    """Capitalised in English but not names of their own: Russian, Monday, March."""
    if len(name.core) != 1:
        return False
    w = name.core[0].split("-")[-1]  # "pro-Russian"
    if _date_word(name, language):
        return True
    if _derived_form(_key(w)):
        return True
    if is_known_place(w):
        return False  # Iran, Afghanistan: places that merely end like demonyms
    return bool(re.search(r"(an|ans|ian|ians|ish|ese|i|ic)$", w)) and (
        is_known_place(w) or any(is_known_place(w[:n]) or is_known_place(w[:n] + "a") for n in range(4, len(w))))


def _strong_name(name: Name, language: str) -> bool:
    """Whether a capitalised run is certainly a name, as an added name must be:
    two independent translations differ in the descriptive words they
    capitalise ("the Navy" for "the marines", "Wolf children" for "feral
    children"), not in the places, people and bodies they mention. A name of
    several words, a known country, body or city, or a word that is not a
    dictionary word written mid-sentence is one."""
    if len(name.core) >= 2:
        return True
    word = name.tokens[-1].text
    if is_known_place(word) or _main_place_name(word):
        return True
    return not name.tokens[0].sentence_start and zipf(name.core[0], language) < SETTINGS.dictionary_word_zipf


def _unit_of_shared_number(name: Name, side: _Side, other: _Side) -> bool:
    """A capitalised word that is the unit or currency of a number ("Nu 150",
    "CZK 34,125", "34,125 CZK", "25 degrees Celsius"): when the other text has
    the number, each text says the unit in its own words ("150 ngultrums",
    "34,125 crowns", "25 degrees"), and the number check compares the values."""
    if len(name.tokens) != 1:
        return False
    word = name.tokens[0].text
    code = _currency_code(word)
    after = re.match(r"\s*(\d[\d.,]*)", side.text[name.end:])
    before = re.search(r"(\d[\d.,]*)\s*(?:([^\W\d_]+)\s+)?$", side.text[:name.start])
    if after is not None and (len(word) <= 3 or code):
        number = after.group(1)
    elif before is not None and (code if before.group(2) is None else
                                 before.group(2).islower()
                                 and before.group(2) not in _word_set("function", side.language)):
        number = before.group(1)  # "34,125 CZK"; "25 degrees Celsius": the unit's own scale
    else:
        return False
    theirs = find_quantities(other.text, other.language)
    return any(_same_quantity(q, t) for q in find_quantities(number, side.language) for t in theirs)


def _currency_code(word: str) -> bool:
    """An ISO 4217 code written as one (CZK, SEK, EUR)."""
    import pycountry

    return len(word) == 3 and word.isupper() and pycountry.currencies.get(alpha_3=word) is not None


def _acronym_written_as_word(name: Name, src: _Side, tgt: _Side) -> bool:
    """A short acronym of a common noun written out as that noun in its place
    (photo ID card -> photo identification, KO round -> knockout round): the
    translation has, beside a word that stands beside the acronym, a
    dictionary word the original lacks that starts with the acronym's first
    letter and holds its other letters in order. Names of places and bodies
    (the tables) are never such nouns."""
    letters = _acronym_letters(name.text)
    if letters is None or not 2 <= len(letters) <= 3 or len(name.tokens) != 1 \
            or _entity_ids(name.text, places=True):
        return False
    pattern = re.compile(".*".join(letters.casefold()))
    own = {t.norm for t in src.tokens}
    neighbours = _content_neighbours(src, src.tokens.index(name.tokens[0]))
    return any(t.text.islower() and t.norm not in own and t.norm.startswith(letters[0].casefold())
               and len(t.norm) >= 3 * len(letters) and pattern.match(t.norm)
               and zipf(t.norm, tgt.language) >= SETTINGS.established_zipf and neighbours & _content_neighbours(tgt, k)
               for k, t in enumerate(tgt.tokens))


def _content_neighbours(side: _Side, k: int) -> set[str]:
    """The words right before and after token k, function words aside."""
    function = _word_set("function", side.language)
    return {side.tokens[i].norm for i in (k - 1, k + 1)
            if 0 <= i < len(side.tokens) and side.tokens[i].norm not in function}


def _bracketed_abbreviation(name: Name, src: _Side) -> bool:
    """An acronym in brackets right after the name it abbreviates ("the Vietnam
    News Agency (VNA)"): it repeats that name, and dropping it loses nothing."""
    before = src.text[:name.start].rstrip()
    if not before.endswith("(") or _acronym_letters(name.text) is None:
        return False
    head = before[:-1].rstrip()
    return any(n.end == len(head) and _abbreviates(name.text, n.text) for n in src.names)


def _named_by_kept_acronym(name: Name, src: _Side, tgt: _Side) -> bool:
    """The name is followed by its acronym in brackets ("Extremely Drug
    Resistant Tuberculosis (XDR-TB)") and the translation keeps the acronym:
    the thing is still named, its spelled-out form said in other words
    ("highly drug-resistant tuberculosis (XDR-TB)"), not cut out before it
    ("received by (USGS)"). The acronym must share
    all but one of the name's initials, in order (XDR-TB: DRT of EDRT), so a
    country or a year in brackets does not count."""
    after = re.match(r"\s*\(\s*([^()\s]+)\s*\)", src.text[name.end:])
    if after is None:
        return False
    letters = _acronym_letters(after.group(1))
    function = _word_set("function", tgt.language) | CONNECTORS
    # the translation brackets the acronym after words of its own, not after a
    # bare preposition where the name was cut out ("received by (USGS)")
    if letters is None or not any(
            t.text == after.group(1) and k > 0 and tgt.text[tgt.tokens[k - 1].end:t.start].strip() == "("
            and tgt.tokens[k - 1].norm not in function
            for k, t in enumerate(tgt.tokens)):
        return False
    initials = _acronym_of([t.text for t in name.tokens]).upper()
    common = difflib.SequenceMatcher(a=initials, b=letters.upper()).find_longest_match(
        0, len(initials), 0, len(letters)).size
    return len(initials) >= 2 and common >= max(2, len(initials) - 1)


def _plain_shortening(name: Name, tgt: _Side, used: set[int]) -> bool:
    """A name cut to its last words the way people shorten names ("Trump",
    "Bush"): the kept words are written as a name, and the name is not one
    joined by connectors ("Nari Ultimate for Xbox One" is not "Xbox One"). A
    lower-case common word that happens to equal the last part ("Mingzhu
    Community" -> "the local community") renders nothing."""
    first = next((i for i, t in enumerate(name.tokens) if t.text.casefold() in CONNECTORS), None)
    if first is not None:
        # a particle that opens the kept surname comes with it (Bruno Le Maire -> Le Maire);
        # a connector of a longer name does not (Nari Ultimate for Xbox One -> Xbox One)
        tail = " ".join(t.text for t in name.tokens[first:])
        if first == 0 or name.tokens[first].text.casefold() in _word_set("function", tgt.language) \
                or f" {tail} ".casefold() not in f" {' '.join(t.text for t in tgt.tokens)} ".casefold():
            return False
    return all(_is_namey(tgt.tokens[k].text) for k in used)


def _foreign_words(holder: Name, name: Name, src: _Side, tgt: _Side) -> bool:
    """The translation name has words the original name and sentence lack,
    titles aside: "Invoice" in "Invoice Taylor", not "Mr" in "Mr Taylor"."""
    titles = _word_set("title", tgt.language) | _word_set("title", src.language)
    src_forms = [f for _, f in src.forms]
    for t in holder.tokens:
        n = t.norm
        if n in titles or t.text.casefold() in CONNECTORS or any(p in titles for p in n.split("-")):
            continue
        if any(n == f or _inflected(f, n) or _inflected(n, f) for f in src_forms):
            continue
        if any(_word_matches(w, t, n, tgt.language, src.language != tgt.language) for w in name.core_parts):
            continue
        return True
    return False


def _without_described(holder: Name, name: Name, src: _Side, tgt: _Side) -> str:
    """The translation name without the words at its edges that the original
    writes beside the name in lower case: "the Plitvice Lakes national park"
    is "Plitwitz Lakes National Park", and only "Plitwitz Lakes" stands for
    the name. What is left is compared with it."""
    described = {t.norm for t in src.tokens if t.text[:1].islower() and not name.start <= t.start < name.end}
    toks = list(holder.tokens)

    def loose(t: Token) -> bool:
        return t.text.casefold() in CONNECTORS or (t.norm in described and t.norm not in name.core)

    while len(toks) > 1 and loose(toks[-1]):
        toks.pop()
    while len(toks) > 1 and loose(toks[0]):
        toks.pop(0)
    return tgt.text[toks[0].start:toks[-1].end] if toks else holder.text


# ------------------------------------------------------------------ the rules
#
# Each takes a name, the bead's `Pair` and the side the name is on (the
# original for a name gone missing, the translation for one added).


@quiets("N221")
def _demonym_or_date_rule(name: Name, pair: Pair, side: _Side) -> bool:
    """A demonym or a date (Russian, Monday, March): capitalised, but no name of its own."""
    return _demonym_or_date(name, side.language)


@quiets("N222")
def _bracketed_abbreviation_rule(name: Name, pair: Pair, side: _Side) -> bool:
    """An acronym in brackets after the name it abbreviates (Vietnam News Agency (VNA)): dropping it loses nothing."""
    return _bracketed_abbreviation(name, side)


@quiets("N223")
def _unit_of_number(name: Name, pair: Pair, side: _Side) -> bool:
    """The unit or currency of a number the other text has (CZK 34,125 / 34,125 crowns): the number check compares."""
    return _unit_of_shared_number(name, side, pair.other(side))


@quiets("N224")
def _acronym_written_out(name: Name, pair: Pair, side: _Side) -> bool:
    """A short acronym of a common noun written out as that noun (photo ID -> photo identification)."""
    return _acronym_written_as_word(name, pair.src, pair.tgt)


@quiets("N225")
def _acronym_kept(name: Name, pair: Pair, side: _Side) -> bool:
    """The name's acronym in brackets is kept, its spelled-out form said in other words (XDR-TB)."""
    return _named_by_kept_acronym(name, pair.src, pair.tgt)


@quiets("N212")
def _emphasis_word(name: Name, pair: Pair, side: _Side) -> bool:
    """Across languages, a dictionary word capitalised for emphasis (the East, War, END), which others do not."""
    return pair.cross and _capitalised_common_word(name, side.language, pair.lower(side))


@quiets("N234")
def _first_word_across_languages(name: Name, pair: Pair, side: _Side) -> bool:
    """Across languages nothing vouches for a lone capitalised first word of the translation."""
    return pair.cross and len(name.tokens) == 1 and name.tokens[0].sentence_start


@quiets("N231")
def _in_neighbours_original(name: Name, pair: Pair, side: _Side) -> bool:
    """The neighbouring original sentences have the name: the alignment put it here."""
    return pair.src_ctx is not None and _in_source(name, pair.src_ctx, pair.cross, side.language)


@quiets("N232")
def _renders_original_name(name: Name, pair: Pair, side: _Side) -> bool:
    """The added words render a name of the original (a part of it, said apart)."""
    alone = _Side(name.text, side.language, tuple(tokenize(name.text, side.language)), ())
    return any(_locate(n, alone, pair.cross)[0] for n in pair.src.names)


@quiets("N233")
def _clipped_in_original(name: Name, pair: Pair, side: _Side) -> bool:
    """Written out where the original clips it inside a run of capitals (for Rz Schetyna)."""
    return not pair.cross and any(_clipped_name(t.text, name.text) for n in pair.src.names for t in n.tokens)


@quiets("N230")
def _weak_name(name: Name, pair: Pair, side: _Side) -> bool:
    """An added capitalised word that may be a dictionary word: only a strong name (several words, a place) is added."""
    return not _strong_name(name, side.language)


# A name of the original with no counterpart is missing unless one of these holds.
@quiets("N226")
def _currency_named(name: Name, pair: Pair, side: _Side) -> bool:
    """A currency code written as its currency's name (EUR / euros, VND / dong): the same currency."""
    if len(name.tokens) != 1 or not _currency_code(name.tokens[0].text):
        return False
    return bool(_currency_words(name.tokens[0].text) & {t.norm for t in pair.other(side).tokens})


def _currency_words(code: str) -> frozenset[str]:
    """The words of an ISO 4217 currency's name, singular and plural (USD: dollar, dollars)."""
    import pycountry

    words = {w.casefold() for w in pycountry.currencies.get(alpha_3=code).name.split()
             if len(w) >= SETTINGS.currency_word_min_length}
    return frozenset(words | {w + "s" for w in words})


MISSING_EQUIVALENCES: tuple[Rule, ...] = (
    _demonym_or_date_rule, _bracketed_abbreviation_rule, _unit_of_number, _acronym_written_out, _acronym_kept,
    _currency_named,
)
# A translation name that no original name accounts for is added unless one of these holds.
ADDED_EQUIVALENCES: tuple[Rule, ...] = (
    _demonym_or_date_rule, _first_word_across_languages, _in_neighbours_original, _renders_original_name,
    _clipped_in_original, _weak_name,
)
