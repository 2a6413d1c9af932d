"""Numbers and dates, in digits or words, compared by value.

"three years" = "3 years", "2,600" = "2600", "5 million" = "5,000,000"; a
number the translation changed or dropped is flagged.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass
from typing import Sequence

from qe.models import Flag, FlagKind
from qe.names.lexicon import _word_set, _words
from qe.names.text import CONNECTORS, _relative
from qe.names.flags import ALL_ON, Rule, RuleSet, _Where, quiets, raises
from qe.names.settings import SETTINGS


@dataclass(frozen=True)
class Quantity:
    """One number as written: "30", "2,600", "three", "5 million", "18th"."""

    text: str  # the whole expression it belongs to ("2006-09" for both 2006 and 2009)
    value: float
    start: int
    unit: str  # the word after it ("days"), "%" for percentages, "" when none
    expression: int  # quantities of one expression share this
    soft: bool = False  # written in words: often reworded ("both"), never reported missing
    # the number of a code name ("COVID-19", "iPhone6", "3D"), unit holding the
    # code's letters: compared only with the same code, and never reported
    # missing, since a dropped name is the name check's to report
    code: bool = False
    # other values the same writing can mean ("80s": 1980; "3.50 m": 3.5 metres or
    # 3.5 million; "8:30 p.m.": 20; "a third": 1/3): a translation that picked
    # any of them wrote the same number
    alternatives: tuple[float, ...] = ()

    @property
    def readings(self) -> tuple[float, ...]:
        return (self.value, *self.alternatives)

    @property
    def label(self) -> str:
        """What a reader looks for: the number with the word it counts ("30 days")."""
        if not self.unit or self.unit == "%" or self.unit in self.text.casefold() or not self.unit.isalpha():
            return self.text
        return f"{self.text} {self.unit}"


_DIGITS = re.compile(
    r"(?<![\w.,])(?P<cur>[$€£¥])?(?P<num>\d+(?:(?P<sep>[,.\u00a0\u202f ])\d{3}(?!\d))*(?:[.,]\d+)?)"
    r"(?:(?P<glued>(?i:km|cm|mm|kg|mg|ml|mi|mph|kph|ft|ha|kwh|kw|mwh|mw|gwh|gw|twh|hrs?|min|sec))"
    r"|(?P<suffix>st|nd|rd|th|s|:e|:a|e|bn|mn|tn|m|k))?(?![\w])"
)


# code names: letters with a capital, then a number ("COVID-19", "F-16",
# "iPhone6", "A4"), or a number and a capital ("3D", "5G"); "mid-2020" is a year
# Linear by construction: a letter run is taken whole (possessive) after one
# lookahead for its capital; "[^\W\d_]*[A-Z][^\W\d_]*" tried every split of a
# long capitalised word (102 s for one of 50,000 letters).
_CODE = re.compile(r"(?<![\w-])(?:(?P<name>(?=[^\W\d_]*?[A-Z])[^\W\d_]++)-?(?P<num>\d++)"
                   r"|(?P<lead>\d++)(?P<tail>[A-Z][^\W\d_]*+))(?!\w)")


# "m" after a number without a currency is metres as often as millions
_AMBIGUOUS_SCALES = frozenset({"m"})


_PM = re.compile(r"\s*p\.?\s?m\b\.?", re.IGNORECASE)


def _evening_hour(value: float, text: str, end: int) -> tuple[tuple[float, ...], int]:
    """"8 p.m." is also 20 (a 24-hour clock); and where "p.m." ends."""
    pm = _PM.match(text, end)
    return ((value + 12,), pm.end()) if pm and value < 12 and value == int(value) else ((), end)


def _digit_alternatives(m: re.Match, value: float) -> tuple[float, ...]:
    """Other values digits may mean: "272.000" written with a thousands point
    where the text's language uses a decimal one; a decade ("80s": 1980 or 2080,
    "20s": 1920 or 2020); a century of years ("1800s": the 19th)."""
    num, suffix = m.group("num"), m.group("suffix")
    alts: list[float] = []
    if re.fullmatch(r"\d{1,3}[.,]\d{3}", num):
        whole = float(num.replace(",", "").replace(".", ""))
        if not _same_value(whole, value):
            alts.append(whole)
    if suffix == "s" and num.isdigit():
        if len(num) == 2:
            alts += [1900 + value, 2000 + value]
        elif len(num) == 4 and value % 100 == 0:
            alts.append(value // 100 + 1)
    return tuple(alts)


# from the start of a digit run only, each run taken whole: tried from every
# digit with backtracking, this was quadratic in a long run of digits
_JOINED = re.compile(r"(?<!\d)\d++(?:[-–/:]\d++)+")


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)


# Digits past this are not a quantity a reader checks (an id, a hash, padding);
# 310 of them overflowed to infinity, and infinity is not equal to itself.
MAX_DIGITS = 30


def _parse_digits(num: str, sep: str | None, language: str) -> float | None:
    """The value of a number in digits, None when it is not one. Precision is
    float's (15 significant digits), enough for any quantity in prose."""
    if sum(c.isdigit() for c in num) > MAX_DIGITS:
        return None
    s = num.replace("\u00a0", "").replace("\u202f", "")
    if language != "en" and " " in s:
        s = s.replace(" ", "")
    elif " " in s:
        return None
    if language == "en":
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
            s = s.replace(",", "")
        s = s.replace(",", ".")
    else:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            s = s.replace(".", "")
        s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def find_quantities(text: str, language: str = "en") -> list[Quantity]:
    """Numbers in a sentence, in digits or words, with scales and units applied."""
    return list(_find_quantities(text, language))


