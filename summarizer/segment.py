"""Paragraphs and sentences of the cleaned text, each with its offsets.

Code-driven extraction works sentence by sentence; every piece keeps its
``start``/``end`` in the article text so that whatever is found in it can be
grounded without searching again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Segment:
    """A stretch of the article: ``article_text[start:end] == text``."""

    text: str
    start: int
    end: int


# Abbreviations after which a period does not end a sentence in news copy.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt rep sen gov st jr sr inc corp co ltd no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.u a.m p.m".split()
)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A sentence ends at . ! ? (and any closing quotes/brackets after it) followed
# by whitespace and something that can start a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9가-힣一-鿿])")
# Scraped text keeps headlines and captions as lines of their own: a line
# break ends a sentence unless the next line carries on in lower case
# (hand-wrapped prose).
_LINE_BREAK = re.compile(r"\n(?=\s*[^a-z\s])")


def paragraphs(text: str) -> list[Segment]:
    """Blank-line separated paragraphs, stripped, with offsets."""
    found, position = [], 0
    for block in _PARAGRAPH_BREAK.split(text):
        start = text.index(block, position)
        position = start + len(block)
        stripped = block.strip()
        if stripped:
            offset = start + block.index(stripped)
            found.append(Segment(stripped, offset, offset + len(stripped)))
    return found


def _ends_with_abbreviation(text: str, period_at: int) -> bool:
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[:period_at])
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    # Single capital letters are initials ("Kim J. Lee"), not sentence ends.
    return token in ABBREVIATIONS or len(token) == 1


def sentences(paragraph: Segment) -> list[Segment]:
    """Sentences of one paragraph, with offsets into the article."""
    found, begin, text = [], 0, paragraph.text
    ends = sorted([*_SENTENCE_END.finditer(text), *_LINE_BREAK.finditer(text)], key=lambda match: match.start())
    for match in ends:
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        if match.end() <= begin:
            continue
        found.append(_piece(paragraph, begin, match.end()))
        begin = match.end()
    found.append(_piece(paragraph, begin, len(text)))
    return [sentence for sentence in found if sentence.text]


def _piece(paragraph: Segment, begin: int, end: int) -> Segment:
    raw = paragraph.text[begin:end]
    stripped = raw.strip()
    offset = paragraph.start + begin + (raw.index(stripped) if stripped else 0)
    return Segment(stripped, offset, offset + len(stripped))


@dataclass
class SegmentedText:
    """An article split once, shared by every extraction step."""

    text: str

    @cached_property
    def paragraphs(self) -> list[Segment]:
        return paragraphs(self.text)

    @cached_property
    def sentences(self) -> list[Segment]:
        return [sentence for paragraph in self.paragraphs for sentence in sentences(paragraph)]

    def sentence_at(self, offset: int) -> Segment | None:
        """The sentence that contains ``offset``."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def paragraph_index(self, offset: int) -> int | None:
        for index, paragraph in enumerate(self.paragraphs):
            if paragraph.start <= offset < paragraph.end:
                return index
        return None
