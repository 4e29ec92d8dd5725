"""Long articles: split into pieces that fit the model's context, then join the answers.

The ``single`` strategy sends the article in one call. An article longer than
the model's context window (a 200,000-character report, a transcript) is cut
into pieces on paragraph boundaries, each piece a contiguous slice of the
article text with its offsets, consecutive pieces sharing a small overlap so
that a sentence on a border is seen whole by at least one call.

Each piece is extracted on its own; :func:`anchor` then points every quote
and evidence passage at the place it was found *in its piece* (``near``, an
offset in the whole text), so that grounding, which always searches the
whole text, picks the right occurrence of a sentence the article repeats.
:func:`merge_drafts` joins the pieces' answers: the same quote found in two
overlapping pieces is kept once, as are incidents of the same type with
overlapping evidence and positions of the same stakeholder and stance.

Token counts are estimated, not measured (no tokenizer for an unknown
endpoint): three characters a token for alphabetic scripts and one a token
for Chinese, Japanese and Korean, which is on the safe side of what BPE
tokenizers produce for news text.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from pydantic import BaseModel

from summarizer.drafts import DraftEvidence, DraftIncident, DraftPosition, DraftQuote, DraftSummary
from summarizer.grounding import TextIndex
from summarizer.segment import Segment, paragraphs, sentences
from summarizer.settings import Settings

CHARS_PER_TOKEN = 3
# Assumed context of an endpoint when SUMMARIZER_CONTEXT does not say: most
# current hosted and open models take at least this much. The embedded model's
# context is the one it is started with (settings.context_tokens).
ENDPOINT_CONTEXT_TOKENS = 32_768
MIN_PIECE_TOKENS = 400  # below this a piece holds too little of a story to read
OVERLAP_SHARE = 0.1  # of a piece's budget, carried over into the next piece
_QUOTE_MARKS = "\"'“”‘’«»「」『』„‟‚‛"


@dataclass(frozen=True)
class Piece:
    """A slice of the article: ``article_text[start:end] == text``."""

    index: int
    start: int
    end: int
    text: str


# -- how much fits --------------------------------------------------------------------
# CJK ideographs, kana, Hangul and their punctuation: about one token each.
_WIDE = re.compile("[\u2e80-\ud7ff\uf900-\uffef]")


def estimate_tokens(text: str) -> int:
    """A generous token count for ``text``: over-estimating only makes pieces smaller."""
    wide = len(_WIDE.findall(text))
    return wide + (len(text) - wide + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def context_tokens(settings: Settings) -> int:
    """The model's context window: as set, else the embedded model's, else an endpoint's usual."""
    if settings.embedded or "context_tokens" in settings.model_fields_set:
        return settings.context_tokens
    return ENDPOINT_CONTEXT_TOKENS