@functools.lru_cache(maxsize=4096)
def _find_quantities(text: str, language: str) -> tuple[Quantity, ...]:
    numbers = _words("number", language)
    ordinals = _words("ordinal", language)
    decades = _words("decade", language)
    scales = _words("scale", language)
    percents = _word_set("percent", language)
    # numbers in words are often reworded ("the two sides" -> "both sides"): never reported missing
    soft_words = set(numbers) | set(ordinals) | set(decades)
    out: list[Quantity] = []
    expr = 0

    def following(end: int) -> tuple[str, int]:
        m = re.match(r"\s*(%|[^\W\d_]+)", text[end:])
        return (m.group(1).casefold(), end + m.end()) if m else ("", end)

    def scaled(value: float, end: int, currency: bool = False) -> tuple[float, str, int, tuple[float, ...]]:
        unit, after = following(end)
        if unit in _AMBIGUOUS_SCALES and not currency:  # "3.50 m wide": a unit, or "5 m" millions
            return value, unit, after, (value * float(scales[unit]),)
        while unit in scales:
            value *= float(scales[unit])
            end = after
            unit, after = following(end)
        if unit in percents:
            unit = "%"
        elif unit in _word_set("function", language) or unit in CONNECTORS:
            unit = ""
        elif re.match(r"\s*-?(?:percent|procent)", text[end:]):
            unit = "%"
        return value, unit, end, ()

    codes: dict[int, int] = {}  # start -> end of each code name
    for c in _CODE.finditer(text):
        letters = (c.group("name") or c.group("tail")).casefold()
        number = c.group("num") or c.group("lead")
        if letters in scales or letters in percents:  # "5M", "3K" are amounts, not codes
            continue
        codes[c.start()] = c.end()
        out.append(Quantity(c.group(), float(number), c.start(), letters, expr, code=True))
        expr += 1
    joined = {m.start(): m for m in _JOINED.finditer(text)}
    code_starts = sorted(codes)
    covered = 0
    for m in _DIGITS.finditer(text):
        if m.start() < covered:
            continue
        # code spans do not overlap and come in order: the one that could hold
        # this number is the last starting at or before it (a scan of all of
        # them per number was quadratic in a long line of codes and numbers)
        k = bisect.bisect_right(code_starts, m.start()) - 1
        if k >= 0 and m.start() < codes[code_starts[k]]:
            covered = codes[code_starts[k]]
            continue
        # only the two characters before the number: a search of the whole
        # prefix for "[A-Za-z]-$" was tried from every position of it
        if m.start() in joined and not re.fullmatch(r"[A-Za-z]-", text[max(0, m.start() - 2):m.start()]):
            j = joined[m.start()]
            parts = re.split(r"[-–/:]", j.group())
            first = parts[0]
            values = []
            for p in parts:
                v = float(p)
                # "2006-09": a two-digit end of a year range
                if len(first) == 4 and len(p) == 2 and first.isdigit():
                    v = float(first[:2] + p)
                values.append(v)
            unit, _ = following(j.end())
            evening, end = _evening_hour(values[0], text, j.end()) if ":" in j.group() else ((), j.end())
            if evening:
                unit = ""
            shown = text[j.start():end]  # one string for every part (a slice each was quadratic)
            for k, v in enumerate(values):
                out.append(Quantity(shown, v, j.start(), unit, expr,
                                    alternatives=evening if k == 0 else ()))
            expr += 1
            covered = j.end()
            continue
        value = _parse_digits(m.group("num"), m.group("sep"), language)
        if value is None:
            continue
        alts = _digit_alternatives(m, value)
        evening, evening_end = _evening_hour(value, text, m.end())
        suffix, currency = m.group("suffix"), bool(m.group("cur"))
        if suffix in _AMBIGUOUS_SCALES and not currency:
            alts += (value * float(scales[suffix]),)
        elif suffix in scales:  # "$5m", "2.5bn"
            value *= float(scales[suffix])
        if evening:
            unit, end, alts = "", evening_end, alts + evening
        elif m.group("glued"):
            unit, end = m.group("glued").casefold(), m.end()
        else:
            value, unit, end, ambiguous = scaled(value, m.end(), currency)
            alts += ambiguous
        if text[m.end():m.end() + 1] == "%":
            unit = "%"
        shown = text[m.start():end].strip()
        out.append(Quantity(shown, value, m.start(), unit, expr, alternatives=alts))
        expr += 1
        covered = end
    # numbers in words ("three years", "twenty-five", "fifties", "tenth")
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        m = words[i]
        w = m.group().casefold()
        parts = w.split("-")
        value = None
        alts: tuple[float, ...] = ()
        counted = parts[-1] if parts[-1] in ordinals else parts[-1][:-1] if parts[-1][:-1] in ordinals else ""
        if len(parts) == 2 and parts[0] in numbers and counted:  # "one-third", "two-thirds"
            w, value = parts[0], float(numbers[parts[0]]) / float(ordinals[counted])
        else:
            if len(parts) == 2 and (parts[0] in numbers or parts[0] in ordinals) and parts[1] not in numbers:
                w, parts = parts[0], [parts[0]]  # "two-hour", "fifth-seeded"
            if w in numbers:
                value = float(numbers[w])
            elif len(parts) == 2 and parts[0] in numbers and parts[1] in numbers:
                value = float(numbers[parts[0]]) + float(numbers[parts[1]])
            elif w in ordinals:
                value = float(ordinals[w])
                before = words[i - 1].group().casefold() if i else ""
                if before in ("a", "an", "one") and not text[words[i - 1].end():m.start()].strip(" -"):
                    alts = (1 / value,)  # "a third": a fraction as often as a rank
            elif w in decades:
                value = float(decades[w])
        if value is None or m.start() < covered and any(q.start <= m.start() < q.start + len(q.text) for q in out):
            i += 1
            continue
        end = m.end()
        j = i + 1
        # "two hundred", "five million"
        while j < len(words) and words[j].group().casefold() in scales and not text[end:words[j].start()].strip():
            value *= float(scales[words[j].group().casefold()])
            end = words[j].end()
            j += 1
        value, unit, end, ambiguous = scaled(value, end)
        out.append(Quantity(text[m.start():end].strip(), value, m.start(), unit, expr, soft=w in soft_words,
                            alternatives=alts + ambiguous))
        expr += 1
        i = j
    # bounded precision: a value past float's range (a code or range part of
    # 310+ digits, a huge number times a scale) is not a quantity a reader checks
    return tuple(sorted((q for q in out if all(math.isfinite(v) for v in q.readings)), key=lambda q: q.start))


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _same_quantity(a: Quantity, b: Quantity) -> bool:
    if a.code or b.code:
        return a.code and b.code and a.unit == b.unit and _same_value(a.value, b.value)
    return any(_same_value(x, y) for x in a.readings for y in b.readings)


