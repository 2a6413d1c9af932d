"""Alignment F1 on the seven Text+Berg *test* documents: the unseen-document check.

The aligner's defaults were chosen on the Text+Berg dev document
(`qe eval-align`). This script measures them on the gold standard's test
documents, which nothing in qe was tuned on, in qe's own case (a machine
translation into French aligned against the French edition) and in the
cross-language case (German original against the French edition, the setting
of the published Vecalign and Bertalign figures).

The data is public (GPL-2.0) and not bundled; fetch it yourself:
- Vecalign's `bleualign_data/` (github.com/thompsonb/vecalign): test0..test6
  `.de`, `.fr` and gold `.defr`, one sentence per line;
- Bleualign's `eval/eval1989.google.fr` (github.com/rsennrich/Bleualign): the
  machine translation of all seven German articles, line-parallel with the
  German, articles separated by an "EOA" line.

    .venv/bin/python benchmarks/eval_textberg_test.py VECALIGN_DATA_DIR EVAL1989_GOOGLE_FR

Prints strict and lax P/R/F1 per document and pooled over all seven (every
bead of every document counted once, as if one long document).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qe.align import AlignmentScore, AlignSettings, parse_beads, score_alignment  # noqa: E402
from qe.embed import make_embedder  # noqa: E402
from qe.evaluate import aligned_beads, read_lines  # noqa: E402

DOCUMENTS = 7
Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


def split_articles(mt_path: Path, german: list[Path]) -> list[list[str]]:
    """The machine translation cut at its "EOA" lines, checked line-parallel
    with each German article (the gold indexes the German lines)."""
    articles: list[list[str]] = [[]]
    for line in read_lines(mt_path):  # read as every other side is (and as qe eval-align reads)
        if line.replace(" ", "") == ".EOA":
            articles.append([])
        else:
            articles[-1].append(line)
    if len(articles) != len(german):
        sys.exit(f"{mt_path}: {len(articles)} articles, expected {len(german)}")
    for text, de in zip(articles, german):
        expected = len(read_lines(de))
        if len(text) != expected:
            sys.exit(f"{mt_path}: an article has {len(text)} lines, {de.name} has {expected}")
    return articles


def shifted(beads: Beads, di: int, dj: int) -> Beads:
    return [(tuple(i + di for i in s), tuple(j + dj for j in t)) for s, t in beads]


def row(name: str, s: AlignmentScore) -> str:
    return (f"{name:<10} {s.strict_precision:>8.3f} {s.strict_recall:>6.3f} {s.strict_f1:>6.3f}"
            f"  {s.lax_precision:>6.3f} {s.lax_recall:>6.3f} {s.lax_f1:>6.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path, help="Vecalign's bleualign_data/ (testK.de, testK.fr, testK.defr)")
    ap.add_argument("mt", type=Path, help="Bleualign's eval/eval1989.google.fr")
    args = ap.parse_args()
    names = [f"test{k}" for k in range(DOCUMENTS)]
    for name in names:
        for ext in (".de", ".fr", ".defr"):
            if not (args.data_dir / (name + ext)).is_file():
                sys.exit(f"missing {args.data_dir / (name + ext)}")
    mt_articles = split_articles(args.mt, [args.data_dir / f"{n}.de" for n in names])
    settings = AlignSettings()
    embedder = make_embedder(None, multilingual=True)  # what qe picks for French and for German-French
    cases = {"mt.fr vs fr (qe's case)": True, "de vs fr (cross-language)": False}
    for label, same_language in cases.items():
        print(f"\n{label}, {embedder.name}\n{'document':<10} {'strict P':>8} {'R':>6} {'F1':>6}"
              f"  {'lax P':>6} {'R':>6} {'F1':>6}")
        pooled_hyp: Beads = []
        pooled_gold: Beads = []
        di = dj = 0
        for name, mt in zip(names, mt_articles):
            src = mt if same_language else read_lines(args.data_dir / f"{name}.de")
            tgt = read_lines(args.data_dir / f"{name}.fr")
            gold = parse_beads((args.data_dir / f"{name}.defr").read_text(encoding="utf-8"))
            hyp = aligned_beads(src, tgt, embedder=embedder, settings=settings, same_language=same_language)
            print(row(name, score_alignment(hyp, gold)), flush=True)
            pooled_hyp += shifted(hyp, di, dj)
            pooled_gold += shifted(gold, di, dj)
            di, dj = di + len(src), dj + len(tgt)
        print(row("pooled", score_alignment(pooled_hyp, pooled_gold)))


if __name__ == "__main__":
    main()
