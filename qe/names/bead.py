"""One bead's check: the names of the original looked for in the translation.

Names found whole are fine (or a respelling, or a changed modifier); names
found in part are a shortening, a changed word, or a lost inner word; the
rest are matched with a leftover translation name (a variant, another name,
a common word) or reported missing; translation names nothing accounts for
are reported added. Numbers follow (quantities.check_numbers).
"""

from __future__ import annotations

import difflib
import re

from qe.models import Flag, FlagKind, Severity
from qe.names.change import _change_rule, _unknown_respelling_rule
from qe.names.counterpart import (
    Pair, _capitalised_at, _counterpart_by_anchors, _counterpart_by_diff, _in_context, _in_source,
    _join_spelled_out, _locate, _modifier_kept, _name_at, _pair_by_position, _Side,
)
from qe.names.equivalence import (
    _inflected, _unknown_respelling, distinct_places, exonym, is_respelling, legit_equivalent, same_entity,
)
from qe.names.evidence import capitalised_in, lower_case_words
from qe.names.extraction import Name
from qe.names.gazetteer import _entity_ids
from qe.names.flags import ALL_ON, Rule, RuleSet, _name_flag, _Where, quiets, raises
from qe.names.lexicon import _word_set, zipf
from qe.names.quantities import check_numbers
from qe.names.settings import SETTINGS
from qe.names.silence import (
    _ROMAN, ADDED_EQUIVALENCES, MISSING_EQUIVALENCES, _demonym_or_date_rule, _emphasis_word, _foreign_words,
    _plain_shortening, _unit_of_number, _without_described,
)
from qe.names.text import CONNECTORS, _key, skeleton


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
    rules: RuleSet = ALL_ON,
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
    `rules` says which rules are switched off.
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
    pair = Pair(src, tgt,
                _Side.of(context_text, tgt_language, tgt_known) if context_text else None,
                _Side.of(src_context_text, language, known) if src_context_text else None,
                cross, lower_words | src_lower, tgt_lower)
    check = _BeadCheck(pair, rules, where)
    check.located()
    check.partial_changes()
    check.leftovers()
    check.added()
    if numbers:
        check.flags.extend(check_numbers(src_text, tgt_text, context_text, bead, src_sentence, tgt_sentence,
                                         language=language, tgt_language=tgt_language,
                                         src_context_text=src_context_text, rules=rules))
    return check.flags


