"""Rules and the flags they raise.

A `Rule` is a small named predicate with a code, the flag kind it raises and
its severity (or, for an equivalence, none: it keeps a difference quiet), and
a one-line explanation: its docstring's first line, which is what an editor
reads beside a flag. The checks walk ordered tuples of rules (change.py,
silence.py, bead.py, quantities.py); qe.names.rules lists them all.

Codes: N1xx a name flagged, N2xx an equivalence that keeps a name quiet,
Q3xx a number flagged, Q4xx what keeps a number quiet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from qe.errors import ConfigError
from qe.models import Flag, FlagKind, Severity

EQUIVALENCE = "equivalence"  # the kind of a rule that keeps a difference quiet


@dataclass(frozen=True)
class Rule:
    code: str
    kind: FlagKind | str  # the flag it raises, or EQUIVALENCE
    severity: Severity | None  # None for an equivalence
    test: Callable[..., bool]

    @property
    def name(self) -> str:
        return self.test.__name__.lstrip("_")

    @property
    def explanation(self) -> str:
        """The first line of the predicate's docstring: what an editor reads."""
        doc = (self.test.__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split())


def raises(code: str, kind: FlagKind, severity: Severity = Severity.MAJOR):
    """Decorator: the predicate is the rule `code`, raising a flag of `kind`."""
    def make(test: Callable[..., bool]) -> Rule:
        return Rule(code, kind, severity, test)
    return make


def quiets(code: str):
    """Decorator: the predicate is the equivalence rule `code`."""
    def make(test: Callable[..., bool]) -> Rule:
        return Rule(code, EQUIVALENCE, None, test)
    return make


_PATTERN = re.compile(r"[A-Za-z]\d{0,3}x*")


def ignored_codes(patterns: Iterable[str], codes: Iterable[str]) -> frozenset[str]:
    """The codes that patterns switch off: a code (N201), or a prefix with its
    remaining digits written as x (N2xx, N20x) or left out (N2). A pattern
    that names no rule is a ConfigError, so a typo does not silently keep a
    rule on."""
    codes = tuple(codes)
    out: set[str] = set()
    for raw in patterns:
        pattern = raw.strip().upper().replace("X", "x")
        if not _PATTERN.fullmatch(pattern):
            raise ConfigError(f"ignore rule {raw!r}: not a rule code or pattern (e.g. N201, N2xx, Q3)")
        prefix = pattern.rstrip("x")
        hits = {c for c in codes if c.startswith(prefix) and (pattern == prefix or len(c) == len(pattern))}
        if not hits:
            raise ConfigError(f"ignore rule {raw!r}: no rule has that code")
        out |= hits
    return frozenset(out)


@dataclass(frozen=True)
class RuleSet:
    """Which rules are switched off for a run."""

    ignored: frozenset[str] = frozenset()

    def on(self, rule: Rule) -> bool:
        return rule.code not in self.ignored

    def first(self, rules: Iterable[Rule], *args) -> Rule | None:
        """The first active rule of an ordered table whose predicate holds."""
        return next((r for r in rules if r.code not in self.ignored and r.test(*args)), None)

    def holds(self, rule: Rule, *args) -> bool:
        """The rule is on and its predicate holds."""
        return rule.code not in self.ignored and bool(rule.test(*args))

    def any(self, rules: Iterable[Rule], *args) -> bool:
        return self.first(rules, *args) is not None


ALL_ON = RuleSet()


_MESSAGES = {
    FlagKind.VARIANT: "“{found}” is another spelling of “{orig}”",
    FlagKind.COMMON_WORD: "“{found}” — a name part became a common word; original: “{orig}”",
    FlagKind.CHANGED: "“{found}” — original: “{orig}”",
    FlagKind.MISSING: "“{orig}” is missing from the translation",
    FlagKind.ADDED: "“{found}” is not in the original",
}


@dataclass(frozen=True)
class _Where:
    bead: int
    src_sentence: int | None
    tgt_sentence: int | None


def _name_flag(rule: Rule, original: str, found: str | None, where: _Where) -> Flag:
    assert isinstance(rule.kind, FlagKind) and rule.severity is not None
    return Flag(kind=rule.kind, severity=rule.severity, original=original, found=found,
                message=_MESSAGES[rule.kind].format(found=found, orig=original), bead=where.bead,
                src_sentence=where.src_sentence, tgt_sentence=where.tgt_sentence, category="name",
                rule=rule.code)
