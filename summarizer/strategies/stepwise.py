"""``stepwise``: code carries the extraction, a small model answers narrow questions.

Measured on this project's machine (ARCHITECTURE.md): a 270M base model asked
for a whole summary loops on garbage, and is near chance when asked to judge
types or stances, but answers a narrow question about a short passage well.
So quotes, incidents and stances are found by code (``quotes``, ``cues``);
the model is asked only where code is silent: which of the names near an
unattributed quotation said it. Its answer must be one of those names, or it
is not used, and the quote is marked ``attribution: "model"`` so a reviewer
knows which speakers to check (benchmarks/speaker_question.py: the embedded
model names the right one of the nearby names 65% of the time, chance 30%).
"""

from __future__ import annotations

from summarizer.assist import ask_choice
from summarizer.cues import IncidentCue, StanceCue, find_incidents, find_stances
from summarizer.drafts import DraftEvidence, DraftIncident, DraftPosition, DraftQuote, DraftSummary
from summarizer.engine import Engine
from summarizer.errors import ExtractionError
from summarizer.ingest import IngestedArticle
from summarizer.prompts import PromptRecorder
from summarizer.quotes import QuoteCandidate, find_quotes
from summarizer.segment import Segment, SegmentedText

CENTRAL_ISSUE = "forced repatriation of North Korean defectors"
LEAD_SENTENCES = 3
PASSAGE_CHARS = 700  # enough context for a speaker question, short enough to stay fast
# The first-token probability an answer needs before it names a speaker, on
# endpoints that return log-probabilities (the embedded one does not). With
# the 270M model on 62 questions: 0.5 answered 15, all right; 0.4 answered 25,
# 88% right (benchmarks/speaker_question.py, README "Measured").
SPEAKER_MIN_PROBABILITY = 0.5


class Stepwise:
    name = "stepwise"

    def extract(self, article: IngestedArticle, engine: Engine, prompts: PromptRecorder) -> DraftSummary:
        segmented = SegmentedText(article.text)
        warnings: list[str] = []
        candidates = find_quotes(article.text)
        quotes = [self._quote(candidate, segmented, engine, prompts, warnings) for candidate in candidates]
        incidents = [incident_draft(cue) for cue in find_incidents(segmented) if not (cue.hypothetical or cue.generic)]
        positions = merge_positions(find_stances(segmented, candidates))
        return DraftSummary(summary=lead_summary(segmented, article.title), incidents=incidents,
                            positions=positions, quotes=quotes, warnings=warnings)

    def _quote(self, candidate: QuoteCandidate, segmented: SegmentedText, engine: Engine,
               prompts: PromptRecorder, warnings: list[str]) -> DraftQuote:
        speaker, attribution = candidate.speaker, "pattern"
        if speaker is None and candidate.candidates:
            speaker, attribution = ask_speaker(candidate, segmented, engine, prompts, warnings), "model"
        return DraftQuote(text=candidate.text, speaker=speaker, speaker_role=candidate.speaker_role,
                          kind=candidate.kind, attribution=attribution, near=candidate.start)


def ask_speaker(candidate: QuoteCandidate, segmented: SegmentedText, engine: Engine,
                prompts: PromptRecorder, warnings: list[str]) -> str | None:
    """Ask the model which of the nearby names said an unattributed quotation."""
    prompt = prompts.render("stepwise_speaker.txt", passage=passage_around(segmented, candidate.start),
                            quote=candidate.text, names="; ".join(candidate.candidates))
    try:
        return ask_choice(engine, prompt, candidate.candidates, min_probability=SPEAKER_MIN_PROBABILITY).option
    except ExtractionError as exc:
        warnings.append(f"speaker question for a quote at {candidate.start} unanswered: {exc}")
        return None


def passage_around(segmented: SegmentedText, offset: int) -> str:
    """The paragraph holding ``offset`` and the one before it, trimmed to the question's budget."""
    index = segmented.paragraph_index(offset)
    if index is None:
        return ""
    chosen = segmented.paragraphs[max(0, index - 1): index + 1]
    text = " ".join(paragraph.text for paragraph in chosen)
    return text[-PASSAGE_CHARS:]


def incident_draft(cue: IncidentCue) -> DraftIncident:
    # Every sentence that reports the event is evidence (the lead, a later
    # "the 11 are being held", the headline), its main sentence first.
    sentences = cue.evidence or (cue.sentence,)
    return DraftIncident(
        type=cue.type, description=describe_incident(cue), date_text=cue.date_text,
        location_text=cue.location_text, city=cue.city, region=cue.region, country=cue.country,
        people_text=cue.people_text, count=cue.count, actors=list(cue.actors), subjects=cue.subjects,
        status=cue.status, evidence=[evidence(sentence) for sentence in sentences],
    )


def describe_incident(cue: IncidentCue) -> str:
    """A neutral one-sentence description assembled from what code found."""
    who = cue.people_text or cue.subjects or "people"
    if cue.subjects and cue.people_text and cue.subjects not in cue.people_text:
        who = f"{cue.people_text} ({cue.subjects})"
    parts = [f"{cue.type.capitalize()}: {who}"]
    if cue.actors:
        parts.append(f"by {', '.join(cue.actors)}")
    if cue.location_text:
        parts.append(f"at {cue.location_text}")
    if cue.date_text:
        parts.append(f"({cue.date_text})")
    return " ".join(parts) + "."


def merge_positions(cues: list[StanceCue]) -> list[DraftPosition]:
    """One position per stakeholder; conflicting cues make its stance mixed."""
    by_stakeholder: dict[str, list[StanceCue]] = {}
    for cue in cues:
        by_stakeholder.setdefault(cue.stakeholder, []).append(cue)
    return [position_draft(name, found) for name, found in by_stakeholder.items()]


def position_draft(stakeholder: str, cues: list[StanceCue]) -> DraftPosition:
    stances = {cue.stance for cue in cues} - {"unclear"}
    if {"supports", "opposes"} <= stances:
        stance = "mixed"
    else:
        stance = next((s for s in ("opposes", "supports", "mixed", "neutral") if s in stances), "unclear")
    cue_words = "; ".join(dict.fromkeys(cue.cue for cue in cues))
    return DraftPosition(
        stakeholder=stakeholder, kind=cues[0].kind, issue=CENTRAL_ISSUE, stance=stance,
        position=f"{stakeholder} {STANCE_VERBS[stance]} {CENTRAL_ISSUE} (cues: {cue_words}).",
        evidence=[evidence(cue.sentence) for cue in cues],
    )


STANCE_VERBS = {
    "supports": "supports", "opposes": "opposes", "neutral": "takes no side on",
    "mixed": "takes a mixed stance on", "unclear": "has an unclear stance on",
}


def evidence(sentence: Segment) -> DraftEvidence:
    return DraftEvidence(text=sentence.text, near=sentence.start)


def lead_summary(segmented: SegmentedText, title: str | None) -> str:
    """The article's own lead sentences: a small model cannot write a faithful summary, the lead is one."""
    body = [s.text for s in segmented.sentences if s.text != title and len(s.text.split()) >= 6 and s.text[-1:] in '.!?"”']
    return " ".join(body[:LEAD_SENTENCES]) or (title or "")
