"""Time and memory of the aligner's search on long documents.

Builds document pairs of 1k-20k sentences by concatenating the bundled corpora
and perturbing the copy (drop ~2% of sentences, merge ~3% of adjacent pairs,
duplicate and add a few), so the true alignment is known by construction.
The real model embeds each distinct text once; every occurrence then gets its
own small random perturbation of that vector, so repeated passages are near but
not exact copies, as in a real translation. Search time (build_runs + align,
no model; the fastest of --repeat runs, and of that the fastest feature
building apart) and peak memory (tracemalloc) are reported per size, with
strict F1 against the construction. --same-language aligns as qe aligns a
back-translation, with the lexical features and word links.

    .venv/bin/python benchmarks/bench_align.py [--sizes 1000 2000 5000 20000] [--same-language]
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

# One BLAS thread, set before numpy loads: with two, the small matrix products of
# short documents ran partly in parallel on an idle core while long ones did
# not, so the wall-clock ratio measured the machine's other jobs rather than
# the aligner's growth.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qe.align import AlignSettings, align, build_runs, score_alignment  # noqa: E402
from qe.embed import SentenceTransformerEmbedder  # noqa: E402
from qe.segment import split_sentences  # noqa: E402

DROP, MERGE, DUPLICATE, ADD = 0.02, 0.03, 0.003, 0.003  # shares of original sentences
# Per-occurrence vector noise: cosine between two noisy copies of a sentence is
# about 1/(1 + NOISE^2) ~ 0.8, the similarity of a good paraphrase under MiniLM.
NOISE = 0.5


def sentence_pool() -> list[str]:
    gold = ROOT / "corpora" / "ft-call" / "gold"
    texts: list[str] = []
    for name in ("original.lines.txt", "backtranslation.lines.txt", "spun.lines.txt"):
        texts += [t.strip() for t in (gold / name).read_text(encoding="utf-8").splitlines() if t.strip()]
    politico = (ROOT / "corpora" / "politico-call" / "original.en.txt").read_text(encoding="utf-8")
    texts += split_sentences(politico, "en").texts()
    return list(dict.fromkeys(texts))


def make_pair(pool: list[str], size: int, rng: random.Random):
    """(original texts, translation texts, gold beads) with `size` original sentences."""
    src = [pool[k % len(pool)] for k in range(size)]
    tgt: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i = 0
    while i < size:
        r = rng.random()
        if r < DROP:
            gold.append(((i,), ()))
            i += 1
            continue
        if r < DROP + MERGE and i + 1 < size:
            gold.append(((i, i + 1), (len(tgt),)))
            tgt.append(src[i] + " " + src[i + 1])
            i += 2
            continue
        gold.append(((i,), (len(tgt),)))
        tgt.append(src[i])
        if r < DROP + MERGE + DUPLICATE:
            gold.append(((), (len(tgt),)))
            tgt.append(src[i])
        elif r < DROP + MERGE + DUPLICATE + ADD:
            gold.append(((), (len(tgt),)))
            tgt.append(rng.choice(pool))
        i += 1
    return src, tgt, gold


def noisy(texts: list[str], table: dict[str, np.ndarray], rng: np.random.Generator) -> np.ndarray:
    base = np.stack([table[t] for t in texts])
    noise = rng.standard_normal(base.shape).astype(np.float32)
    noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
    out = base + noise
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def search(src, tgt, src_vecs, tgt_vecs, settings, lexical_weight):
    """The alignment, and the seconds spent building each side's features (run
    norms; with --same-language also the lexical features and word links)."""
    t0 = time.perf_counter()
    a = build_runs(src, None, max_run=settings.max_run, lexical_weight=lexical_weight, sentence_vectors=src_vecs)
    b = build_runs(tgt, None, max_run=settings.max_run, lexical_weight=lexical_weight, sentence_vectors=tgt_vecs)
    built = time.perf_counter() - t0
    return align(a, b, settings), built


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per size; the fastest is reported (the others measured other jobs too)")
    parser.add_argument("--same-language", action="store_true",
                        help="align as qe does a back-translation: with the lexical features and word links "
                             "(default: embeddings alone, the cross-language path)")
    args = parser.parse_args(argv)
    rng = random.Random(0)
    pool = sentence_pool()
    pairs = {n: make_pair(pool, n, rng) for n in args.sizes}
    distinct = list(dict.fromkeys(t for src, tgt, _ in pairs.values() for t in src + tgt))
    t0 = time.perf_counter()
    table = dict(zip(distinct, SentenceTransformerEmbedder().encode(distinct)))
    print(f"embedding: {len(distinct)} distinct texts in {time.perf_counter() - t0:.1f} s "
          f"(model load included), reused for all sizes\n")

    # The model's and the pairs' objects live as long as the process. A full
    # collection scans them all (0.27 s with the model loaded), and whether one
    # lands inside a timed run depends on what was allocated before it, not on
    # the aligner: frozen, they are left out of every collection (the aligner's
    # own garbage is still collected and timed).
    gc.collect()
    gc.freeze()
    settings = AlignSettings()
    lexical_weight = settings.lexical_weight if args.same_language else 0.0
    print(f"{'sentences':>9} {'translation':>11} {'search s':>9} {'cpu s':>7} {'features s':>10} {'peak MiB':>9} "
          f"{'strict F1':>9} {'lax F1':>7}")
    times: dict[int, float] = {}
    cpu: dict[int, float] = {}
    features: dict[int, float] = {}
    aligning: dict[int, float] = {}
    for n, (src, tgt, gold) in pairs.items():
        vec_rng = np.random.default_rng(n)
        src_vecs, tgt_vecs = noisy(src, table, vec_rng), noisy(tgt, table, vec_rng)
        times[n] = cpu[n] = features[n] = aligning[n] = math.inf
        for _ in range(max(1, args.repeat)):
            t0, c0 = time.perf_counter(), time.process_time()
            result, built = search(src, tgt, src_vecs, tgt_vecs, settings, lexical_weight)
            total = time.perf_counter() - t0
            times[n] = min(times[n], total)
            cpu[n] = min(cpu[n], time.process_time() - c0)
            features[n] = min(features[n], built)
            aligning[n] = min(aligning[n], total - built)
        # a second, traced run: tracemalloc slows Python code, so it is not timed
        tracemalloc.start()
        search(src, tgt, src_vecs, tgt_vecs, settings, lexical_weight)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        score = score_alignment([(b.src, b.tgt) for b in result.beads], gold)
        print(f"{n:>9} {len(tgt):>11} {times[n]:>9.2f} {cpu[n]:>7.2f} {features[n]:>10.2f} {peak:>9.1f} "
              f"{score.strict_f1:>9.3f} {score.lax_f1:>7.3f}")
    if 2000 in times and 20000 in times:
        # CPU time as well as wall time: on a shared machine the wall clock
        # measures the other jobs too
        print(f"\n20k/2k search time: {times[20000] / times[2000]:.1f}x wall, {cpu[20000] / cpu[2000]:.1f}x cpu "
              "(10x = linear; the bound is 10x); without building the features: "
              f"{aligning[20000] / aligning[2000]:.1f}x")


if __name__ == "__main__":
    main()
