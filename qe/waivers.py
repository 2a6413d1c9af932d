"""An editor's decisions on flags, exported from the HTML review page.

The page writes a JSON file; `qe check --waivers FILE` reads it back so that a
flag the editor waived (a false alarm, or a change they accept) no longer fails
the gate. The flag stays in the report, marked waived. The file:

    {
      "format": "qe-waivers", "version": 1,
      "document": "spun.en.txt",          # translation file name it was made for ("" = any)
      "decisions": [
        {"key": "name:changed:Kherson->Hosen", "decision": "waived", ...},
        {"key": "number:number-changed:12->21", "decision": "accepted", ...}
      ]
    }

"waived" = not a problem, do not fail on it; "accepted" = the flag is right, the
translation must be fixed (recorded for the team; it changes nothing in qe).
Decisions are matched on Flag.key, which does not change between runs of an
unchanged pair. Extra fields (kind, message, …) are there for people reading
the file and are ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterable

from qe.errors import ConfigError
from qe.models import Flag, Report

FORMAT = "qe-waivers"
VERSION = 1
DECISIONS = ("waived", "accepted")


@dataclass(frozen=True)
class Decision:
    key: str
    decision: str  # one of DECISIONS
    document: str = ""  # translation file name the decision was made for; "" = any document


def load_waivers(path: str | Path) -> tuple[Decision, ...]:
    """Read and validate a waivers file; any problem is a ConfigError (exit 2)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such waivers file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot be read as a waivers file ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{p}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except (RecursionError, ValueError) as exc:  # nested past the parser's limit, a 5,000-digit number
        raise ConfigError(f"{p}: not a usable waivers file ({type(exc).__name__})") from None
    return parse_waivers(data, source=str(p))


def parse_waivers(data: object, *, source: str = "waivers") -> tuple[Decision, ...]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError(f"{source}: not a qe waivers file (expected \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise ConfigError(f"{source}: waivers version {data.get('version')!r} is not supported (expected {VERSION})")
    document = data.get("document") or ""
    items = data.get("decisions")
    if not isinstance(document, str) or not isinstance(items, list):
        raise ConfigError(f"{source}: \"document\" must be a string and \"decisions\" a list")
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not item["key"]:
            raise ConfigError(f"{source}: decision {n} has no \"key\"")
        if item.get("decision") not in DECISIONS:
            raise ConfigError(f"{source}: decision {n}: \"decision\" must be one of {', '.join(DECISIONS)}, "
                              f"not {item.get('decision')!r}")
        out.append(Decision(key=item["key"], decision=item["decision"],
                            document=str(item.get("document", document) or "")))
    return tuple(out)


def _base(name: str) -> str:
    return PurePath(name).name if name else ""


def waived_keys(decisions: Iterable[Decision], document: str = "") -> frozenset[str]:
    """The Flag keys waived for `document` (its path or file name).

    A decision made for another file does not apply: a waiver file shared by a
    batch of documents must not silence the same name in a different text.
    """
    doc = _base(document)
    return frozenset(d.key for d in decisions
                     if d.decision == "waived" and (not d.document or not doc or _base(d.document) == doc))


def decision_record(flag: Flag, decision: str) -> dict:
    """One decision as the review page exports it."""
    return {"key": flag.key, "decision": decision, "kind": flag.kind.value, "severity": flag.severity.value,
            "original": flag.original, "found": flag.found, "message": flag.message}


def render_waivers(report: Report, decisions: dict[str, str]) -> str:
    """A waivers file for `report` from {flag key: decision} (what the page's export writes)."""
    records, seen = [], set()
    for f in report.flags:
        if f.key in decisions and f.key not in seen:
            seen.add(f.key)
            records.append(decision_record(f, decisions[f.key]))
    data = {"format": FORMAT, "version": VERSION, "document": _base(report.translation.name),
            "original": _base(report.original.name), "decisions": records}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


__all__ = ["DECISIONS", "Decision", "FORMAT", "VERSION", "load_waivers", "parse_waivers", "render_waivers",
           "waived_keys"]
