"""What the name check adds to a one-shot `qe check`, measured in fresh processes.

    python benchmarks/bench_names.py [--rounds 5]

A one-shot check pays the name check's one-off loads (spaCy tagger, word
frequencies, city index) on top of its per-pair work, so the only honest
figure is the wall time of whole processes: each round runs `qe check` on each
bundled pair once with names and once without (`--no-names`), in alternating
order so drift on a shared machine hits both alike. Prints the medians and the
share the name check adds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("pair\tno_names_s\tnames_s\tadded")
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
