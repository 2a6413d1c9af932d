"""Language detection: which detector, and what it costs inside `qe check`.

    .venv/bin/python benchmarks/bench_langid.py

1. Detectors compared, each in its own process: load time (first detection
   included), peak memory of the process (ru_maxrss, Python and numpy
   included), time per sentence, and sentence accuracy on the bundled corpora
   (Swedish and English) and, when ../shared/eval is present, Text+Berg dev
   (German and French, OCR'd). qe's choice is the first row: lingua on
   qe.langid.LANGUAGES in low-accuracy mode.
2. wrong-language calls on ~4,500 sentences of those sets (each sentence
   against its own language: every call is false) and the share of sentences
   caught when put under another language.
3. Its cost inside `qe check`: whole `qe check` processes on the DN editorial
   (Swedish original, English translation, no language option) with the
   detector's time summed by wrapping qe.langid's detect; the share is
   detection seconds over the whole process's seconds, model loading included.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def sentence_sets() -> dict[str, list[str]]:
    def lines(p: Path) -> list[str]:
        return [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]

    sets = {"sv": lines(ROOT / "corpora/dn-editorial/original.sv.txt"),
            "en": [s for p in ("dn-editorial/translation.en.txt", "ft-call/original.en.txt",
                               "ft-call/spun.en.txt", "ft-call/backtranslation.en.txt",
                               "politico-call/original.en.txt") for s in lines(ROOT / "corpora" / p)]}
    if (EVAL / "textberg-dev").is_dir():
        sets["de"] = lines(EVAL / "textberg-dev/dev.de")
        sets["fr"] = lines(EVAL / "textberg-dev/dev.fr") + lines(EVAL / "textberg-dev/dev.google-mt.fr")
    for name in ("ne_removed.tsv",):
        path = EVAL / "demetr" / name
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
            sets["en"] += [r["mt_good"] for r in rows] + [r["ref"] for r in rows]
    mqm = EVAL / "mqm20-names" / "dev.tsv"
    if mqm.is_file():
        with mqm.open(encoding="utf-8") as fh:
            sets["en"] += [r["mt"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)][:1500]
    return sets


_DETECTOR_CHILD = r"""
import json, resource, sys, time
which, sets = sys.argv[1], json.loads(sys.stdin.read())
t0 = time.perf_counter()
if which == "qe":
    from qe import langid
    det = lambda t: langid.detect(t).language
elif which == "lingua-all":
    from lingua import LanguageDetectorBuilder
    d = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    det = lambda t: (lambda r: r.iso_code_639_1.name.lower() if r else None)(d.detect_language_of(t))
elif which == "lingua-high":
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    from qe.langid import LANGUAGES
    d = LanguageDetectorBuilder.from_iso_codes_639_1(*[getattr(IsoCode639_1, c.upper()) for c in LANGUAGES]).build()
    det = lambda t: (lambda r: r.iso_code_639_1.name.lower() if r else None)(d.detect_language_of(t))
else:
    import py3langid.langid as pl
    ident = pl.LanguageIdentifier.from_model_file(pl.MODEL_FILE, norm_probs=True)
    det = lambda t: ident.classify(t)[0]
det("warm up: the first call loads the models")
load = time.perf_counter() - t0
t1 = time.perf_counter(); n = ok = 0
for lang, sentences in sets.items():
    for s in sentences[:600]:
        n += 1; ok += det(s) == lang
per = (time.perf_counter() - t1) / n * 1000
print(json.dumps({"load_s": load, "ms_per_sentence": per, "accuracy": ok / n, "sentences": n,
                  "peak_MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""

_CHECK_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from qe import langid
spent = [0.0]
for name in ("detect", "share_of"):
    inner = getattr(langid, name)
    def timed(*a, _inner=inner, **k):
        t = time.perf_counter()
        try:
            return _inner(*a, **k)
        finally:
            spent[0] += time.perf_counter() - t
    setattr(langid, name, timed)
from qe.cli import main
code = main(sys.argv[1:])
print(json.dumps({"exit": code, "whole_s": time.perf_counter() - t0, "detect_s": spent[0]}))
"""


def child(code: str, args: list[str], stdin: str = "") -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "{}"
    return json.loads(last) if last.startswith("{") else {"error": proc.stderr.strip()[-200:]}


def main() -> None:
    sets = sentence_sets()
    print(f"load average {os.getloadavg()[0]:.2f}; sentences: " + ", ".join(f"{k} {len(v)}" for k, v in sets.items()))
    print("\n1. detectors (accuracy on up to 600 sentences of each language)")
    print("detector\tload_s\tpeak_MB\tms/sentence\taccuracy")
    payload = json.dumps(sets)
    for which in ("qe", "lingua-all", "py3langid", "lingua-high"):
        r = child(_DETECTOR_CHILD, [which], payload)
        if "error" in r:
            print(f"{which}\tnot available ({r['error'].splitlines()[-1] if r['error'] else '?'})")
            continue
        print(f"{which}\t{r['load_s']:.2f}\t{r['peak_MB']}\t{r['ms_per_sentence']:.2f}\t{r['accuracy']:.3f}")

    from qe import langid

    print("\n2. wrong-language calls (qe.langid.wrong_language)")
    print("sentences\tlanguage\tfalse_calls\tcaught_under_other")
    other = {"sv": "en", "en": "sv", "de": "en", "fr": "de"}
    for lang, sentences in sets.items():
        false = sum(1 for s in sentences if langid.wrong_language(s, lang))
        sample = sentences[:300]
        caught = sum(1 for s in sample if langid.wrong_language(s, other[lang]))
        print(f"{len(sentences)}\t{lang}\t{false}\t{caught}/{len(sample)}")

    print("\n3. share of `qe check` (DN editorial, sv -> en, no language option), whole processes")
    print("run\twhole_s\tdetect_s\tshare\texit")
    dn = ROOT / "corpora" / "dn-editorial"
    for run in range(3):
        r = child(_CHECK_CHILD, ["check", str(dn / "original.sv.txt"), str(dn / "translation.en.txt"),
                                 "--out", "/tmp/qe-bench-langid", "--formats", "json", "--quiet"])
        if "error" in r:
            print(f"{run + 1}\terror {r['error']}")
            continue
        print(f"{run + 1}\t{r['whole_s']:.2f}\t{r['detect_s']:.3f}\t{r['detect_s'] / r['whole_s']:.1%}\t{r['exit']}")


if __name__ == "__main__":
    main()
