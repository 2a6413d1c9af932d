"""The phrases of a sentence, indexed for the name lookup.

`_locate` asks whether some phrase of up to five tokens names the same thing
as a name it could not find word by word (US / United States, Vita huset /
White House). A `_SpanIndex` answers from indexes of the phrases' keys,
entity groups, skeletons, initials and acronyms instead of trying every span.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from qe.names.gazetteer import _entity_ids
from qe.names.text import Token, _acronym_of, _is_acronym, _key, skeleton


def _phrase_spans(text: str, toks: Sequence[Token], longest: int = 5) -> Iterable[tuple[int, int, str]]:
    """(first token, end token, phrase) for every run of up to `longest` tokens, shortest first."""
    for k in range(1, longest + 1):
        for i in range(len(toks) - k + 1):
            yield i, i + k, text[toks[i].start:toks[i + k - 1].end]


class _SpanIndex:
    """The phrases of a side (up to five tokens) indexed by what
    `_entity_matcher` compares: key, entity groups, skeleton, initials,
    acronyms, each index built on first need. A name's matching phrases are
    among its candidates, so the phrase scan of `_locate` tries a handful of
    phrases, not every span."""

    def __init__(self, text: str, toks: Sequence[Token], longest: int = 5):
        self.spans = list(_phrase_spans(text, toks, longest))
        token_keys = [_key(t.text) for t in toks]
        spaced = [text[toks[k].end:toks[k + 1].start] == " " for k in range(len(toks) - 1)]
        # a phrase of tokens one space apart splits into those tokens: its key joins theirs
        self.keys = [" ".join(token_keys[i:j]) if all(spaced[i:j - 1]) else _key(phrase)
                     for i, j, phrase in self.spans]
        self.by_key: dict[str, list[int]] = {}
        for n, kb in enumerate(self.keys):
            self.by_key.setdefault(kb, []).append(n)
        self._by_id: dict[str, list[int]] | None = None
        self._by_skeleton: dict[str, list[int]] | None = None
        self._by_initials: dict[str, list[int]] | None = None
        self._acronyms: list[int] | None = None

    def by_id(self) -> dict[str, list[int]]:
        if self._by_id is None:
            self._by_id = {}
            for n, (_, _, phrase) in enumerate(self.spans):
                for i in _entity_ids(phrase):
                    self._by_id.setdefault(i, []).append(n)
        return self._by_id

    def by_skeleton(self) -> dict[str, list[int]]:
        if self._by_skeleton is None:
            self._by_skeleton = {}
            for n, (_, _, phrase) in enumerate(self.spans):
                if " " not in self.keys[n]:
                    self._by_skeleton.setdefault(skeleton(phrase), []).append(n)
        return self._by_skeleton

    def by_initials(self) -> dict[str, list[int]]:
        if self._by_initials is None:
            self._by_initials = {}
            for n, (_, _, phrase) in enumerate(self.spans):
                if " " in phrase.strip():
                    words = phrase.split()
                    initials = "".join(sorted(_acronym_of(words).casefold()))
                    self._by_initials.setdefault(initials, []).append(n)
        return self._by_initials

    def acronyms(self) -> list[int]:
        if self._acronyms is None:
            self._acronyms = [n for n, (_, _, phrase) in enumerate(self.spans) if _is_acronym(phrase)]
        return self._acronyms

    def candidates(self, a: str) -> list[tuple[int, int, str]]:
        """The spans `_entity_matcher(a)` may accept, in `_phrase_spans` order."""
        ka = _key(a)
        found = set(self.by_key.get(ka, ()))
        ids = _entity_ids(a)
        if ids:
            by_id = self.by_id()
            for i in ids:
                found.update(by_id.get(i, ()))
        if " " not in ka and len(ka) > 3:
            found.update(self.by_skeleton().get(skeleton(a), ()))
        if _is_acronym(a):
            found.update(self.by_initials().get("".join(sorted(ka)), ()))
        if len(a.split()) >= 2:
            found.update(self.acronyms())
        return [self.spans[n] for n in sorted(found)]
