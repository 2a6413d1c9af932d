"""Every rule of the name and number checks, by code.

Codes, in the manner of ruff and flake8 (a letter for the check, a digit for
the group):

- N1xx  a name flagged: missing (N101), changed into another name (N102), a
        part turned into a dictionary word (N103, N104), another place or
        word (N105, N106), a variant or respelling (N109, N111-N117, minor),
        added (N110, minor);
- N2xx  equivalences, which keep a difference quiet: the same name in
        another legitimate form (N201-N207), a shortened or repeated name
        (N210-N213), a leftover that is no lost name (N220-N225), an added
        word that is no added name (N230-N234);
- Q3xx  a number flagged: changed (Q301, Q303, Q304), missing (Q302);
- Q4xx  what keeps a number quiet (Q401, Q402).

`RULES` lists them in code order with their kind, severity and explanation
(the first line of each predicate's docstring). Switch rules off with
`check_names(..., ignore_rules=...)`, `qe check --ignore-rule N2xx` or
`ignore_rules = ["N2xx"]` in qe.toml / [tool.qe].
"""

from __future__ import annotations

from typing import Iterable

from qe.names.bead import BEAD_RULES
from qe.names.change import CHANGE_EQUIVALENCES, CHANGE_RULES, _table_equivalent_part
from qe.names.flags import Rule, ignored_codes
from qe.names.quantities import NUMBER_RULES
from qe.names.silence import ADDED_EQUIVALENCES, MISSING_EQUIVALENCES, _emphasis_word

RULES: tuple[Rule, ...] = tuple(sorted(
    {r.code: r for r in (*CHANGE_RULES, _table_equivalent_part, *CHANGE_EQUIVALENCES, *BEAD_RULES,
                         _emphasis_word, *MISSING_EQUIVALENCES, *ADDED_EQUIVALENCES, *NUMBER_RULES)}.values(),
    key=lambda r: r.code))

BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def rule_codes(patterns: Iterable[str]) -> frozenset[str]:
    """The codes of the rules that patterns (N201, N2xx, N2, Q) name; a
    pattern naming no rule is a ConfigError."""
    return ignored_codes(patterns, BY_CODE)


def rule_table() -> list[tuple[str, str, str, str]]:
    """(code, kind, severity, explanation) for every rule, in code order."""
    return [(r.code, getattr(r.kind, "value", r.kind), r.severity.value if r.severity else "",
             r.explanation) for r in RULES]
