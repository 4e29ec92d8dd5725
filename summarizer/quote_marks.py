"""Quotes a model copied without the quote marks the article has inside them.

A quotation that runs over several paragraphs reopens with a quote mark at
each new paragraph (``in January.\\n\\n“Then the police came``), and a model
copying it usually leaves that mark out, as it often does the marks of a
quote nested inside (``He shouted ‘stop’``). Grounding treats all kinds of
quote marks alike but not a missing one, so such a quote would be dropped as
not found. Here the quote is compared with the article ignoring quote marks
and whitespace; where it matches, the draft takes the article's own
characters, which grounding then finds as they are. Nothing is invented: every
letter still has to be in the article, in order.
"""

from __future__ import annotations

from summarizer.drafts import DraftSummary
from summarizer.grounding import locate

_IGNORED = frozenset("\"'“”‘’«»「」『』„‟‚‛‹›")
MIN_LETTERS = 12  # shorter quotes match by accident once marks and spaces are gone


class _Skeleton:
    """The article without quote marks and whitespace, each character mapped to its offset."""

    def __init__(self, text: str):
        kept = [(i, c) for i, c in enumerate(text) if c not in _IGNORED and not c.isspace()]
        self.text = text
        self.chars = "".join(c for _, c in kept)
        self.offsets = [i for i, _ in kept]

    def find(self, needle: str, near: int | None) -> tuple[int, int] | None:
        key = "".join(c for c in needle if c not in _IGNORED and not c.isspace())
        if len(key) < MIN_LETTERS:
            return None
        hits, i = [], self.chars.find(key)
        while i != -1:
            start, end = self.offsets[i], self.offsets[i + len(key) - 1] + 1
            if self._bounded(start, end):
                hits.append((start, end))
            i = self.chars.find(key, i + 1)
        if not hits:
            return None
        return min(hits, key=lambda hit: abs(hit[0] - near)) if near is not None else hits[0]

    def _bounded(self, start: int, end: int) -> bool:
        before = self.text[start - 1] if start else " "
        after = self.text[end] if end < len(self.text) else " "
        return not (before.isalnum() and self.text[start].isalnum()) and not (after.isalnum() and self.text[end - 1].isalnum())


def restore_quote_marks(draft: DraftSummary, text: str) -> DraftSummary:
    """``draft`` with each quote grounding cannot find, but the article holds save for quote marks, copied from the article."""
    skeleton: _Skeleton | None = None
    for quote in draft.quotes:
        if locate(text, quote.text.strip().strip("".join(_IGNORED)), quote.near) is not None:
            continue
        skeleton = skeleton or _Skeleton(text)
        hit = skeleton.find(quote.text, quote.near)
        if hit is not None:
            quote.text = text[hit[0]:hit[1]]
            quote.near = hit[0]
    return draft
