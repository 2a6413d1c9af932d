"""Text -> sentences, keeping paragraphs as hard boundaries.

syntok does the splitting (it handles "U.S.", "Mr.", quotes, and quoted
Swedish); on top of it we re-join splits after abbreviations syntok does not
know for a language (Swedish "kl. 10", "bl.a."), and we never let a sentence
cross a paragraph boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qe.errors import EmptyDocumentError
from qe.models import Document, Sentence

SEGMENTER_NAME = "syntok"

# Abbreviations after which a sentence does not end when the next word is
# lower-case or a number. Lower-cased, without the final dot.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "sv": frozenset(
        "kl bl.a t.ex s.k m.fl m.m ca dvs d.v.s fr.o.m t.o.m p.g.a pga enl jfr resp st nr tel f.d o.d e.d "
        "bl a t ex s k f ö fö mm osv etc milj mdr kr jan feb mar apr jun jul aug sep sept okt nov dec".split()
    ),
    "de": frozenset("z.b u.a d.h bzw ca nr dr prof st evtl ggf usw vgl s jh".split()),
    "fr": frozenset("m mm mme mlle dr st ste p ex cf etc env".split()),
    "en": frozenset("approx. no vs etc e.g i.e".split()),
}

_FINAL = re.compile(r"""[.!?:…;"”’»)\]]\s*$""")


def _word_before_dot(text: str) -> str | None:
    """The word a text ends in when it ends in a full stop ("kl." -> "kl").
    String methods, not a regular expression: a search for ``(\S+)\.\s*$`` is
    tried from every position and took 66 s on a line of 20,000 digits."""
    body = text.rstrip()
    if not body.endswith(".") or len(body) < 2 or body[-2].isspace():
        return None
    return body[:-1].rsplit(None, 1)[-1]


@dataclass(frozen=True)
class _Paragraph:
    start: int
    end: int


def _paragraphs(text: str) -> list[_Paragraph]:
    """Blocks separated by blank lines; inside a block every line is its own
    paragraph unless it is a soft wrap (no final punctuation, next line lower-case)."""
    paras: list[_Paragraph] = []
    pos = 0
    cur_start: int | None = None
    cur_end = 0
    prev_line = ""
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.strip()
        if not stripped:
            if cur_start is not None:
                paras.append(_Paragraph(cur_start, cur_end))
                cur_start = None
            continue
        soft_wrap = (
            cur_start is not None
            and not _FINAL.search(prev_line)
            and (stripped[0].islower())
        )
        if cur_start is not None and not soft_wrap:
            paras.append(_Paragraph(cur_start, cur_end))
            cur_start = None
        if cur_start is None:
            cur_start = line_start + (len(line) - len(line.lstrip()))
        cur_end = line_start + len(line.rstrip())
        prev_line = stripped
    if cur_start is not None:
        paras.append(_Paragraph(cur_start, cur_end))
    return paras


def _syntok_spans(text: str) -> list[tuple[int, int]]:
    import syntok.segmenter as syntok_segmenter

    spans = []
    for para in syntok_segmenter.analyze(text):
        for sent in para:
            tokens = [t for t in sent]
            if not tokens:
                continue
            start = tokens[0].offset
            end = tokens[-1].offset + len(tokens[-1].value)
            spans.append((start, end))
    return spans


def _rejoin_abbreviations(text: str, spans: list[tuple[int, int]], language: str) -> list[tuple[int, int]]:
    abbrevs = ABBREVIATIONS.get(language, frozenset())
    if not abbrevs or len(spans) < 2:
        return spans
    out = [spans[0]]
    for start, end in spans[1:]:
        prev_start, prev_end = out[-1]
        word = _word_before_dot(text[prev_start:prev_end])
        nxt = text[start:end].lstrip()
        if word and word.lower().lstrip("(\"'”«") in abbrevs and nxt[:1] and (nxt[0].islower() or nxt[0].isdigit()):
            out[-1] = (prev_start, end)
        else:
            out.append((start, end))
    return out


def split_sentences(text: str, language: str = "en", *, presplit: bool = False, name: str = "") -> Document:
    """Split `text` into a Document of sentences.

    With `presplit`, every line is one sentence (the format of alignment gold
    files); nothing is re-split. A blank line is an empty sentence, kept so that
    line numbers stay sentence indexes (gold beads count lines).
    """
    sentences: list[Sentence] = []
    paras = _paragraphs(text) if not presplit else None
    if presplit:
        pos = 0
        lines = text.split("\n")
        if lines and lines[-1].strip() == "":  # the final newline ends the last line, it is not a sentence
            lines.pop()
        for line in lines:
            lead = len(line) - len(line.lstrip())
            s = pos + lead
            sentences.append(Sentence(len(sentences), line.strip(), len(sentences), s, s + len(line.strip())))
            pos += len(line) + 1
    else:
        for p_index, para in enumerate(paras or []):
            chunk = text[para.start:para.end]
            spans = _rejoin_abbreviations(chunk, _syntok_spans(chunk), language)
            for start, end in spans:
                sent_text = " ".join(chunk[start:end].split())
                if sent_text:
                    sentences.append(
                        Sentence(len(sentences), sent_text, p_index, para.start + start, para.start + end)
                    )
    if not any(sent.text for sent in sentences):
        raise EmptyDocumentError(f"{name or 'document'}: no sentence found")
    return Document(text=text, sentences=tuple(sentences), language=language, name=name)
