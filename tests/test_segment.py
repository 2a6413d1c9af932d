import pytest

from qe.errors import EmptyDocumentError
from qe.segment import split_sentences


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("en", "Mr. Smith went to the U.S. on Monday. He left.", ["Mr. Smith went to the U.S. on Monday.", "He left."]),
        ("en", 'He said: "No." Then he left.', ['He said: "No."', "Then he left."]),
        ("en", "“This isn’t our war,” Vance said. Rubio agreed.", ["“This isn’t our war,” Vance said.", "Rubio agreed."]),
        ("en", "Dr. Who met Sen. Rubio at 5 p.m. on Monday. Fine.", ["Dr. Who met Sen. Rubio at 5 p.m. on Monday.", "Fine."]),
        ("sv", "Mötet började kl. 10 i Stockholm. Sedan åt de.", ["Mötet började kl. 10 i Stockholm.", "Sedan åt de."]),
        ("sv", "Det gäller bl.a. Nato och t.ex. EU. Inget mer.", ["Det gäller bl.a. Nato och t.ex. EU.", "Inget mer."]),
        ("sv", "”Jag tror det”, sa han. Hon höll med.", ["”Jag tror det”, sa han.", "Hon höll med."]),
        ("sv", "USA:s president ringde. Kreml svarade.", ["USA:s president ringde.", "Kreml svarade."]),
    ],
)
def test_split_table(language, text, expected):
    assert split_sentences(text, language).texts() == expected


def test_paragraphs_are_boundaries_and_offsets_point_into_text():
    text = "First para one. First para two\n\nSecond para\nThird para starts. Ends."
    doc = split_sentences(text)
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1, 2, 2]
    for s in doc.sentences:
        assert " ".join(text[s.start:s.end].split()) == s.text


def test_soft_wrapped_lines_join():
    doc = split_sentences("This sentence is wrapped\nacross two lines. Next one.")
    assert doc.texts() == ["This sentence is wrapped across two lines.", "Next one."]


def test_line_without_final_stop_stays_its_own_paragraph():
    doc = split_sentences("A line that lost its stop\nA new line starts here.")
    assert len(doc) == 2


def test_presplit_line_k_is_sentence_k():
    # gold alignment files index lines: a blank line keeps its index as an empty sentence
    doc = split_sentences("One. Two.\n\nThree\n", presplit=True)
    assert doc.texts() == ["One. Two.", "", "Three"]


def test_no_sentence_is_an_error():
    with pytest.raises(EmptyDocumentError):
        split_sentences("   \n \n")