class _BeadCheck:
    """The stages of one bead's check, in order, and what they share: the
    translation tokens explained by original names, the names still
    unresolved, the translation names taken as counterparts."""

    def __init__(self, pair: Pair, rules: RuleSet, where: _Where):
        self.pair, self.rules, self.where = pair, rules, where
        self.flags: list[Flag] = []
        self.accounted: set[int] = set()  # translation token indexes explained by original names
        self.unresolved: list[Name] = []
        self.partial: list[tuple[Name, Name]] = []  # an original name and the translation name holding part of it
        self.repeats: set[int] = set()  # starts of repeated names the translation says once
        self.taken: set[int] = set()  # starts of translation names taken as counterparts
        self.candidates: list[Name] = []

    def flag(self, rule: Rule, original: str, found: str | None) -> None:
        self.flags.append(_name_flag(rule, original, found, self.where))

    def holds(self, rule: Rule, *args) -> bool:
        return self.rules.on(rule) and bool(rule.test(*args))

    def change(self, name: Name, found: str) -> None:
        rule = _change_rule(name, found, self.pair.tgt.language, self.pair.cross, self.rules)
        if rule is not None:
            self.flag(rule, name.text, found)

    def _holder_tokens(self, holder: Name) -> set[int]:
        return {k for k, t in enumerate(self.pair.tgt.tokens) if holder.start <= t.start < holder.end}

    def located(self) -> None:
        """Each original name looked for in the translation: found whole, in part, or not at all."""
        src, tgt, cross = self.pair.src, self.pair.tgt, self.pair.cross
        rendered: dict[tuple[str, ...], set[int]] = {}  # name -> translation tokens of its earlier occurrences
        for name in src.names:
            earlier = rendered.setdefault(name.core, set())
            used, missing = _locate(name, tgt, cross, taken=frozenset(earlier), src_text=src.text)
            if missing and used & self.accounted:
                # a word two names share ("Radio Free Europe/Radio Liberty"): each takes its own occurrence
                alt = _locate(name, tgt, cross, taken=frozenset(earlier | self.accounted), src_text=src.text)
                if alt[0] and len(alt[1]) <= len(missing):
                    used, missing = alt
            if missing and earlier and not _locate(name, tgt, cross, src_text=src.text)[1]:
                self.repeats.add(name.start)
            earlier |= used
            self.accounted |= used
            if not missing:
                if not _modifier_kept(name, tgt):
                    found = _modifier_changed.test(name, self.pair, used) if self.rules.on(_modifier_changed) else None
                    if found:
                        self.flag(_modifier_changed, name.text, found)
                elif not cross:
                    for rule in (_respelled_in_place, _respelled_unknown):
                        found = rule.test(name, self.pair, used) if self.rules.on(rule) else None
                        if found:
                            self.flag(rule, name.text, found)
                            break
                continue
            if used and self._partly_rendered(name, used, missing):
                continue
            if self.holds(_emphasis_word, name, self.pair, src):
                continue
            self.unresolved.append(name)

    def _partly_rendered(self, name: Name, used: set[int], missing: list[str]) -> bool:
        """Part of the name came through. True when that settles it: a
        translation name holding the kept part and words of its own is the
        changed name ("Invoice Taylor"), or the name was shortened."""
        src, tgt = self.pair.src, self.pair.tgt
        holder = next((n for n in tgt.names if any(n.start <= tgt.tokens[k].start < n.end for k in used)), None)
        if holder is not None and _foreign_words(holder, name, src, tgt):
            self.partial.append((name, holder))
            self.accounted |= self._holder_tokens(holder)
            return True
        parts = [w for w in name.core_parts if not _ROMAN.fullmatch(w)]
        kept = [w not in missing for w in parts]
        if self.holds(_shortened_name, name, self.pair, kept, used):
            return True
        if holder is None or len(parts) < 3:
            return False
        minor_words = _word_set("function", src.language) | _word_set("title", src.language)
        # a lost function word or title ("First Lady" -> "first lady" is not matched) loses
        # nothing, nor does an administrative division after the place it qualifies
        # ("Podkarpackie [Region] Customs": the body is the same, "Research" in
        # "Foreign Policy [Research] Institute" names another)
        minor_words |= _word_set("division", src.language)
        kept = [k or w in minor_words for k, w in zip(kept, parts)]
        inner = any(not kept[i] and any(kept[:i]) and any(kept[i + 1:]) for i in range(len(kept)))
        self.accounted |= self._holder_tokens(holder)
        if inner:
            # a word gone from inside a longer name ("Foreign Policy [Research] Institute")
            self.partial.append((name, holder))
            return True
        if self.holds(_name_cut_at_an_edge, parts, kept, src.language):
            return True
        self.accounted -= self._holder_tokens(holder)
        return False

    def partial_changes(self) -> None:
        for name, holder in self.partial:
            self.change(name, _without_described(holder, name, self.pair.src, self.pair.tgt))

    def leftovers(self) -> None:
        """Unresolved names matched with the translation's unexplained names:
        a variant of it, the name standing in its place, else missing."""
        pair, tgt = self.pair, self.pair.tgt

        def explained(n: Name) -> bool:
            return any(n.start <= tgt.tokens[k].start < n.end for k in self.accounted)

        def unexplained(n: Name) -> bool:
            return not _in_source(n, pair.src, pair.cross, tgt.language) \
                and not self.holds(_unit_of_number, n, pair, tgt) \
                and not (pair.cross and (self.holds(_demonym_or_date_rule, n, pair, tgt)
                                         or self.holds(_emphasis_word, n, pair, tgt)))

        self.candidates = [n for n in tgt.names if not explained(n) and unexplained(n)]
        # the unexplained end of a name that is partly an original name's
        # ("Malawian Foreign Minister Casella": Malawian is Malawi's): it may
        # stand for a lost name, though alone it is no added one
        remainders = [r for n in tgt.names if explained(n)
                      for r in [_unexplained_end(n, tgt, self.accounted)] if r is not None and unexplained(r)]
        unplaced: list[Name] = []
        for name in self.unresolved:
            if self._variant(name):
                continue
            counterpart = None
            if not pair.cross:
                pool = [c for c in self.candidates + remainders if c.start not in self.taken]
                span = _counterpart_by_diff(name, pair.src, tgt)
                counterpart = _name_at(span, pool) or _name_at(_counterpart_by_anchors(name, pair.src, tgt), pool) \
                    or _capitalised_at(span, tgt)
            if counterpart is None:
                if not (name.start in self.repeats and self.rules.on(_said_once)):
                    unplaced.append(name)
                continue
            self.taken.add(counterpart.start)
            self.change(name, counterpart.text)
        # names with no located counterpart: paired with the leftover translation
        # names by position, else reported missing unless a neighbour has them
        free = sorted((c for c in self.candidates + remainders if c.start not in self.taken), key=lambda c: c.start)
        still = [n for n in unplaced if not self.holds(_moved_to_neighbour, n, pair, pair.src)]
        pairs = _pair_by_position(still, free, pair.src.text, tgt.text)
        for name in still:
            cand = pairs.get(name.start)
            if cand is not None:
                self.taken.add(cand.start)
                self.change(name, cand.text)
            elif self.rules.on(_name_missing) \
                    and not self.rules.any(MISSING_EQUIVALENCES, name, pair, pair.src):
                self.flag(_name_missing, name.text, None)

    def _variant(self, name: Name) -> bool:
        """A leftover translation name that is the same name in another form takes the name."""
        pair, language = self.pair, self.pair.tgt.language
        free = [c for c in self.candidates if c.start not in self.taken]
        variant = next((c for c in free if same_entity(name.text, c.text, language=language)), None)
        if variant is None and not pair.cross:
            variant = next((c for c in free if is_respelling(name.text, c.text)
                            and not distinct_places(name.text, c.text)
                            and difflib.SequenceMatcher(a=_key(name.text), b=_key(c.text)).ratio()
                            >= SETTINGS.respelled_name_ratio), None)
        if variant is None:
            return False
        self.taken.add(variant.start)
        if not pair.cross and _key(name.text) != _key(variant.text) and self.rules.on(_variant_elsewhere) \
                and not self.holds(_established_equivalent, name.text, variant.text) \
                and not (self.rules.on(_unknown_respelling_rule)
                         and _unknown_respelling(name.text, variant.text, language)):
            self.flag(_variant_elsewhere, name.text, variant.text)
        return True

    def added(self) -> None:
        """Translation names nothing in the original (or its neighbours) accounts for."""
        if not self.rules.on(_name_added):
            return
        for cand in self.candidates:
            if cand.start not in self.taken \
                    and not self.rules.any(ADDED_EQUIVALENCES, cand, self.pair, self.pair.tgt):
                self.flag(_name_added, "", cand.text)


