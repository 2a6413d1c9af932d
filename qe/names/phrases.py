"""The phrases of a sentence, indexed for the name lookup.

`_locate` asks whether some phrase of up to five tokens names the same thing
as a name it could not find word by word (US / United States, Vita huset /
White House). A `_SpanIndex` answers from indexes of the phrases' keys,
entity groups, skeletons, initials and acronyms instead of trying every span.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from qe.names.gazetteer import GAZETTEER, _entity_ids
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
    phrases, not every span.

    Most phrases are tokens one space apart; such a phrase's key is its
    tokens' keys joined, so it is never built unless a lookup needs it."""

    def __init__(self, text: str, toks: Sequence[Token], longest: int = 5):
        self.spans = list(_phrase_spans(text, toks, longest))
        self.longest = longest
        self.token_keys = [_key(t.text) for t in toks]
        gap_is_space = [text[toks[k].end:toks[k + 1].start] == " " for k in range(len(toks) - 1)]
        self.n_tokens = len(toks)
        # a phrase of tokens one space apart splits into those tokens: its key joins theirs
        self.plain = [all(gap_is_space[i:j - 1]) for i, j, _ in self.spans]
        if any(" " in k for k in self.token_keys):  # a key that splits (never seen): no shortcut
            self.plain = [False] * len(self.spans)
        self.other_keys = {n: _key(phrase) for n, (_, _, phrase) in enumerate(self.spans) if not self.plain[n]}
        self.number = {(i, j): n for n, (i, j, _) in enumerate(self.spans)}
        self.starts: dict[str, list[int]] = {}
        for k, tk in enumerate(self.token_keys):
            self.starts.setdefault(tk, []).append(k)
        self._by_id: dict[str, list[int]] | None = None
        self._by_skeleton: dict[str, list[int]] | None = None
        self._by_initials: dict[str, list[int]] | None = None
        self._acronyms: list[int] | None = None

    def key(self, n: int) -> str:
        if self.plain[n]:
            i, j, _ = self.spans[n]
            return " ".join(self.token_keys[i:j])
        return self.other_keys[n]

    def with_key(self, ka: str) -> list[int]:
        words = ka.split(" ")
        found = [n for n, kb in self.other_keys.items() if kb == ka]
        w = len(words)
        if w <= self.longest:
            for i in self.starts.get(words[0], ()):
                n = self.number.get((i, i + w))
                if n is not None and self.plain[n] and self.token_keys[i:i + w] == words:
                    found.append(n)
        return found

    def by_id(self) -> dict[str, list[int]]:
        if self._by_id is None:
            self._by_id = {}
            first_words = GAZETTEER.first_words()
            for n, (i, j, _) in enumerate(self.spans):
                # a table form of several words starts with one of the tables' first words
                if self.plain[n] and j - i > 1 and self.token_keys[i] not in first_words:
                    continue
                for g in GAZETTEER.key_ids(self.key(n)):
                    self._by_id.setdefault(g, []).append(n)
        return self._by_id

    def by_skeleton(self) -> dict[str, list[int]]:
        if self._by_skeleton is None:
            self._by_skeleton = {}
            for n, (i, j, phrase) in enumerate(self.spans):
                if (j - i == 1) if self.plain[n] else " " not in self.other_keys[n]:
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

    def acronyms(self, toks: Sequence[Token]) -> list[int]:
        if self._acronyms is None:
            # a phrase is an acronym only if its first token's letters (up to an
            # apostrophe or colon, where _is_acronym stops reading) are capitals
            capitals = [all(c.isupper() for c in re.split(r"['’:]", t.text)[0] if c.isalpha()) for t in toks]
            self._acronyms = [n for n, (i, _, phrase) in enumerate(self.spans) if capitals[i] and _is_acronym(phrase)]
        return self._acronyms

    def candidates(self, a: str, toks: Sequence[Token]) -> list[tuple[int, int, str]]:
        """The spans `_entity_matcher(a)` may accept, in `_phrase_spans` order."""
        ka = _key(a)
        found = set(self.with_key(ka))
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
            found.update(self.acronyms(toks))
        return [self.spans[n] for n in sorted(found)]
