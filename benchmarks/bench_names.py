"""Name-stage speed: sentence pairs per second on the MQM20 development half,
and what the name check adds to a one-shot `qe check`, in fresh processes.

    python benchmarks/bench_names.py [--rounds 3] [--skip-check] [--mqm PATH]

Pairs per second: each round starts a fresh Python process that runs the name
stage alone (no embeddings, no alignment: each row's `ref` as a one-sentence
original, its `mt` as the translation) over every row of the MQM20 dev half.
Two figures: the whole process's wall time (imports and table loads
included), and the stage's own time inside it (from the first pair to the
last, one-off loads included). Medians over the rounds.

A one-shot check pays the name check's one-off loads (spaCy tagger, word
frequencies, city index) on top of its per-pair work, so the only honest
figure is the wall time of whole processes: each round runs `qe check` on each
bundled pair once with names and once without (`--no-names`), in alternating
order so drift on a shared machine hits both alike. Prints the medians and the
share the name check adds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MQM = ROOT.parent / "shared" / "eval" / "mqm20-names" / "dev.tsv"
# the child process: read the rows, then time the name stage over all of them
CHILD = """
import json, sys, time
from qe.name_eval.common import pair_flags, read_tsv
rows = read_tsv(sys.argv[1], {"ref", "mt"})
start = time.perf_counter()
flags = sum(len(pair_flags(r["ref"], r["mt"])) for r in rows)
print(json.dumps({"pairs": len(rows), "stage_s": time.perf_counter() - start, "flags": flags}))
"""
PAIRS = [("corpora/ft-call/original.en.txt", "corpora/ft-call/backtranslation.en.txt"),
         ("corpora/ft-call/original.en.txt", "corpora/ft-call/spun.en.txt")]


def one_check(original: str, translation: str, names: bool, out_dir: str) -> float:
    command = [sys.executable, "-m", "qe", "check", original, translation, "--formats", "json",
               "--out", os.path.join(out_dir, "report")]
    if not names:
        command.append("--no-names")
    env = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1 = the translation failed the gate, which is a result
        raise SystemExit(f"qe check failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return elapsed


def stage_round(path: Path) -> tuple[int, float, float, int]:
    """(pairs, whole-process seconds, name-stage seconds, flags) of one fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"name stage failed: {done.stderr.strip()[-500:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return out["pairs"], wall, out["stage_s"], out["flags"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mqm", type=Path, default=MQM, help="MQM20 names TSV (ref, mt columns)")
    parser.add_argument("--skip-check", action="store_true", help="only the pairs-per-second figures")
    args = parser.parse_args()
    if args.mqm.is_file():
        rounds = [stage_round(args.mqm) for _ in range(args.rounds)]
        pairs, flags = rounds[0][0], rounds[0][3]
        wall = statistics.median(r[1] for r in rounds)
        stage = statistics.median(r[2] for r in rounds)
        print("set\tpairs\tflags\tprocess_s\tprocess_pairs_per_s\tstage_s\tstage_pairs_per_s")
        print(f"mqm20-dev\t{pairs}\t{flags}\t{wall:.2f}\t{pairs / wall:.0f}\t{stage:.2f}\t{pairs / stage:.0f}")
    else:
        print(f"{args.mqm}: not found, pairs per second not measured")
    if args.skip_check:
        return
    print("\npair\tno_names_s\tnames_s\tadded")
    with tempfile.TemporaryDirectory() as out_dir:
        for original, translation in PAIRS:
            times: dict[bool, list[float]] = {False: [], True: []}
            for r in range(args.rounds):
                for names in ((False, True) if r % 2 == 0 else (True, False)):
                    times[names].append(one_check(original, translation, names, out_dir))
            without, with_names = statistics.median(times[False]), statistics.median(times[True])
            print(f"{Path(translation).stem}\t{without:.2f}\t{with_names:.2f}\t{with_names / without - 1:+.1%}")


if __name__ == "__main__":
    main()
