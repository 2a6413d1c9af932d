"""The name flags' kinds, severities and messages, and where a flag belongs."""

from __future__ import annotations

from dataclasses import dataclass

from qe.models import Flag, FlagKind, Severity


_MESSAGES = {
    FlagKind.VARIANT: "“{found}” is another spelling of “{orig}”",
    FlagKind.COMMON_WORD: "“{found}” — a name part became a common word; original: “{orig}”",
    FlagKind.CHANGED: "“{found}” — original: “{orig}”",
    FlagKind.MISSING: "“{orig}” is missing from the translation",
    FlagKind.ADDED: "“{found}” is not in the original",
}


_SEVERITY = {FlagKind.VARIANT: Severity.MINOR, FlagKind.ADDED: Severity.MINOR}


@dataclass(frozen=True)
class _Where:
    bead: int
    src_sentence: int | None
    tgt_sentence: int | None


def _name_flag(kind: FlagKind, original: str, found: str | None, where: _Where) -> Flag:
    return Flag(kind=kind, severity=_SEVERITY.get(kind, Severity.MAJOR), original=original, found=found,
                message=_MESSAGES[kind].format(found=found, orig=original), bead=where.bead,
                src_sentence=where.src_sentence, tgt_sentence=where.tgt_sentence, category="name")