@raises("Q301", FlagKind.NUMBER_CHANGED)
def _number_changed(q: Quantity, found: Quantity) -> bool:
    """Another number stands where the original's stood (compared by value: 3 = three, 5 million = 5,000,000)."""
    return True


@raises("Q302", FlagKind.NUMBER_MISSING)
def _number_missing(q: Quantity) -> bool:
    """A number of the original is gone from the translation."""
    return True


@raises("Q303", FlagKind.NUMBER_CHANGED)
def _code_number_changed(q: Quantity) -> bool:
    """The number of a code name changed (Covid-19 -> Covid-22, F-16 -> F-15)."""
    return True


@raises("Q304", FlagKind.NUMBER_CHANGED)
def _range_part_changed(q: Quantity) -> bool:
    """One end of a range or date changed while the rest came through (2006-09 -> 2006)."""
    return True


@quiets("Q401")
def _number_in_words(q: Quantity) -> bool:
    """A number written in words is often reworded (the two sides -> both sides): never reported missing."""
    return q.soft


@quiets("Q402")
def _number_moved(q: Quantity, ctx_quantities: Sequence[Quantity]) -> bool:
    """The neighbouring translation has the value more often than the neighbouring original: it moved there."""
    return any(_same_quantity(c, q) for c in ctx_quantities)


NUMBER_RULES: tuple[Rule, ...] = (
    _range_part_changed, _code_number_changed, _number_changed, _number_in_words, _number_moved, _number_missing,
)


