"""Locating a name in the aligned sentence.

Which translation words render the words of an original name (`_locate`),
and, for a name not found, what stands where it stood: a word diff of the
pair, the words between its surviving neighbours, or the leftover names
paired by position.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from dataclasses import dataclass
from typing import Sequence

from qe.names.lexicon import _word_set, _words
from qe.names.text import (
    Token, _LIST_JOINERS, _is_acronym, _is_initials, _is_namey, _key, _relative, _spells_out, skeleton,
    spelling_key, tokenize,
)
from qe.names.gazetteer import _entity_ids
from qe.names.equivalence import (
    _derived_common, _entity_matcher, _inflected, distinct_words, ordinary_word_alternate,
)
from qe.names.extraction import Name, find_names
from qe.names.phrases import _SpanIndex
from qe.names.settings import SETTINGS


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
    def _hits(self) -> dict[tuple[str, bool], list[int]]:
        return {}

    def hits(self, word: str, cross: bool) -> list[int]:
        """The token indexes (in `forms` order) whose words render `word`,
        worked out once per word: a name is looked for several times. Every
        test of `_word_renders` but the gazetteers' needs the same first
        letter in some spelling key, so other words are not asked."""
        key = (word, cross)
        found = self._hits.get(key)
        if found is None:
            language, tokens = self.language, self.tokens
            if _entity_ids(word):
                found = [k for k, f in self.forms if _word_renders(word, tokens[k].text, f, language, cross)]
            else:
                initials = _initials(word)
                found = [k for (k, f), their in zip(self.forms, self._form_initials)
                         if not initials.isdisjoint(their) and _word_renders(word, tokens[k].text, f, language, cross)]
            self._hits[key] = found
        return found

    @functools.cached_property
    def _form_initials(self) -> list[frozenset[str]]:
        return [_initials(f) for _, f in self.forms]

    @functools.cached_property
    def initials_tokens(self) -> frozenset[int]:
        """Indexes of one-letter initials ("H." in "George H. W. Bush")."""
        return frozenset(k for k, t in enumerate(self.tokens) if len(t.text) == 1 and _is_initials(t.text))

    @functools.cached_property
    def spans(self) -> _SpanIndex:
        return _SpanIndex(self.text, self.tokens)

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


@dataclass(frozen=True)
class Pair:
    """One bead as the rules read it: its two sides, the neighbouring
    sentences of each (None when there are none), and the words each side's
    texts write in lower case."""

    src: _Side
    tgt: _Side
    ctx: _Side | None
    src_ctx: _Side | None
    cross: bool
    src_lower: frozenset[str] = frozenset()
    tgt_lower: frozenset[str] = frozenset()

    def other(self, side: _Side) -> _Side:
        return self.tgt if side is self.src else self.src

    def lower(self, side: _Side) -> frozenset[str]:
        return self.src_lower if side is self.src else self.tgt_lower


def _initials(word: str) -> frozenset[str]:
    """The first letters of a word's spelling keys: the word itself, its
    spelling key and its skeleton. Two words `_word_renders` matches without
    the gazetteers share one of them (equal keys, an inflection or a derived
    word share a prefix)."""
    return frozenset((word[:1], spelling_key(word)[:1], skeleton(word)[:1]))


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


def _locate(name: Name, tgt: _Side, cross: bool, *, taken: frozenset[int] = frozenset(),
            src_text: str = "") -> tuple[set[int], list[str]]:
    """Translation token indexes that render the name, and the core words not
    found. Tokens in `taken` already render an earlier occurrence of the same
    name; a phrase the original itself has beside the name (its acronym in
    brackets) does not render it."""
    used: set[int] = set()
    missing: list[str] = []

    def hits(word: str) -> list[int]:
        return [k for k in tgt.hits(word, cross) if k not in taken]

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
        for i, j, phrase in tgt.spans.candidates(core_text, tgt.tokens):
            if any(k in taken for k in range(i, j)):
                continue
            if matches(phrase) and (_is_namey(phrase) or cross or len(phrase) > 3) \
                    and not (own and re.search(r"(?<!\w)" + re.escape(_key(phrase)) + r"(?!\w)", own)):
                return set(range(i, j)), []
    return used, missing


def _spaced_initials(word: str, side: _Side, taken: frozenset[int] = frozenset()) -> set[int]:
    """The tokens of initials written apart ("H. W.") that a name's core runs
    together ("hw", see _join_initials), or nothing."""
    if not 2 <= len(word) <= 4 or not word.isalpha() or len(side.initials_tokens) < len(word):
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
        if best is not None and abs(_relative(best.start, tgt_text) - rs) <= SETTINGS.name_position_tolerance:
            out[s.start] = best
            free.remove(best)
    return out
