"""Grounding: every string a strategy produced is found in the article, or dropped.

A model copies text imperfectly: curly quotes become straight, a line break
becomes a space, an em dash becomes a hyphen. ``TextIndex`` holds a normalised
copy of the article with a map back to the original offsets, so tolerant
matches still return the article's own characters:
``text[span.start:span.end] == span.text`` always.

Matching rules (``TextIndex.locate``):

* exact match first; then tolerant of quote marks (all kinds are one: curly,
  straight, single, double, guillemets, corner brackets), dashes (and spaces
  around them), whitespace runs, invisible characters, "…" vs "...", and
  Unicode composed/decomposed accents;
* quote marks around the needle are kept in the span when the article has them
  there too, and ignored when it does not; needles under 3 characters: None;
* case must match, except the needle's first letter ("He said" finds "he said");
* a match may not begin or end inside a word (except in CJK/Hangul text);
* several matches: the one starting nearest ``near``, else the first.

``TextIndex.find`` is the case-insensitive variant for names and short phrases
(speakers, stakeholders, actors, places, "10").

``ground`` turns a DraftSummary into located items and records every removal
as a DroppedItem: nothing a model said disappears silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from summarizer import normalize
from summarizer.drafts import DraftEvidence, DraftIncident, DraftPosition, DraftQuote, DraftSummary
from summarizer.models import (
    DroppedItem,
    Incident,
    IncidentDate,
    Location,
    People,
    Quote,
    QuoteKind,
    Span,
    StakeholderPosition,
)

MIN_NEEDLE = 3  # shorter needles match by accident

_QUOTE_MARKS = "'‘’‚‛`´′‹›" + "\"“”„‟«»「」『』″〝〞＂"
# All quote marks are one: models swap single for double quotes (JSON escaping)
# as freely as curly for straight, and an apostrophe never decides a match.
_CHAR_MAP = {
    **{c: '"' for c in _QUOTE_MARKS},
    **{c: "-" for c in "-‐‑‒–—―−﹘﹣－"},
    "…": "...",
    # Invisible characters that survive HTML cleaning but never reach a model's copy.
    **{c: "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"},
}


_DASHES = frozenset(c for c, out in _CHAR_MAP.items() if out == "-")
_INVISIBLE = "".join(c for c, out in _CHAR_MAP.items() if not out)
_BESIDE = re.escape("".join(_DASHES) + _INVISIBLE)
# What the folding rewrites: every character in _CHAR_MAP, whitespace other than
# one plain space, and a plain space beside a dash or an invisible character.
# All else is copied one to one, so an article is folded run by run, not
# character by character (most of its pieces are words between single spaces).
_SPECIAL = re.compile(rf"\s{{2,}}|[^\S ]| (?=[{_BESIDE}])|(?<=[{_BESIDE}]) |[{re.escape(''.join(_CHAR_MAP))}]")

Unit = tuple[str, int, int, bool]  # output, original start, original end, one-to-one copy


def _units(s: str) -> list[Unit]:
    """Normalised pieces of ``s`` as (output, original start, original end, one-to-one).

    Whitespace runs become one space; spaces around a dash and runs of dashes
    collapse ("a -- b" == "a—b"), because models rewrite dashes freely. A
    one-to-one piece is a run of the original copied unchanged, character for
    character; any other piece stands for its whole original span.
    """
    units: list[Unit] = []
    space: tuple[int, int] | None = None  # the pending whitespace run, not yet emitted

    def emit(out: str, start: int, end: int, one_to_one: bool) -> None:
        nonlocal space
        if space:
            units.append((" ", space[0], space[1], False))
            space = None
        units.append((out, start, end, one_to_one))

    position = 0
    for match in _SPECIAL.finditer(s):
        start, end = match.span()
        if start > position:
            emit(s[position:start], position, start, True)
        position = end
        c = match.group()
        if c[0].isspace():
            if not (units and units[-1][0] == "-"):
                space = (space[0], end) if space else (start, end)
        elif c in _DASHES:
            space = None
            if units and units[-1][0] == "-":
                units[-1] = ("-", units[-1][1], end, False)
            else:
                units.append(("-", start, end, False))
        elif _CHAR_MAP[c]:
            emit(_CHAR_MAP[c], start, end, False)
    if position < len(s):
        emit(s[position:], position, len(s), True)
    if space:
        units.append((" ", space[0], space[1], False))
    return units


class _Folded:
    """A normalised string with, for each of its characters, the original span."""

    def __init__(self, units: list[Unit], casefold: bool):
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for out, start, end, one_to_one in units:
            folded = out.casefold() if casefold else out
            chars.append(folded)
            if one_to_one and len(folded) == len(out):
                starts.extend(range(start, end))
                ends.extend(range(start + 1, end + 1))
            elif one_to_one:  # casefolding changed a length ("ß" -> "ss"): map character by character
                for i, c in enumerate(out, start):
                    width = len(c.casefold())
                    starts.extend([i] * width)
                    ends.extend([i + 1] * width)
            else:
                starts.extend([start] * len(folded))
                ends.extend([end] * len(folded))
        self.text = "".join(chars)
        self.starts, self.ends = starts, ends

    def hits(self, key: str, first_only: bool = False) -> list[tuple[int, int]]:
        """Original (start, end) of each word-bounded occurrence of ``key`` (or of the first one)."""
        found, i = [], self.text.find(key)
        while i != -1:
            j = i + len(key)
            if _bounded(self.text, i, j):
                found.append((self.starts[i], self.ends[j - 1]))
                if first_only:
                    break
            i = self.text.find(key, i + 1)
        return found


def _is_word_char(c: str) -> bool:
    # CJK and Hangul write particles onto words, so a boundary is not required there.
    return c.isalnum() and ord(c) < 0x2E80


def _bounded(hay: str, i: int, j: int) -> bool:
    """False when hay[i:j] starts or ends in the middle of a word."""
    if i > 0 and _is_word_char(hay[i - 1]) and _is_word_char(hay[i]):
        return False
    return not (j < len(hay) and _is_word_char(hay[j - 1]) and _is_word_char(hay[j]))


def _normal(s: str, casefold: bool = False, unquote: bool = True) -> str:
    """``s`` normalised the way the article is, trimmed (and unquoted) at both ends."""
    normal = _Folded(_units(s), casefold).text.strip()
    return normal.strip(' "') if unquote else normal


def _swap_first_letter(s: str) -> str | None:
    for i, c in enumerate(s):
        if c.isalpha():
            swapped = c.lower() if c.isupper() else c.upper()
            return s[:i] + swapped + s[i + 1:] if len(swapped) == 1 and swapped != c else None
    return None


def _nearest(hits: list[tuple[int, int]], near: int | None) -> tuple[int, int] | None:
    if not hits:
        return None
    if near is None:
        return hits[0]
    return min(hits, key=lambda hit: (abs(hit[0] - near), hit[0]))


class TextIndex:
    """One article, normalised once, for many lookups (fine for 200,000 characters)."""

    def __init__(self, text: str):
        self.text = text
        units = _units(text)
        self._cased = _Folded(units, casefold=False)
        self._folded = _Folded(units, casefold=True)

    def _span(self, hit: tuple[int, int] | None) -> Span | None:
        if hit is None:
            return None
        start, end = hit
        return Span(text=self.text[start:end], start=start, end=end)

    def _exact_hits(self, needle: str) -> list[tuple[int, int]]:
        found, i = [], self.text.find(needle)
        while i != -1:
            if _bounded(self.text, i, i + len(needle)):
                found.append((i, i + len(needle)))
            i = self.text.find(needle, i + 1)
        return found

    def locate(self, needle: str, near: int | None = None) -> Span | None:
        """Where ``needle`` stands in the article; None when it is not there."""
        needle = needle.strip()
        key = _normal(needle)
        if len(key) < MIN_NEEDLE:
            return None
        hits = self._exact_hits(needle)
        # Quote marks around the needle are kept when the article has them too.
        for variant in (_normal(needle, unquote=False), key, _normal(unicodedata.normalize("NFC", needle)),
                        _normal(unicodedata.normalize("NFD", needle)), _swap_first_letter(key)):
            if hits:
                break
            if variant:
                hits = self._cased.hits(variant)
        return self._span(_nearest(hits, near))

    def find(self, phrase: str | None, near: int | None = None) -> Span | None:
        """Like ``locate`` but case-insensitive and for short phrases too (names, "10")."""
        key = _normal(phrase or "", casefold=True)
        if not key:
            return None
        # Without a hint the first occurrence is the answer: don't list the
        # other 600 "on Tuesday"s of a long article.
        return self._span(_nearest(self._folded.hits(key, first_only=near is None), near))

    def written(self, phrase: str | None) -> str | None:
        """The article's own spelling of ``phrase`` (whitespace collapsed), or None.
        A phrase the article spells just so is kept: "Kim", not the "KIM" of a heading before it."""
        words = (phrase or "").split()
        if words and re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", self.text):
            return " ".join(words)
        span = self.find(phrase)
        return " ".join(span.text.split()) if span else None


@lru_cache(maxsize=4)
def _index_for(text: str) -> TextIndex:
    return TextIndex(text)


def locate(text: str, needle: str, near: int | None = None) -> Span | None:
    """Find ``needle`` in ``text`` (see TextIndex.locate); recent texts' indexes are cached."""
    return _index_for(text).locate(needle, near)


