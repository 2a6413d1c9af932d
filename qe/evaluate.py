"""Alignment quality against gold beads: one pair, or every gold set we ship.

Gold files index sentences by line number, so the documents are read one
sentence per line *keeping blank lines* (a blank line is an empty sentence the
aligner must leave unpaired or absorb); dropping them would shift every later
index and score a correct alignment as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from qe.align import AlignmentScore, AlignSettings, align, build_runs, parse_beads, score_alignment
from qe.embed import Embedder, make_embedder
from qe.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class GoldSet:
    """One gold-aligned document pair and its languages (they pick the model
    qe would use, and same-language pairs may use lexical features)."""

    name: str
    original: Path
    translation: Path
    gold: Path
    src_lang: str = "en"
    tgt_lang: str | None = None  # None: same as src_lang

    @property
    def same_language(self) -> bool:
        return self.tgt_lang in (None, self.src_lang)


@dataclass(frozen=True)
class EvalRow:
    gold_set: GoldSet
    score: AlignmentScore
    n_original: int
    n_translation: int
    model: str


def read_lines(path: str | Path) -> list[str]:
    """One sentence per line, blank lines kept so indexes match the gold: the
    same reading as `qe align --presplit`, so both give the same scores."""
    from qe.io import read_text
    from qe.segment import split_sentences

    return split_sentences(read_text(path), presplit=True, name=str(path)).texts()


def evaluate_alignment(
    original_lines_path: str | Path,
    translation_lines_path: str | Path,
    gold_path: str | Path,
    *,
    embedder: Embedder | None = None,
    settings: AlignSettings | None = None,
    same_language: bool = True,
) -> AlignmentScore:
    """Embed both documents, align them and score the beads against the gold."""
    score, _, _ = _evaluate(original_lines_path, translation_lines_path, gold_path,
                            embedder=embedder or make_embedder(None), settings=settings or AlignSettings(),
                            same_language=same_language)
    return score


def aligned_beads(src: Sequence[str], tgt: Sequence[str], *, embedder: Embedder, settings: AlignSettings,
                  same_language: bool) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Embed two documents' sentences in one call and align them, as beads of
    sentence indexes (lexical features only when both are one language)."""
    vectors = embedder.encode(list(src) + list(tgt))
    lexical = settings.lexical_weight if same_language else 0.0
    src_runs = build_runs(src, None, max_run=settings.max_run, lexical_weight=lexical,
                          sentence_vectors=vectors[:len(src)])
    tgt_runs = build_runs(tgt, None, max_run=settings.max_run, lexical_weight=lexical,
                          sentence_vectors=vectors[len(src):])
    return [(b.src, b.tgt) for b in align(src_runs, tgt_runs, settings).beads]


def _evaluate(original: str | Path, translation: str | Path, gold: str | Path, *,
              embedder: Embedder, settings: AlignSettings, same_language: bool) -> tuple[AlignmentScore, int, int]:
    src, tgt = read_lines(original), read_lines(translation)
    hyp = aligned_beads(src, tgt, embedder=embedder, settings=settings, same_language=same_language)
    try:
        gold_beads = parse_beads(Path(gold).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"{gold}: {exc}") from exc
    return score_alignment(hyp, gold_beads), len(src), len(tgt)


def bundled_gold_sets(root: str | Path | None = None) -> list[GoldSet]:
    """The gold sets shipped in corpora/, plus Text+Berg dev from ../shared/eval if present."""
    root = Path(root) if root else REPO_ROOT
    ft = root / "corpora" / "ft-call" / "gold"
    dn = root / "corpora" / "dn-editorial" / "gold"
    tb = root.parent / "shared" / "eval" / "textberg-dev"
    sets = [
        GoldSet("ft-call backtranslation", ft / "original.lines.txt", ft / "backtranslation.lines.txt",
                ft / "backtranslation.align"),
        GoldSet("ft-call spun", ft / "original.lines.txt", ft / "spun.lines.txt", ft / "spun.align"),
        GoldSet("dn-editorial translation (sv-en)", dn / "original.lines.txt", dn / "translation.lines.txt",
                dn / "translation.align", src_lang="sv", tgt_lang="en"),
        GoldSet("dn-editorial planted (sv-en)", dn / "original.lines.txt", dn / "planted.lines.txt",
                dn / "planted.align", src_lang="sv", tgt_lang="en"),
        GoldSet("textberg dev (google-mt.fr vs fr)", tb / "dev.google-mt.fr", tb / "dev.fr", tb / "dev.defr",
                src_lang="fr"),
    ]
    return [g for g in sets if g.original.exists() and g.translation.exists() and g.gold.exists()]


def embedder_for(gold_set: GoldSet, model: str | None = None) -> Embedder:
    """The embedder `qe check --model MODEL` would use on this pair's languages."""
    from qe.pipeline import CheckConfig

    config = CheckConfig(src_lang=gold_set.src_lang, tgt_lang=gold_set.tgt_lang)
    return make_embedder(model, multilingual=config.needs_multilingual_model)


def evaluate_bundled(*, model: str | None = None, embedder: Embedder | None = None,
                     settings: AlignSettings | None = None, root: str | Path | None = None,
                     gold_sets: Sequence[GoldSet] | None = None) -> list[EvalRow]:
    """Score every bundled gold set.

    `embedder` forces one embedder for every set; otherwise each set gets the
    model qe would pick for its languages given `model` (a --model value, None
    for qe's default), each model loaded once.
    """
    settings = settings or AlignSettings()
    loaded: dict[str, Embedder] = {}
    rows = []
    for g in gold_sets if gold_sets is not None else bundled_gold_sets(root):
        e = embedder
        if e is None:
            candidate = embedder_for(g, model)
            e = loaded.setdefault(candidate.name, candidate)  # lazy: loading happens on first encode
        score, n, m = _evaluate(g.original, g.translation, g.gold, embedder=e, settings=settings,
                                same_language=g.same_language)
        rows.append(EvalRow(g, score, n, m, e.name))
    return rows


def format_table(rows: Sequence[EvalRow]) -> str:
    """A plain-text table of strict and lax P/R/F1 per gold set, with the model used."""
    header = (f"{'gold set':<36} {'sents':>9}  {'strict P':>8} {'R':>6} {'F1':>6}  {'lax P':>6} {'R':>6} {'F1':>6}"
              "  model")
    lines = [header, "-" * len(header)]
    for r in rows:
        s = r.score
        lines.append(f"{r.gold_set.name:<36} {r.n_original:>4}/{r.n_translation:<4}  "
                     f"{s.strict_precision:>8.3f} {s.strict_recall:>6.3f} {s.strict_f1:>6.3f}  "
                     f"{s.lax_precision:>6.3f} {s.lax_recall:>6.3f} {s.lax_f1:>6.3f}  {r.model}")
    return "\n".join(lines)
