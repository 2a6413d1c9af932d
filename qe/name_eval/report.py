"""The lines `qe eval-names` prints: one tab-separated table per set, the rows
missed or flagged in error (--show), and each rule's marginal effect
(--by-rule). Lines are yielded as they are computed; the CLI echoes them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from qe.models import Flag
from qe.name_eval import by_rule as rule_eval
from qe.name_eval.demetr import DEFAULT_DEMETR, DEMETR_FILES, demetr_split_scores
from qe.name_eval.mqm import DEFAULT_MQM, mqm_failures, mqm_scored, summarise
from qe.name_eval.pairs import DEFAULT_PAIRS, pair_failures, pair_outcomes, pair_scores
from qe.name_eval.seed import DEFAULT_SEED, names_overhead, seed_cases, seed_scores


@dataclass(frozen=True)
class EvalRequest:
    demetr: Path = DEFAULT_DEMETR
    mqm: Path = DEFAULT_MQM
    pairs: Path = DEFAULT_PAIRS
    seed: Path | None = DEFAULT_SEED  # None: no seed gold (it needs the embedding model)
    model: str | None = None
    limit: int | None = None
    ignore_rules: tuple[str, ...] = ()
    show: bool = False


def safe(line: str) -> str:
    """Evaluation rows are outside text: no control character reaches a terminal."""
    return "".join(c if c.isprintable() or c == "\t" else "\ufffd" for c in line)


def _flags(flags: Sequence[Flag]) -> str:
    return "; ".join(f"{f.rule or f.kind.value}/{f.severity.value}: {f.original or '-'} -> {f.found or '-'}"
                     for f in flags) or "no flag"


def evaluation_lines(req: EvalRequest) -> Iterator[str]:
    off = req.ignore_rules
    if off:
        yield f"# rules switched off: {', '.join(off)}"
    # flagged: mt_good rows with any flag; false: those with a flag the hand review
    # of corpora/demetr-review does not confirm as a real difference of names
    yield "set\trows\trecall\tflagged\tflagged_major\tfalse_flags"
    for name in DEMETR_FILES:
        # "all", then the even-id half the rules were tuned on and the odd-id held-out half
        for s in demetr_split_scores(req.demetr, name, req.limit, ignore_rules=off).values():
            yield (f"demetr:{s.file}\t{s.rows}\t{s.recall:.3f}\t{s.flagged_rate:.3f}\t{s.major_flagged_rate:.3f}\t"
                   f"{s.false_flag_rate:.3f}")
    scored = mqm_scored(req.mqm, req.limit, ignore_rules=off)
    m = summarise(scored)
    # recall: marked spans a name flag's translation side overlaps; clean_*: clean rows flagged
    yield ""
    yield "mqm20\tspans\trecall\terror_rows\trow_recall\tclean_rows\tclean_major\tclean_any"
    yield (f"rows\t{m.spans}\t{m.recall:.3f}\t{m.error_rows}\t{m.row_recall:.3f}\t{m.clean_rows}\t"
           f"{m.clean_major:.3f}\t{m.clean_any:.3f}")
    yield (f"per-sentence\t{m.sentences}\t{m.sentence_recall:.3f}\t\t\t{m.clean_sentences}\t"
           f"{m.sentence_clean_major:.3f}\t{m.sentence_clean_any:.3f}")
    outcomes = pair_outcomes(req.pairs, ignore_rules=off)
    yield ""
    yield "pairs\tflag_rows\trecall\tgraded_recall\tstray\tquiet_rows\tquiet_any\tquiet_major"
    for p in pair_scores(outcomes):
        yield (f"{p.set}\t{p.flag_rows}\t{p.recall:.3f}\t{p.graded_recall:.3f}\t{p.stray:.3f}\t{p.quiet_rows}\t"
               f"{p.quiet_any:.3f}\t{p.quiet_major:.3f}")
    if req.show:
        yield ""
        for why, r in mqm_failures(scored):
            marks = " | ".join(s for s, c in zip(r.spans, r.caught) if not c)
            yield safe(f"mqm20\t{why}\t{r.id}\t{marks}\t{_flags(r.flags)}")
        for why, o in pair_failures(outcomes):
            yield safe(f"pairs\t{why}\t{o.id}\t{o.case}\t{_flags(o.flags)}")
    if req.seed is None:
        return
    yield ""
    yield "seed\texpected\teither\thits\tfalse\tprecision\trecall\tintact_flagged\tnumber_flags"
    for s in seed_scores(req.seed, model=req.model, ignore_rules=off):
        yield (f"{s.translation}\t{s.expected}\t{s.either}\t{s.hits}\t{s.false_flags}\t{s.precision:.3f}\t"
               f"{s.recall:.3f}\t{s.intact_flagged}\t{s.number_flags}")
        yield from (safe(f"  missed\t{m}") for m in s.misses)
        yield from (safe(f"  false\t{m}") for m in s.false)


def timing_lines(seed: Path = DEFAULT_SEED, model: str | None = None) -> Iterator[str]:
    yield ""
    yield "translation\tcheck_s\tnames_s\tshare"
    for o in names_overhead(seed, model=model):
        yield f"{o.translation}\t{o.check_seconds:.2f}\t{o.names_seconds:.2f}\t{o.share:.1%}"


def _delta(d: float) -> str:
    return f"{d:+.3f}" if round(d, 3) else "."


def by_rule_lines(req: EvalRequest, codes: Iterable[str]) -> Iterator[str]:
    """The all-on figures, then per rule: what switching it off changes (off - on)."""
    from qe.names.rules import BY_CODE

    sets = rule_eval.Sets(req.demetr, req.mqm, req.pairs,
                          seed_cases(req.seed, model=req.model) if req.seed is not None else None, req.limit)
    base = rule_eval.figures(sets, req.ignore_rules)
    columns = [name for name, _ in rule_eval.FIGURES if name in base]
    yield ""
    yield "# each rule switched off in turn: the change in every figure (off - all on; '.' no change)"
    yield "\t".join(["rule", "kind", "severity", "verdict", *columns])
    yield "\t".join(["all-on", "", "", "", *(f"{base[c]:.3f}" for c in columns)])
    for code in codes:
        rule = BY_CODE[code]
        delta = rule_eval.marginal(base, rule_eval.figures(sets, (*req.ignore_rules, code)))
        kind = getattr(rule.kind, "value", rule.kind)
        severity = rule.severity.value if rule.severity else ""
        yield "\t".join([code, str(kind), severity, rule_eval.verdict(delta), *(_delta(delta[c]) for c in columns)])