def _unexplained_end(name: Name, side: _Side, accounted: set[int]) -> Name | None:
    """The capitalised words of a translation name after the last word an
    original name explains, as a name of their own; None when nothing is left."""
    explained = {side.tokens[k].start for k in accounted}
    tokens = list(name.tokens)
    last = max((i for i, t in enumerate(tokens) if t.start in explained), default=None)
    if last is None:
        return None
    rest = tokens[last + 1:]
    while rest and (not rest[0].text[:1].isupper() or rest[0].text.casefold() in CONNECTORS):
        rest.pop(0)
    if not rest:
        return None
    return Name(side.text[rest[0].start:rest[-1].end], tuple(rest),
                tuple(t.norm for t in rest if t.text.casefold() not in CONNECTORS))


# ------------------------------------------------------------------ the bead's own rules


@raises("N101", FlagKind.MISSING)
def _name_missing(name: Name, pair: Pair) -> bool:
    """A name of the original is gone and nothing stands in its place."""
    return True


@raises("N110", FlagKind.ADDED, Severity.MINOR)
def _name_added(name: Name, pair: Pair) -> bool:
    """A strong name in the translation that nothing in the original accounts for."""
    return True


@raises("N117", FlagKind.VARIANT, Severity.MINOR)
def _variant_elsewhere(name: Name, pair: Pair) -> bool:
    """The name written as another known form or a close respelling elsewhere in the sentence."""
    return True


@quiets("N207")
def _established_equivalent(a: str, b: str) -> bool:
    """An inflected or possessive form, a derived adjective, an established equivalent (US / United States)."""
    return legit_equivalent(a, b)


@quiets("N210")
def _shortened_name(name: Name, pair: Pair, kept: list[bool], used: set[int]) -> bool:
    """A name cut to its last words the way people shorten names (Trump for Donald Trump)."""
    return bool(kept) and kept[-1] and kept == sorted(kept) and _plain_shortening(name, pair.tgt, used)


@quiets("N211")
def _name_cut_at_an_edge(parts: list[str], kept: list[bool], language: str) -> bool:
    """The core kept, the name cut at its start ([First Lady] Cristina Fernandez) or by a generic head word."""
    lost_tail = parts[len(kept) - kept[::-1].index(True):] if any(kept) else parts
    return sum(kept) >= 2 and (kept == sorted(kept) or (
        len(lost_tail) == 1 and kept[:-1] == sorted(kept[:-1])
        and zipf(lost_tail[0], language) >= SETTINGS.dictionary_word_zipf))