def answer_tokens(settings: Settings) -> int:
    """Tokens kept free for the answer: the answer limit, but never more than half the context."""
    return min(settings.max_answer_tokens, context_tokens(settings) // 2)


def article_budget(settings: Settings, prompt_without_article: str, response_model: type[BaseModel]) -> int:
    """Tokens of article text one call can carry beside the prompt, the schema and the answer."""
    overhead = estimate_tokens(prompt_without_article) + schema_tokens(response_model)
    return max(MIN_PIECE_TOKENS, context_tokens(settings) - answer_tokens(settings) - overhead)


@functools.cache
def schema_tokens(response_model: type[BaseModel]) -> int:
    """The response schema's share of every request, computed once (6 ms a time)."""
    return estimate_tokens(json.dumps(response_model.model_json_schema()))


# -- splitting ----------------------------------------------------------------------------
def split(text: str, budget_tokens: int) -> list[Piece]:
    """``text`` as one piece if it fits ``budget_tokens``, else as overlapping pieces that do."""
    if estimate_tokens(text) <= budget_tokens:
        return [Piece(0, 0, len(text), text)]
    units = _units(text, budget_tokens)
    costs = [estimate_tokens(text[unit.start:_next_start(units, i, len(text))]) for i, unit in enumerate(units)]
    overlap = int(budget_tokens * OVERLAP_SHARE)
    pieces: list[Piece] = []
    first = 0
    while first < len(units):
        last = _fill(costs, first, budget_tokens)
        start, end = units[first].start, units[last].end
        pieces.append(Piece(len(pieces), start, end, text[start:end]))
        if last == len(units) - 1:
            break
        first = _overlap_start(costs, first, last, overlap, budget_tokens)
    return pieces


def _units(text: str, budget_tokens: int) -> list[Segment]:
    """Paragraphs; a paragraph too long for a piece by its sentences; a sentence too long in windows."""
    units: list[Segment] = []
    for paragraph in paragraphs(text):
        if estimate_tokens(paragraph.text) <= budget_tokens:
            units.append(paragraph)
            continue
        for sentence in sentences(paragraph):
            if estimate_tokens(sentence.text) <= budget_tokens:
                units.append(sentence)
            else:
                units.extend(_windows(sentence, budget_tokens))
    return units


def _windows(segment: Segment, budget_tokens: int) -> list[Segment]:
    """A run of text with no sentence end in reach, cut at spaces (or anywhere, if it has none)."""
    found, begin, text = [], 0, segment.text
    while begin < len(text):
        width = budget_tokens * CHARS_PER_TOKEN
        while width > 1 and estimate_tokens(text[begin:begin + width]) > budget_tokens:
            width = width * 2 // 3  # wide scripts: fewer characters per token
        end = min(len(text), begin + width)
        space = text.rfind(" ", begin + 1, end) if end < len(text) else -1
        end = space if space > begin else end
        found.append(Segment(text[begin:end], segment.start + begin, segment.start + end))
        begin = end
        while begin < len(text) and text[begin] == " ":
            begin += 1
    return found


def _next_start(units: list[Segment], i: int, text_end: int) -> int:
    return units[i + 1].start if i + 1 < len(units) else text_end


def _fill(costs: list[int], first: int, budget_tokens: int) -> int:
    """The last unit of a piece starting at ``first``: as many as fit, at least one."""
    total, last = costs[first], first
    while last + 1 < len(costs) and total + costs[last + 1] <= budget_tokens:
        last += 1
        total += costs[last]
    return last


def _overlap_start(costs: list[int], first: int, last: int, overlap_tokens: int, budget_tokens: int) -> int:
    """Where the next piece starts: this piece's last units that fit the overlap, always moving on.

    The last unit is carried over even beyond the overlap share when it takes
    at most half a piece, so that pieces made of long paragraphs still share one.
    """
    start, carried = last + 1, 0
    while start - 1 > first and (carried + costs[start - 1] <= overlap_tokens
                                 or (start == last + 1 and costs[last] * 2 <= budget_tokens)):
        start -= 1
        carried += costs[start]
    return start


# -- joining the pieces' answers --------------------------------------------------------------
def anchor(draft: DraftSummary, piece: Piece) -> DraftSummary:
    """``draft`` (extracted from ``piece``) with each quote and passage pointed at its place in the piece."""
    index = TextIndex(piece.text)

    def place(text: str) -> int | None:
        span = index.locate(text.strip().strip(_QUOTE_MARKS))
        return piece.start + span.start if span is not None else None

    for quote in draft.quotes:
        quote.near = place(quote.text)
    for item in [*draft.incidents, *draft.positions]:
        for evidence in item.evidence:
            evidence.near = place(evidence.text)
    return draft


def merge_drafts(drafts: list[DraftSummary]) -> DraftSummary:
    """One draft from the pieces' anchored drafts, with what two pieces both found kept once."""
    merged = DraftSummary(summary=next((d.summary for d in drafts if d.summary.strip()), ""))
    for draft in drafts:
        for quote in draft.quotes:
            _merge_quote(quote, merged.quotes)
        for incident in draft.incidents:
            _merge_incident(incident, merged.incidents)
        for position in draft.positions:
            _merge_position(position, merged.positions)
        merged.warnings.extend(draft.warnings)
    return merged


def _quote_key(quote: DraftQuote) -> tuple:
    if quote.near is not None:
        return ("at", quote.near)
    return ("text", " ".join(quote.text.strip().strip(_QUOTE_MARKS).split()))


def _merge_quote(quote: DraftQuote, kept: list[DraftQuote]) -> None:
    for i, other in enumerate(kept):
        if _quote_key(other) == _quote_key(quote):
            if other.speaker is None and quote.speaker is not None:
                kept[i] = quote  # the piece that saw the attribution wins
            return
    kept.append(quote)


def _evidence_places(evidence: list[DraftEvidence]) -> list[tuple[int, int]]:
    return [(e.near, e.near + len(e.text.strip())) for e in evidence if e.near is not None]


def _overlaps(a: list[DraftEvidence], b: list[DraftEvidence]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in _evidence_places(a) for s2, e2 in _evidence_places(b))


def _add_evidence(into: list[DraftEvidence], more: list[DraftEvidence]) -> None:
    places = {(e.near, e.text.strip()) for e in into}
    into.extend(e for e in more if (e.near, e.text.strip()) not in places)


def _merge_incident(incident: DraftIncident, kept: list[DraftIncident]) -> None:
    for other in kept:
        if other.type == incident.type and _overlaps(other.evidence, incident.evidence):
            _add_evidence(other.evidence, incident.evidence)
            other.actors += [actor for actor in incident.actors if actor not in other.actors]
            for name in ("date_text", "location_text", "city", "region", "country", "people_text", "count",
                         "details", "subjects", "status"):
                if getattr(other, name) is None:
                    setattr(other, name, getattr(incident, name))
            return
    kept.append(incident)


def _stakeholder_key(position: DraftPosition) -> tuple[str, str]:
    return " ".join(position.stakeholder.casefold().split()), position.stance


def _merge_position(position: DraftPosition, kept: list[DraftPosition]) -> None:
    for other in kept:
        if _stakeholder_key(other) == _stakeholder_key(position):
            _add_evidence(other.evidence, position.evidence)
            return
    kept.append(position)
