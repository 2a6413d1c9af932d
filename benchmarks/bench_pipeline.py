"""Time the demo and compare qe's throughput with the model's raw encode speed.

    python benchmarks/bench_pipeline.py [--repeat 3]

Prints, for the bundled FT pairs: model load time, raw `model.encode`
sentences/s on exactly the sentences qe embeds, qe.check end-to-end
sentences/s (same loaded model), and the share of each stage.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRS = [("corpora/ft-call/original.en.txt", "corpora/ft-call/backtranslation.en.txt"),
         ("corpora/ft-call/original.en.txt", "corpora/ft-call/spun.en.txt")]


def stage_times(profile: cProfile.Profile) -> dict[str, float]:
    stats = pstats.Stats(profile)
    wanted = {"encode": "embed.py", "align": "align.py", "check_names": "names/check.py",
              "split_sentences": "segment.py", "score": "metrics.py", "corpus": "metrics.py"}
    out: dict[str, float] = {}
    for (filename, _, func), (_, _, _, cumulative, _) in stats.stats.items():
        if func in wanted and filename.endswith(wanted[func]):
            out[func] = out.get(func, 0.0) + cumulative
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    import qe
    from qe.embed import SentenceTransformerEmbedder
    from qe.pipeline import load_document

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm-up"])
    print(f"import + model load: {time.perf_counter() - t0:.2f} s")

    sentences = []
    for original, translation in PAIRS:
        sentences += load_document(ROOT / original, "en").texts() + load_document(ROOT / translation, "en").texts()
    model = embedder._load()

    raw = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        model.encode(sentences, batch_size=32, normalize_embeddings=True)
        raw.append(time.perf_counter() - t)
    raw_rate = len(sentences) / min(raw)
    print(f"raw model.encode: {len(sentences)} sentences, best {min(raw):.2f} s = {raw_rate:.0f} sentences/s")

    runs = []
    profile = cProfile.Profile()
    for k in range(args.repeat):
        t = time.perf_counter()
        if k == args.repeat - 1:
            profile.enable()
        for original, translation in PAIRS:
            qe.check(ROOT / original, ROOT / translation, embedder=embedder)
        if k == args.repeat - 1:
            profile.disable()
        runs.append(time.perf_counter() - t)
    rate = len(sentences) / min(runs)
    print(f"qe.check end to end: best {min(runs):.2f} s for both pairs (first {runs[0]:.2f} s, "
          f"with one-time loads) = {rate:.0f} sentences/s = {rate / raw_rate:.2f}x raw encode")
    total = runs[-1]
    for stage, seconds in sorted(stage_times(profile).items(), key=lambda kv: -kv[1]):
        print(f"  {stage:16s} {seconds:6.2f} s  ({seconds / total:5.1%} of the profiled run)")


if __name__ == "__main__":
    main()
