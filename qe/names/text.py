"""Text and tokens: word tokens, normal forms and spelling keys of names."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from qe.names.lexicon import _word_set, _words


# Lower-case words that may stand inside a multi-word name.
CONNECTORS = frozenset(
    "of for and the de del della di da dos das van von der den ter la le du al el bin ibn y och för af av".split()
)


# "and" inside a name only after "of"/"for" ("Center for … Security and Cooperation");
# otherwise it joins a list of names ("Moscow and Kyiv").
_LIST_JOINERS = frozenset({"and", "och", "y"})


_TOKEN = re.compile(r"\w(?:[\w&]|['’\-.](?=\w))*(?::s\b)?", re.UNICODE)


_QUOTES = "\"'“‘”«»„"


_SENTENCE_END = re.compile(r"[.!?:;]\s*[" + re.escape(_QUOTES) + r"(\[]*\s*$")
# a quotation opened after a comma starts a sentence of its own (He said, "If ...")
_QUOTATION_START = re.compile(r",\s*[\"“«„]\s*$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool
    norm: str = field(init=False, repr=False, compare=False)  # normalise(text), read on every comparison

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", normalise(self.text))


# The string functions below are pure and called on the same few thousand
# words over and over (every phrase of a sentence against every name), so
# they are memoised; the caches are bounded.
@functools.lru_cache(maxsize=1 << 16)
def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 16)
def normalise(word: str) -> str:
    """Case-folded; possessive ('s, '), Swedish colon genitive (USA:s) and
    trailing dots dropped. Accents are kept."""
    w = word.casefold().replace("’", "'")
    if w.endswith(":s"):
        w = w[:-2]
    for suffix in ("'s", "'"):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            w = w[: -len(suffix)]
            break
    return w.strip(".")


@functools.lru_cache(maxsize=1 << 16)
def _key(phrase: str) -> str:
    """Lookup key for a name form: normalised word by word, accents and dots dropped."""
    return " ".join(fold_accents(normalise(w)).replace(".", "") for w in phrase.split())


def _is_initials(word: str) -> bool:
    """J, J.D, U.S: a dot after it does not end a sentence."""
    return bool(re.fullmatch(r"[A-Z](?:\.[A-Z])*", word))


def tokenize(text: str, language: str = "en") -> tuple[Token, ...]:
    """The word tokens of a text; memoised, as every stage of a bead's check
    (and its neighbours') looks at the same sentences again."""
    return _tokenize(text, language)


@functools.lru_cache(maxsize=4096)
def _tokenize(text: str, language: str) -> tuple[Token, ...]:
    titles = _word_set("title", language)
    tokens: list[Token] = []
    at_start = True
    for m in _TOKEN.finditer(text):
        if tokens:
            prev = tokens[-1]
            between = text[prev.end:m.start()]
            at_start = bool(_SENTENCE_END.search(between) or _QUOTATION_START.search(between))
            # "J. D. Vance", "U.S. forces", "Dr. Smith": the dot closes an abbreviation
            if at_start and between.lstrip().startswith(".") and between.strip() == "." and (
                    _is_initials(prev.text) or prev.text.casefold() in titles):
                at_start = False
        tokens.append(Token(m.group(), m.start(), m.end(), at_start))
    return tuple(tokens)


@functools.lru_cache(maxsize=1 << 16)
def _is_namey(word: str) -> bool:
    """Capitalised, or with a capital inside (iPhone, eBay)."""
    if not word[:1].isalpha() and not word[:1].isdigit():
        return False
    if word[:1].isupper():
        return True
    return word[:1].isalpha() and any(c.isupper() for c in word[1:])


@functools.lru_cache(maxsize=1 << 16)
def _is_acronym(word: str) -> bool:
    """NATO, EU, U.S (a possessive or colon genitive aside)."""
    letters = [c for c in re.split(r"['’:]", word)[0] if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _transliterations() -> Iterable[tuple[str, str]]:
    """Letters that spell one sound in one orthography and another in the
    next (French ou is the u of most others, Slavic c is German tz), in the
    order applied: the transliteration table of qe/data/name_lexicon.tsv."""
    return _words("transliteration", "any").items()


# Russian Е at the start of a word or after a vowel is Ye in English
# romanisation, Je in Swedish and plain E in others (Yevmenov, Jevmenov,
# Evmenov; Dostoyevsky, Dostoevsky): one letter of the original.
_IOTATED_E = re.compile(r"(?:^|(?<=[aeiou]))[yj]e")


@functools.lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """A spelling-insensitive key for transliterated names: Zelenskyy, Zelenskyj,
    Zelensky and Porosjenko/Poroshenko reduce to the same string."""
    w = _IOTATED_E.sub("e", fold_accents(normalise(word)))
    for a, b in _transliterations():
        w = w.replace(a, b)
    w = re.sub(r"[^a-z]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


@functools.lru_cache(maxsize=1 << 16)
def spelling_key(word: str) -> str:
    """A key that ignores accents, hyphens, dots and British/American spelling
    (Centre/Center, Organisation/Organization, Co-operation/Cooperation)."""
    w = re.sub(r"[\s\-.'’]", "", fold_accents(word.casefold()))
    w = re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", w)
    w = re.sub(r"tre(s?)$", r"ter\1", w)
    return w.replace("our", "or").replace("ll", "l")


def _acronym_of(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w and w.casefold() not in CONNECTORS)


def _spells_out(acronym: str, words: Sequence[str]) -> bool:
    """`words` expand the acronym (its key): their initials are its letters,
    in its order (NASA) or in another (CEP for Conseil Electoral Provisoire,
    written out in English as Provisional Electoral Council)."""
    initials = _acronym_of(words).casefold()
    return len(words) >= 2 and len(initials) == len(acronym) and sorted(initials) == sorted(acronym)


def _inner_caps(word: str) -> bool:
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


def _possessive(word: str) -> bool:
    w = word.casefold().replace("’", "'")
    return w.endswith(("'s", "'", ":s"))


def _transposed(a: str, b: str) -> bool:
    """b is a with two neighbouring letters swapped (Greta/Great)."""
    if len(a) != len(b) or len(a) < 4:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


@functools.lru_cache(maxsize=1 << 16)
def _consonants(word: str) -> str:
    """The skeleton's first letter and its consonants: the part of a name that
    survives transliteration (Artjom/Artem, Runnels/Runalls, Jajjhar/Jhajjar).
    English w after a vowel and not before one is part of the vowel (ow, aw,
    ew), which a transliteration writes with vowel letters (Dowden/Dauden)."""
    w = _IOTATED_E.sub("e", fold_accents(normalise(word)))
    w = re.sub(r"(?<=[aeiou])w(?![aeiouy])", "", w)
    for a, b in _transliterations():
        if a != "tj":  # Swedish tj- is one sound; in a transliteration (Artjom) t and j are two
            w = w.replace(a, b)
    w = re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", w))
    return w[:1] + re.sub(r"[aeiou]", "", w[1:])


def _acronym_letters(word: str) -> str | None:
    """The capitals of an acronym (PZPN for "PZPNs", EPL for "EPL's"), or None."""
    bare = re.split(r"['’:]", word)[0]
    if bare.endswith("s") and _is_acronym(bare[:-1]):
        bare = bare[:-1]
    return "".join(c for c in bare if c.isalpha()) if _is_acronym(bare) else None


def _clipped(short: str, long: str) -> bool:
    """A name cut to its first letters (Rz for Rzeczpospolita)."""
    s, lg = normalise(short), normalise(long)
    return " " not in s and " " not in lg and 2 <= len(s) <= 4 and len(lg) >= 2 * len(s) and lg.startswith(s) \
        and short[:1].isupper()


def _relative(pos: int, text: str) -> float:
    return pos / max(1, len(text))


# pure functions of a string, memoised: the same few thousand words are
# compared over and over (every phrase of a sentence against every name)
MEMOISED = (fold_accents, normalise, _key, _tokenize, _is_namey, _is_acronym, skeleton, spelling_key, _consonants)
