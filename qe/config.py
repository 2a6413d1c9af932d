"""Gate settings from a config file: `[tool.qe]` in pyproject.toml or a qe.toml.

The Thresholds dataclass is the one source of truth for the names and the
defaults; a file only overrides some of them, and command-line options override
the file. Where the file is looked for (the first that exists wins):

    --config FILE                     given explicitly
    ./qe.toml                         all keys at top level
    ./pyproject.toml                  keys under [tool.qe] (ignored when absent)

Besides the Thresholds fields a file may name `waivers = "path"` (relative to
the file), the decisions exported from the HTML review page, and
`ignore_rules = ["N2xx", "Q302"]`, name/number rules switched off by code or
pattern (qe.names.rules).
"""

from __future__ import annotations

import dataclasses
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from qe.errors import ConfigError
from qe.models import FlagKind, Thresholds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - tomllib joined the standard library in 3.11
    import tomli as tomllib

_FIELDS = {f.name: f for f in dataclasses.fields(Thresholds)}
# Keys that are not thresholds but may still live in the file.
_EXTRA_KEYS = ("waivers", "ignore_rules")

_FRACTIONS = ("max_omitted_fraction", "max_added_fraction", "max_wrong_fraction")
_RISKS = ("check_risk", "wrong_risk", "max_risk")
_SIMILARITIES = ("check_similarity", "wrong_similarity", "min_similarity")
_PERCENTS = ("check_chrf", "min_bleu", "min_chrf")


@dataclass(frozen=True)
class FileConfig:
    """What a config file said, already validated."""

    path: Path | None = None
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    waivers: Path | None = None
    ignore_rules: tuple[str, ...] = ()  # the patterns as written; qe.names.rules.rule_codes expands them


def find_config(cwd: str | Path = ".") -> Path | None:
    """The config file that applies in `cwd`, or None."""
    cwd = Path(cwd)
    if (cwd / "qe.toml").is_file():
        return cwd / "qe.toml"
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file() and "qe" in _read_toml(pyproject).get("tool", {}):
        return pyproject
    return None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc


def load_config(path: str | Path | None = None, *, cwd: str | Path = ".") -> FileConfig:
    """Read and validate the config file (explicit `path`, else the one found in `cwd`)."""
    if path is None:
        found = find_config(cwd)
        if found is None:
            return FileConfig()
        path = found
    path = Path(path)
    data = _read_toml(path)
    table = data.get("tool", {}).get("qe", {}) if path.name == "pyproject.toml" else data
    where = f"{path} [tool.qe]" if path.name == "pyproject.toml" else str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table of settings")
    unknown = sorted(set(table) - set(_FIELDS) - set(_EXTRA_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)} "
                          f"(known: {', '.join([*_FIELDS, *_EXTRA_KEYS])})")
    values = {k: v for k, v in table.items() if k in _FIELDS}
    thresholds = {k: _coerce(k, v, where) for k, v in values.items()}
    waivers = None
    if "waivers" in table:
        if not isinstance(table["waivers"], str) or not table["waivers"]:
            raise ConfigError(f"{where}: waivers must be a file path")
        waivers = (path.parent / table["waivers"])
    ignore_rules = table.get("ignore_rules", [])
    if not isinstance(ignore_rules, list) or not all(isinstance(r, str) for r in ignore_rules):
        raise ConfigError(f"{where}: ignore_rules must be a list of rule codes, e.g. [\"N2xx\", \"Q302\"]")
    from qe.names.rules import rule_codes

    try:
        rule_codes(ignore_rules)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return FileConfig(path=path, thresholds=thresholds, waivers=waivers, ignore_rules=tuple(ignore_rules))


def _coerce(name: str, value: Any, where: str) -> Any:
    """One setting to the type its Thresholds field has, or a ConfigError."""
    type_ = str(_FIELDS[name].type)
    if type_ == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {name} must be true or false, not {value!r}")
        return value
    if type_.startswith("tuple"):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {name} must be a list of strings")
        known = [k.value for k in FlagKind]
        bad = [v for v in value if v not in known]
        if bad:
            raise ConfigError(f"{where}: {name}: unknown flag kind(s) {', '.join(bad)} (known: {', '.join(known)})")
        return tuple(value)
    if value is None and "None" in type_:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{where}: {name} must be a number, not {value!r}")
    return float(value)


def validate(t: Thresholds, where: str = "thresholds") -> Thresholds:
    """Refuse settings that cannot mean anything (a share above 1, similarity above 1…)."""
    for name in _FRACTIONS:
        v = getattr(t, name)
        if not 0.0 <= v <= 1.0:
            raise ConfigError(f"{where}: {name} is a share and must lie in 0..1, not {v}")
    for name in _RISKS:
        v = getattr(t, name)
        if v is not None and not 0.0 <= v <= 1.0:
            raise ConfigError(f"{where}: {name} is a risk and must lie in 0..1, not {v}")
    if None not in (t.check_risk, t.wrong_risk) and t.check_risk > t.wrong_risk:
        raise ConfigError(f"{where}: check_risk ({t.check_risk}) must not exceed wrong_risk ({t.wrong_risk})")
    for name in _SIMILARITIES:
        v = getattr(t, name)
        if v is not None and not -1.0 <= v <= 1.0:
            raise ConfigError(f"{where}: {name} is a cosine similarity and must lie in -1..1, not {v}")
    for name in _PERCENTS:
        v = getattr(t, name)
        if v is not None and not 0.0 <= v <= 100.0:
            raise ConfigError(f"{where}: {name} is on sacrebleu's 0..100 scale, not {v}")
    if None not in (t.wrong_similarity, t.check_similarity) and t.wrong_similarity > t.check_similarity:
        raise ConfigError(f"{where}: wrong_similarity ({t.wrong_similarity}) must not exceed "
                          f"check_similarity ({t.check_similarity})")
    return t


def build_thresholds(file_values: Mapping[str, Any] | None = None,
                     options: Mapping[str, Any] | None = None) -> Thresholds:
    """Defaults < config file < command-line options (None in `options` = not given)."""
    merged: dict[str, Any] = dict(file_values or {})
    for name, value in (options or {}).items():
        if name not in _FIELDS:
            raise ConfigError(f"unknown threshold {name!r}")
        if value is not None:
            merged[name] = _coerce(name, value, "command line")
    return validate(Thresholds(**merged))


__all__ = ["FileConfig", "build_thresholds", "find_config", "load_config", "validate"]