# ---------------------------------------------------------------- grounding


@dataclass
class Grounded:
    """Items located in the article, and everything that was not.

    ``warnings`` holds grounding's own notes only; the draft's stay with the draft.
    """

    incidents: list[Incident] = field(default_factory=list)
    positions: list[StakeholderPosition] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dropped: list[DroppedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def drop(self, kind: str, text: str | None, reason: str) -> None:
        self.dropped.append(DroppedItem(kind=kind, text=text or "", reason=reason))


def _tidy(s: str | None) -> str | None:
    """Model-written prose kept as is, whitespace tidied; blank becomes None."""
    if s is None:
        return None
    return " ".join(s.split()) or None


# Where a whole quoted sentence may open: after a line break, sentence or clause
# punctuation, or a closing quote; then at most two quote marks ("Stop." "Go").
# Straight quotes cannot close here: they would count the quote's own opening mark.
_OPENING_BOUNDARY = re.compile(
    r"[\n.!?:;,…—–\-”»」』’]\s*(?:[%s]\s*){0,2}\Z" % re.escape(_QUOTE_MARKS)
)
_CLOSING = ".!?,…—–-:;"


def _quote_kind(text: str, span: Span) -> QuoteKind:
    """direct: a whole sentence (or more) set off by the writer; partial: a phrase in theirs.

    Direct needs all three: it starts with a capital or digit; it opens at a
    sentence or clause boundary (text start, or after . ! ? : ; , or a closing
    quote, skipping an opening quote mark); it ends with sentence punctuation
    inside the quote or right after the span ("We will stay," she said).
    """
    first = span.text[:1]
    if not (first.isupper() or first.isdigit()):
        return "partial"
    before = ("\n" if span.start <= 20 else "") + text[max(0, span.start - 20):span.start]
    if not _OPENING_BOUNDARY.search(before):
        return "partial"
    after = text[span.end:span.end + 1]
    return "direct" if span.text[-1] in _CLOSING or (after and after in _CLOSING) else "partial"


def _ground_quote(draft: DraftQuote, index: TextIndex, out: Grounded) -> Quote | None:
    span = index.locate(draft.text.strip().strip(_QUOTE_MARKS), draft.near)
    if span is None:
        out.drop("quote", draft.text, "quoted words not found in the article")
        return None
    speaker = index.written(draft.speaker)
    if draft.speaker and speaker is None:
        out.drop("quote.speaker", draft.speaker, "speaker not named in the article")
    role = index.written(draft.speaker_role)
    if draft.speaker_role and role is None:
        out.drop("quote.speaker_role", draft.speaker_role, "speaker role not found in the article")
    kind = draft.kind or _quote_kind(index.text, span)
    attribution = draft.attribution if speaker is not None else None
    return Quote(text=span.text, span=span, speaker=speaker, speaker_role=role, kind=kind, attribution=attribution)


def _add_quote(quote: Quote, out: Grounded) -> None:
    """Same span twice: keep one, preferring the one that names a speaker."""
    for i, kept in enumerate(out.quotes):
        if (kept.span.start, kept.span.end) == (quote.span.start, quote.span.end):
            loser = quote
            if kept.speaker is None and quote.speaker is not None:
                out.quotes[i], loser = quote, kept
            out.drop("quote", loser.text, "duplicate of another quote at the same place")
            return
    out.quotes.append(quote)


def _evidence(drafts: list[DraftEvidence], index: TextIndex, out: Grounded) -> list[Span]:
    spans: list[Span] = []
    for draft in drafts:
        span = index.locate(draft.text, draft.near)
        if span is None:
            out.drop("evidence", draft.text, "passage not found in the article")
        elif span not in spans:
            spans.append(span)
    return spans


def _date(draft: DraftIncident, index: TextIndex, published: date | None, out: Grounded) -> IncidentDate:
    if not draft.date_text or not draft.date_text.strip():
        return IncidentDate()
    written = index.written(draft.date_text)
    if written is None:
        out.drop("incident.date", draft.date_text, "date not found in the article")
        return IncidentDate()
    return normalize.resolve_date(written, published)


def _location(draft: DraftIncident, index: TextIndex, out: Grounded) -> Location:
    text = index.written(draft.location_text)
    if draft.location_text and text is None:
        out.drop("incident.location", draft.location_text, "location not found in the article")
    parts = {}
    for name in ("city", "region", "country"):
        value = getattr(draft, name)
        parts[name] = index.written(value)
        if value and parts[name] is None:
            out.drop("incident.location", value, f"{name} not named in the article")
    return Location(text=text, **parts)


_UNWRITTEN = "count not written in the evidence"
_PERSONAL_NAME_RE = re.compile(normalize.PERSON_NAME)


def _people(draft: DraftIncident, index: TextIndex, evidence: list[Span], out: Grounded) -> People:
    details = _tidy(draft.details)
    claimed = draft.count if draft.count is not None and draft.count >= 0 else None
    passages = " ".join(span.text for span in evidence)
    text = index.written(draft.people_text)
    if text is not None:
        count, approximate = normalize.parse_count(text)
        if count is None and claimed == 1 and _PERSONAL_NAME_RE.fullmatch(text):
            count = 1   # "Ri fled": a person named by name is one person
        elif count is None and claimed is not None and normalize.mentions_number(f"{text} {passages}", claimed):
            count = claimed
        elif claimed is not None and count != claimed:
            reason = f"the article says {text!r}" if count is not None else _UNWRITTEN
            out.drop("incident.people", str(claimed), reason)
        return People(count=count, approximate=approximate, text=text, details=details)
    if draft.people_text and draft.people_text.strip():
        out.drop("incident.people", draft.people_text, "count not found in the article")
    if claimed is not None and not normalize.mentions_number(passages, claimed):
        out.drop("incident.people", str(claimed), _UNWRITTEN)
        claimed = None
    return People(count=claimed, details=details)


def _actors(draft: DraftIncident, index: TextIndex, out: Grounded) -> list[str]:
    actors: list[str] = []
    for actor in draft.actors:
        written = index.written(actor)
        if written is None:
            out.drop("incident.actor", actor, "actor not named in the article")
        elif written not in actors:
            actors.append(written)
    return actors


def _ground_incident(draft: DraftIncident, index: TextIndex, published: date | None,
                     out: Grounded) -> Incident | None:
    evidence = _evidence(draft.evidence, index, out)
    if not evidence:
        out.drop("incident", draft.description, "no evidence found in the article")
        return None
    return Incident(
        type=draft.type,
        description=_tidy(draft.description) or "",
        date=_date(draft, index, published, out),
        location=_location(draft, index, out),
        people=_people(draft, index, evidence, out),
        actors=_actors(draft, index, out),
        subjects=_tidy(draft.subjects),
        status=_tidy(draft.status),
        evidence=evidence,
    )


def _merge_incident(incident: Incident, out: Grounded) -> None:
    """Same type and first evidence: one event reported twice; fill gaps, keep the first.
    Two figures of one sentence ("51 arrests ..., another 41 arrests") stay two events."""
    for kept in out.incidents:
        if kept.type == incident.type and kept.evidence[0] == incident.evidence[0] and not _differ(kept, incident):
            kept.evidence += [s for s in incident.evidence if s not in kept.evidence]
            kept.actors += [a for a in incident.actors if a not in kept.actors]
            if kept.date.precision == "unknown" and kept.date.text is None:
                kept.date = incident.date
            if kept.location == Location():
                kept.location = incident.location
            if kept.people.count is None and kept.people.text is None:
                kept.people = incident.people
            kept.subjects = kept.subjects or incident.subjects
            kept.status = kept.status or incident.status
            out.drop("incident", incident.description,
                     "merged into an incident with the same type and evidence")
            return
    out.incidents.append(incident)


def _differ(kept: Incident, incident: Incident) -> bool:
    """Whether two incidents state different counts or different dates."""
    counts = (kept.people.count, incident.people.count)
    starts = (kept.date.start, incident.date.start)
    return (None not in counts and counts[0] != counts[1]) or (None not in starts and starts[0] != starts[1])


def _ground_position(draft: DraftPosition, index: TextIndex, out: Grounded) -> StakeholderPosition | None:
    said = f"{draft.stakeholder}: {draft.position}"
    stakeholder = index.written(draft.stakeholder)
    if stakeholder is None:
        out.drop("position", said, f"stakeholder {draft.stakeholder!r} is not named in the article")
        return None
    evidence = _evidence(draft.evidence, index, out)
    if not evidence:
        out.drop("position", said, "no evidence found in the article")
        return None
    return StakeholderPosition(
        stakeholder=stakeholder,
        kind=draft.kind,
        affiliation=_tidy(draft.affiliation),
        issue=_tidy(draft.issue) or "",
        stance=draft.stance,
        position=_tidy(draft.position) or "",
        evidence=evidence,
    )


def _merge_position(position: StakeholderPosition, out: Grounded) -> None:
    def key(p: StakeholderPosition) -> tuple[str, str, str]:
        return p.stakeholder.casefold(), p.issue.casefold(), p.stance

    for kept in out.positions:
        if key(kept) == key(position):
            kept.evidence += [s for s in position.evidence if s not in kept.evidence]
            out.drop("position", f"{position.stakeholder}: {position.position}",
                     "merged into a position with the same stakeholder, issue and stance")
            return
    out.positions.append(position)


def ground(draft: DraftSummary, text: str, published: date | None) -> Grounded:
    """Locate every item of ``draft`` in ``text``; drop and record what is not there."""
    index = _index_for(text)
    out = Grounded()  # draft.warnings stay the caller's to report: not copied here
    for draft_quote in draft.quotes:
        quote = _ground_quote(draft_quote, index, out)
        if quote is not None:
            _add_quote(quote, out)
    for draft_incident in draft.incidents:
        incident = _ground_incident(draft_incident, index, published, out)
        if incident is not None:
            _merge_incident(incident, out)
    for draft_position in draft.positions:
        position = _ground_position(draft_position, index, out)
        if position is not None:
            _merge_position(position, out)
    missing = sum(1 for item in out.dropped if item.kind == "quote" and "not found" in item.reason)
    if draft.quotes and missing * 2 > len(draft.quotes):
        out.warnings.append(f"{missing} of {len(draft.quotes)} quotes could not be found in the article")
    return out
