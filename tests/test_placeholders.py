"""Format placeholders: found, masked for the name stage, compared source vs target."""

import pytest

from qe.models import Severity
from qe.placeholders import compare, find, mask

FIND = [
    ("You have %d new %s", ["%d", "%s"]),
    ("%(count)d items", ["%(count)d"]),
    ("%1$s and %2$d", ["%1$s", "%2$d"]),
    ("Hi {name}, item {0}, {{ user }}, {x:>3}", ["{name}", "{0}", "{{ user }}", "{x:>3}"]),
    ("Saved by %@", ["%@"]),
    # not placeholders: a percentage, a literal %%, JSON braces
    ("50 % of them, 100% sure", []),
    ("%% done", []),
    ('json {"a": 1}', []),
]


@pytest.mark.parametrize("text,expected", FIND)
def test_find(text, expected):
    assert [p.token for p in find(text)] == expected


@pytest.mark.parametrize("text", [t for t, _ in FIND])
def test_mask_keeps_offsets_and_blanks_every_placeholder(text):
    masked = mask(text)
    assert len(masked) == len(text)
    assert find(masked) == []
    for p in find(text):
        assert masked[p.start:p.start + len(p.token)].strip() == ""


COMPARE = [
    # source, target, [(rule, severity)]
    (("%s",), ("%s",), []),
    (("{a}", "{b}"), ("{a}", "{b}"), []),
    (("{a}",), (), [("placeholder-missing", Severity.MAJOR)]),
    ((), ("{a}",), [("placeholder-added", Severity.MAJOR)]),
    (("<x id=br1/>",), (), [("placeholder-missing", Severity.MAJOR)]),
    (("%s", "%d"), ("%d", "%s"), [("placeholder-reordered", Severity.MAJOR)]),  # the values would swap
    (("%1$s", "%2$d"), ("%2$d", "%1$s"), [("placeholder-reordered", Severity.MINOR)]),
    (("{a}", "{b}"), ("{b}", "{a}"), [("placeholder-reordered", Severity.MINOR)]),
    (("{a}", "{a}"), ("{a}",), [("placeholder-missing", Severity.MAJOR)]),
    (("{a}",), ("{b}",), [("placeholder-missing", Severity.MAJOR), ("placeholder-added", Severity.MAJOR)]),
]


@pytest.mark.parametrize("source,target,expected", COMPARE)
def test_compare(source, target, expected):
    assert [(m.rule, m.severity) for m in compare(source, target)] == expected


@pytest.mark.parametrize("source,target,codes", [
    (("{a}",), (), ["P101"]), ((), ("{a}",), ["P102"]),
    (("%s", "%d"), ("%d", "%s"), ["P103"]), (("{a}", "{b}"), ("{b}", "{a}"), ["P104"]),
])
def test_every_mismatch_names_its_rule(source, target, codes):
    assert [m.code for m in compare(source, target)] == codes