def _number_flag(rule: Rule, original: str, found: str | None, where: _Where) -> Flag:
    assert isinstance(rule.kind, FlagKind) and rule.severity is not None
    message = (f"“{found}” — original: “{original}”" if rule.kind is FlagKind.NUMBER_CHANGED
               else f"the number “{original}” is missing from the translation")
    return Flag(kind=rule.kind, severity=rule.severity, original=original, found=found, message=message,
                bead=where.bead, src_sentence=where.src_sentence, tgt_sentence=where.tgt_sentence,
                category="number", rule=rule.code)


def check_numbers(src_text: str, tgt_text: str, context_text: str, bead: int,
                  src_sentence: int | None, tgt_sentence: int | None, *, language: str = "en",
                  tgt_language: str | None = None, src_context_text: str = "",
                  rules: RuleSet = ALL_ON) -> list[Flag]:
    """A number of the original that the translation changed or dropped,
    compared by value (3 = three, 2,600 = 2600, 5 million = 5,000,000)."""
    tgt_language = tgt_language or language
    where = _Where(bead, src_sentence, tgt_sentence)
    src_q = find_quantities(src_text, language)
    tgt_q = find_quantities(tgt_text, tgt_language)
    free = list(tgt_q)
    unmatched: list[Quantity] = []
    for q in src_q:
        hit = next((t for t in free if _same_quantity(t, q)), None)
        if hit is not None:
            free.remove(hit)
        else:
            unmatched.append(q)
    if not unmatched:
        return []
    matched_tgt = [t for t in tgt_q if t not in free]
    # a value the neighbouring translation has more often than the neighbouring original moved there
    ctx_quantities = find_quantities(context_text, tgt_language) if context_text else []
    for v in find_quantities(src_context_text, language) if src_context_text else []:
        hit = next((c for c in ctx_quantities if _same_quantity(c, v)), None)
        if hit is not None:
            ctx_quantities.remove(hit)
    flags: list[Flag] = []

    def flag(rule: Rule, original: str, found: str | None) -> None:
        if rules.on(rule):
            flags.append(_number_flag(rule, original, found, where))

    seen_expr: set[int] = set()
    free = [t for t in free if not t.soft] + [t for t in free if t.soft]
    for q in unmatched:
        if q.expression in seen_expr:
            continue
        # a part of the same expression came through ("2006" for "2006-09"): changed
        siblings = [s for s in src_q if s.expression == q.expression and s is not q and s not in unmatched]
        if siblings:
            partner = next((t for t in matched_tgt if _same_quantity(t, siblings[0])), None)
            seen_expr.add(q.expression)
            flag(_range_part_changed, q.label, partner.label if partner else None)
            continue
        if q.code:  # "Covid-19" -> "Covid-22"; a code gone with its name is the name check's
            same_code = next((t for t in free if t.code and t.unit == q.unit), None)
            if same_code is not None:
                free.remove(same_code)
                found = same_code.label
            else:  # the translation may write it in lower case ("covid-19"), which alone reads as no code
                written = re.search(rf"(?<![\w-]){re.escape(q.unit)}-?(\d+)(?!\w)", tgt_text, re.IGNORECASE)
                found = written.group() if written and not _same_value(float(written.group(1)), q.value) else None
            if found is not None:
                seen_expr.add(q.expression)
                flag(_code_number_changed, q.label, found)
            continue
        pick = _nearest_quantity(q, [t for t in free if not t.code], src_text, tgt_text)
        lone = len(unmatched) == 1 and len(free) == 1
        if pick is not None and (lone or not q.soft or pick.unit[:4] == q.unit[:4]
                                 or abs(_relative(pick.start, tgt_text) - _relative(q.start, src_text))
                                 <= SETTINGS.number_position_tolerance):
            free = [t for t in free if t.expression != pick.expression]
            seen_expr.add(q.expression)
            flag(_number_changed, q.label, pick.label)
        elif rules.holds(_number_in_words, q) or rules.holds(_number_moved, q, ctx_quantities):
            continue
        else:
            seen_expr.add(q.expression)
            flag(_number_missing, q.label, None)
    return flags


def _nearest_quantity(q: Quantity, free: Sequence[Quantity], src_text: str, tgt_text: str) -> Quantity | None:
    """The translation's leftover number most likely to stand for q: the same
    unit first, then about the same place in the sentence."""
    if not free:
        return None

    def unit_root(u: str) -> str:
        return u[:4]

    same_unit = [t for t in free if q.unit and unit_root(t.unit) == unit_root(q.unit)]
    pool = same_unit or list(free)
    rs = _relative(q.start, src_text)
    return min(pool, key=lambda t: abs(_relative(t.start, tgt_text) - rs))


MEMOISED = (_find_quantities,)
