"""How fast `qe batch` checks a large TMX, with the embedding cache.

    .venv/bin/python benchmarks/bench_bilingual.py [--units 5000]

Builds a TMX of N Swedish-English units from the DN editorial's gold sentence
pairs (corpora/dn-editorial/gold), each unit made unique by a running number
in both languages ("(nr 123)"), so a cold cache really is cold, every 10th unit
with a {placeholder} on both sides and every 50th marked untranslated. Then runs
`qe batch FILE.tmx` in its own process three times and prints, for each, the
wall time, units/s (checked units) and peak memory (ru_maxrss of the process):

1. cold: empty embedding cache;
2. warm: the same file, cache filled, `--fresh` (everything re-checked, nothing embedded);
3. resumed: the same file unchanged (the journal says it is done).

Whole-process figures, model loading included. The machine is shared: the load
average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_tmx(path: Path, units: int) -> int:
    gold = ROOT / "corpora" / "dn-editorial" / "gold"
    sv = (gold / "original.lines.txt").read_text(encoding="utf-8").splitlines()
    en = (gold / "translation.lines.txt").read_text(encoding="utf-8").splitlines()
    pairs = [(s, e) for s, e in zip(sv, en) if len(e.split()) > 3]
    tus, checked = [], 0
    for k in range(units):
        s, e = pairs[k % len(pairs)]
        s, e = f"{s} (nr {k + 1})", f"{e} (no. {k + 1})"
        if k % 10 == 3:
            s, e = s + " {source}", e + " {source}"
        en_tuv = "" if k % 50 == 7 else f'<tuv xml:lang="en-GB"><seg>{escape(e, quote=False)}</seg></tuv>'
        checked += bool(en_tuv)
        tus.append(f'<tu tuid="{k + 1}"><tuv xml:lang="sv-SE"><seg>{escape(s, quote=False)}</seg></tuv>{en_tuv}</tu>')
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="bench" '
                    'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="sv-SE" '
                    'datatype="plaintext"/><body>\n' + "\n".join(tus) + "\n</body></tmx>\n", encoding="utf-8")
    return checked


def run(args: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, exit code, peak RSS in MB and qe's summary line, of one qe process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "qe", *args], stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage: its peak memory
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    summary = next((line for line in lines if " documents: " in line), lines[-1] if lines else "")
    return wall, proc.returncode, usage.ru_maxrss // 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tmx = tmp / "memory.tmx"
        checked = build_tmx(tmx, opts.units)
        cache = tmp / "cache.sqlite"
        base = ["batch", str(tmx), "--cache", str(cache), "--out", str(tmp / "out"), "--no-progress",
                "--formats", "json,csv"]
        print(f"TMX: {opts.units} units, {checked} translated (sv -> en), {tmx.stat().st_size / 1e6:.1f} MB; "
              f"load average {os.getloadavg()[0]:.2f}")
        print("run\twall_s\tunits_per_s\tpeak_MB\texit\tqe says")
        for label, extra in (("cold", []), ("warm", ["--fresh"]), ("resumed", [])):
            wall, code, peak, summary = run(base + extra)
            print(f"{label}\t{wall:.1f}\t{checked / wall:.1f}\t{peak}\t{code}\t{summary}")


if __name__ == "__main__":
    main()
