"""One bead's check: the names of the original looked for in the translation.

Names found whole are fine (or a respelling, or a changed modifier); names
found in part are a shortening, a changed word, or a lost inner word; the
rest are matched with a leftover translation name (a variant, another name,
a common word) or reported missing; translation names nothing accounts for
are reported added. Numbers follow (quantities.check_numbers).
"""

from __future__ import annotations

import difflib

from qe.models import Flag, FlagKind
from qe.names.lexicon import _word_set, zipf
from qe.names.text import CONNECTORS, _key, tokenize
from qe.names.equivalence import (
    _clipped_name, _unknown_respelling, distinct_places, exonym, is_respelling, legit_equivalent, same_entity,
)
from qe.names.evidence import capitalised_in, lower_case_words
from qe.names.extraction import Name
from qe.names.counterpart import (
    _Side, _capitalised_at, _counterpart_by_anchors, _counterpart_by_diff, _in_context, _in_source,
    _join_spelled_out, _locate, _modifier_kept, _name_at, _pair_by_position,
)
from qe.names.change import _change_kind
from qe.names.silence import (
    _ROMAN, _acronym_written_as_word, _bracketed_abbreviation, _capitalised_common_word, _demonym_or_date,
    _foreign_words, _named_by_kept_acronym, _plain_shortening, _strong_name, _unit_of_shared_number,
    _without_described,
)
from qe.names.flags import _Where, _name_flag
from qe.names.quantities import check_numbers
from qe.names.settings import SETTINGS


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
                        and zipf(lost_tail[0], src.language) >= SETTINGS.dictionary_word_zipf)):
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
                            and difflib.SequenceMatcher(a=_key(name.text), b=_key(c.text)).ratio()
                            >= SETTINGS.respelled_name_ratio), None)
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
