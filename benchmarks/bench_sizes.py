"""Time and peak memory of one `qe check` against document size.

    python benchmarks/bench_sizes.py                 # 1, 5 and 20 MB, the hashing model
    python benchmarks/bench_sizes.py --sizes 0.25 1 --model default

Each size is a fresh process (`python -m qe check`), so the peak resident
memory is that run's alone (the children's ru_maxrss). The documents are
generated: distinct news-like sentences with names and numbers, the
translation the same text with every 50th sentence reworded and every 200th
dropped, so alignment, scoring and the name stage all have work. Sizes above
the default limit are run twice: as a user runs them (the refusal, and how
fast it comes) and with --max-bytes raised, to draw the curve past the limit
(`--no-raise` skips that). A run that does not finish within --timeout seconds
is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qe.io import DEFAULT_MAX_BYTES, size_text  # noqa: E402

SUBJECTS = ["The council", "A spokeswoman for the ministry", "Engineers from Ramboll", "The mayor of Kherson",
            "Bill Taylor", "Residents of Uppsala", "The harbour authority", "Nurses at the hospital",
            "Officials in Brussels", "The board of Truth Social", "Farmers near Lyon", "The court in Geneva"]
VERBS = ["said", "reported", "announced", "warned", "confirmed", "denied", "estimated", "argued"]
OBJECTS = ["repairs to the northern quay", "a budget of {n} million euros", "{n} new jobs in the region",
           "delays of {n} weeks on the line", "a vote on the proposal", "cracks in the bridge support",
           "the closure of {n} schools", "talks with the union", "a shortage of {n} nurses"]
WHEN = ["on Monday", "late on Tuesday", "after the storm", "in March", "during the summer", "last year",
        "before the election", "in a statement"]


def sentence(rng: random.Random, k: int) -> str:
    obj = rng.choice(OBJECTS).format(n=rng.randint(2, 9999))
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {obj} {rng.choice(WHEN)} (item {k})."


def documents(megabytes: float, seed: int = 1) -> tuple[str, str]:
    rng = random.Random(seed)
    target = int(megabytes * (1 << 20))
    src, tgt, size, k = [], [], 0, 0
    while size < target:
        s = sentence(rng, k)
        src.append(s)
        if k % 200 != 199:
            tgt.append(s.replace(" said ", " stated ") if k % 50 == 49 else s)
        size += len(s) + 1
        k += 1
        if k % 8 == 0:  # paragraphs
            src.append("")
            tgt.append("")
    return "\n".join(src), "\n".join(tgt)


def run(orig: Path, trans: Path, out: Path, model: str, max_bytes: int | None,
        timeout: float) -> tuple[str, float, float]:
    """One `qe check` in a fresh process: (outcome, seconds, peak RSS in MB; nan
    when it did not exceed an earlier, larger child's peak)."""
    cmd = [sys.executable, "-m", "qe", "check", str(orig), str(trans), "-o", str(out), "-q",
           "--formats", "json,csv,html"]
    if model != "default":
        cmd += ["--model", model]
    if max_bytes is not None:
        cmd += ["--max-bytes", str(max_bytes)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        outcome = {0: "passed", 1: "gate failed"}.get(proc.returncode, f"exit {proc.returncode}: "
                                                      + (proc.stderr.strip().splitlines() or [""])[-1][:90])
    except subprocess.TimeoutExpired:
        outcome = f"stopped after {timeout:.0f} s"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: only a new maximum is this run's
    return outcome, seconds, (peak / 1024 if peak > before else float("nan"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20], help="document sizes in MB")
    ap.add_argument("--model", default="hashing", help="'hashing' (the pipeline without a model), 'default' "
                    "(the bundled model), or any --model value")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--no-raise", action="store_true", help="do not re-run sizes over the limit with it raised")
    args = ap.parse_args()
    print(f"default limit {size_text(DEFAULT_MAX_BYTES)}; model {args.model}")
    print(f"{'size':>8} {'sentences':>9} {'max-bytes':>10} {'seconds':>8} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sorted(args.sizes):  # ascending, so each new peak is the new run's
            a, b = documents(mb)
            orig, trans = Path(tmp) / "orig.txt", Path(tmp) / "trans.txt"
            orig.write_text(a)
            trans.write_text(b)
            n = a.count("\n") - a.count("\n\n")
            limits: list[int | None] = [None]
            if orig.stat().st_size > DEFAULT_MAX_BYTES and not args.no_raise:
                limits.append(orig.stat().st_size + 1)
            for limit in limits:
                outcome, seconds, peak = run(orig, trans, Path(tmp) / "out", args.model, limit, args.timeout)
                shown = "default" if limit is None else size_text(limit)
                print(f"{mb:>6g}MB {n:>9} {shown:>10} {seconds:>8.1f} {peak:>8.0f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