@quiets("N213")
def _said_once(name: Name, pair: Pair) -> bool:
    """A name the original repeats and the translation says once (changed if replaced, else fine)."""
    return True


@quiets("N220")
def _moved_to_neighbour(name: Name, pair: Pair, side: _Side) -> bool:
    """The neighbouring translation sentences hold the name more often than their originals: it moved there."""
    return _in_context(name, pair.ctx, pair.src_ctx, pair.cross)


@raises("N108", FlagKind.CHANGED)
def _modifier_changed(name: Name, pair: Pair, used: set[int]) -> str | None:
    """The word before a place changed (eastern Ukraine -> japanese Ukraine); a dropped one is no error.

    Returns what the translation has in its place, or None."""
    src, tgt = pair.src, pair.tgt
    exact = [k for k in used if tgt.tokens[k].norm in name.core]  # "Ukraine", not "Ukrainian" elsewhere
    first = min(exact or used)
    if first == 0:
        return None
    before = tgt.tokens[first - 1]
    if before.norm in _word_set("function", tgt.language) or before.text.casefold() in CONNECTORS \
            or any(before.norm == f for _, f in src.forms) \
            or tgt.text[before.end:tgt.tokens[first].start].strip():
        return None
    return tgt.text[before.start:tgt.tokens[first].end]


@raises("N109", FlagKind.VARIANT, Severity.MINOR)
def _respelled_in_place(name: Name, pair: Pair, used: set[int]) -> str | None:
    """The name found only through a known respelling (Kyiv as Kiev) or with its inner case changed (Deepstate).

    Returns the translation's form, or None."""
    tgt = pair.tgt
    for k in sorted(used):
        other = tgt.tokens[k].text.split("'")[0].split("’")[0].split(":")[0]
        for t in name.tokens:
            mine = t.text.split("'")[0].split("’")[0].split(":")[0]
            if mine == other or t.norm in CONNECTORS:
                continue
            if is_respelling(mine, other) and (same_entity(mine, other) or mine.casefold() == other.casefold()) \
                    and not exonym(mine, other, tgt.language):
                return other
    return None


@raises("N118", FlagKind.VARIANT, Severity.MINOR)
def _respelled_unknown(name: Name, pair: Pair, used: set[int]) -> str | None:
    """The name found only through a respelling no table knows of (Mottley as Motley): two spellings to settle.

    Inflections, possessives, accents, case and established equivalents are
    the same name; a word that respells none of the name's closely enough is
    not this rule's. Returns the translation's form, or None."""
    words = [t.text for t in name.tokens if t.norm not in CONNECTORS]
    keys = {_key(w) for w in words} | {p for w in words for p in _key(w).split("-")}
    language = pair.tgt.language
    for k in sorted(used):
        other = pair.tgt.tokens[k].text
        ko = _key(other)
        # the same words joined or split by a hyphen (Kashiwazaki Kariwa)
        if not ko or ko in keys or all(p in keys for p in ko.split("-")):
            continue
        mine = max(words, key=lambda w: difflib.SequenceMatcher(a=_key(w), b=ko).ratio())
        km = _key(mine)
        # two dictionary words, one the other's form or spelling (Culture/Cultural,
        # Organisation/Organization): the language's variation, not the name's
        if min(zipf(km, language), zipf(ko, language)) >= SETTINGS.dictionary_word_zipf:
            continue
        # the tables' equivalents are established forms, not respellings; a
        # transliteration no table knows (Lyashenko/Liashenko) is one
        if _inflected(km, ko) or _inflected(ko, km) or _entity_ids(mine) & _entity_ids(other) \
                or exonym(mine, other, pair.tgt.language):
            continue
        # a transliteration convention (Yevmenov/Evmenov, Louis/Luis) is one
        # name; a letter doubled or dropped (Mottley/Motley) is a respelling
        if skeleton(km) == skeleton(ko) and _doubled(km) == _doubled(ko):
            continue
        if difflib.SequenceMatcher(a=km, b=ko).ratio() >= SETTINGS.respelled_name_ratio:
            return other
    return None


def _doubled(key: str) -> list[str]:
    """The letters a word doubles, in order (mottley -> [t])."""
    return [m.group(1) for m in re.finditer(r"(\w)\1+", key)]


# The bead's own rules, in the order its stages consult them.
BEAD_RULES: tuple[Rule, ...] = (
    _modifier_changed, _respelled_in_place, _respelled_unknown, _shortened_name, _name_cut_at_an_edge, _variant_elsewhere,
    _established_equivalent, _said_once, _moved_to_neighbour, _name_missing, _name_added,
)
