"""The output contract: one ArticleSummary per article (shared/design/SCHEMA.md).

These models are the single source of truth; ``schemas/article_summary.json``
is generated from them by ``summarize schema`` and a test guards the drift.
Field names are read by other tools: rename one only with a version bump.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

IncidentType = Literal[
    "arrest", "detention", "repatriation", "release", "escape", "transfer", "trial", "death", "other"
]
INCIDENT_TYPES: tuple[str, ...] = IncidentType.__args__  # type: ignore[attr-defined]

StakeholderKind = Literal[
    "government", "official", "intergovernmental", "ngo", "media", "expert", "individual", "other"
]
STAKEHOLDER_KINDS: tuple[str, ...] = StakeholderKind.__args__  # type: ignore[attr-defined]

Stance = Literal["supports", "opposes", "neutral", "mixed", "unclear"]
STANCES: tuple[str, ...] = Stance.__args__  # type: ignore[attr-defined]

DatePrecision = Literal["day", "week", "month", "year", "unknown"]
QuoteKind = Literal["direct", "partial"]


class _Strict(BaseModel):
    # Unknown keys in a summary are a sign of a wrong file, not data to keep.
    model_config = ConfigDict(extra="forbid")


class Span(_Strict):
    """A piece of the cleaned article text and where it stands in it."""

    text: str = Field(description="The exact characters, equal to article.text[start:end].")
    start: int = Field(ge=0, description="Offset of the first character (Python str index).")
    end: int = Field(ge=0, description="Offset just past the last character.")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start or self.end - self.start != len(self.text):
            raise ValueError("span end - start must equal len(text)")
        return self


class ArticleInfo(_Strict):
    """The article as it was read, after cleaning."""

    id: str = Field(description="First 16 hex characters of sha256 of the cleaned text.")
    source: str | None = Field(None, description="Path or URL the article came from; null for stdin.")
    title: str | None = Field(None, description="Headline, when the article states one.")
    outlet: str | None = Field(None, description='Publisher as named in the article, e.g. "Korea Herald".')
    published: date | None = Field(None, description="Publication date, when the article states it.")
    language: str | None = Field(None, description="ISO 639-1 code of the article's language.")
    text: str = Field(description="The cleaned text that every offset in this summary points into.")


class IncidentDate(_Strict):
    """When an incident happened: as written, and resolved to ISO dates."""

    text: str | None = Field(None, description='The date as written, e.g. "on Tuesday", "in October".')
    start: date | None = Field(None, description="First day it may refer to; resolved against the publication date.")
    end: date | None = Field(None, description="Last day it may refer to.")
    precision: DatePrecision = Field("unknown", description="How precisely start/end are known.")


class Location(_Strict):
    """Where an incident happened; any part may be unknown."""

    text: str | None = Field(None, description="The place as written in the article.")
    city: str | None = Field(None, description="City or town.")
    region: str | None = Field(None, description="Province, state or region.")
    country: str | None = Field(None, description="Country.")


class People(_Strict):
    """How many people an incident concerned."""

    count: int | None = Field(None, ge=0, description='Number of people: "some 35" -> 35, "Ten" -> 10.')
    approximate: bool = Field(False, description='True when the article hedges ("some", "about", "more than").')
    text: str | None = Field(None, description="The count as written in the article.")
    details: str | None = Field(None, description='Who they were, e.g. "seven women and three men".')


class Incident(_Strict):
    """Something that happened to people at a time and place."""

    type: IncidentType = Field(description="What kind of event it was.")
    description: str = Field(description="One neutral sentence describing the event.")
    date: IncidentDate = Field(default_factory=IncidentDate, description="When it happened.")
    location: Location = Field(default_factory=Location, description="Where it happened.")
    people: People = Field(default_factory=People, description="How many people it concerned.")
    actors: list[str] = Field(default_factory=list, description='Who acted, e.g. "Chinese police".')
    subjects: str | None = Field(None, description='To whom it happened, e.g. "North Korean defectors".')
    status: str | None = Field(None, description='Where things stand, e.g. "awaiting repatriation".')
    evidence: list[Span] = Field(min_length=1, description="Passages of the article that report it.")


class StakeholderPosition(_Strict):
    """What a party thinks or wants about the article's central issue."""

    stakeholder: str = Field(description='Name as written, e.g. "Human Rights Watch".')
    kind: StakeholderKind = Field(description="What sort of party it is.")
    affiliation: str | None = Field(None, description="Organisation or government it belongs to, if any.")
    issue: str = Field(description="The question the stance is about, one short phrase.")
    stance: Stance = Field(description="The stakeholder's stance toward `issue`.")
    position: str = Field(description="One sentence in neutral words.")
    evidence: list[Span] = Field(min_length=1, description="Passages of the article that show it.")


class Quote(_Strict):
    """Words the article puts in quotation marks and attributes to someone."""

    text: str = Field(description="Verbatim, without the surrounding quotation marks.")
    span: Span = Field(description="Where `text` stands in article.text.")
    speaker: str | None = Field(None, description='Who said it, as written: "Phil Robertson" or "Amnesty International".')
    speaker_role: str | None = Field(None, description='The speaker\'s role, e.g. "Deputy Asia Director".')
    kind: QuoteKind = Field(description="direct: a whole sentence or more; partial: a phrase inside the writer's sentence.")
    attribution: Literal["pattern", "model"] | None = Field(
        None, description="How the speaker was found: a reported-speech pattern in the text (\"X said\"), "
                          "or the model's choice among the names nearby (less certain: check it); null without a speaker.")


class Usage(_Strict):
    """What talking to the model cost."""

    calls: int = Field(0, ge=0, description="HTTP requests sent to the endpoint, retries and re-asks included.")
    prompt_tokens: int = Field(0, ge=0, description="Prompt tokens as the endpoint reported them.")
    completion_tokens: int = Field(0, ge=0, description="Completion tokens as the endpoint reported them.")
    retries: int = Field(0, ge=0, description="Transport retries (connection errors, timeouts, 429, 5xx).")
    reasks: int = Field(0, ge=0, description="Re-asks after the answer failed validation.")


class DroppedItem(_Strict):
    """Something the model produced that did not reach the summary, and why."""

    kind: str = Field(description='What it was: "quote", "incident", "position", "evidence", "incident.date", ...')
    text: str = Field(description="What the model said, as it said it.")
    reason: str = Field(description="Why it was dropped.")


class Provenance(_Strict):
    """How this summary was made."""

    model: str = Field(description="Model name as the endpoint reports it.")
    endpoint: str = Field(description='"embedded", or the endpoint as scheme://host[:port] (never a key or a path).')
    strategy: str = Field(description="Extraction strategy: single, stepwise, ...")
    prompts: dict[str, str] = Field(default_factory=dict, description="Prompt template name -> sha256 of its text.")
    created_at: datetime = Field(description="When the summary was made (UTC).")
    duration_s: float = Field(ge=0, description="Wall time of the whole summarization, in seconds.")
    usage: Usage = Field(default_factory=Usage, description="Requests and tokens spent.")
    warnings: list[str] = Field(default_factory=list, description="Things a reviewer should know.")
    dropped: list[DroppedItem] = Field(default_factory=list, description="Every item removed by grounding or validation.")


class ArticleSummary(_Strict):
    """One article's structured, grounded summary."""

    schema_version: Literal["1.0"] = Field(SCHEMA_VERSION, description="Version of this contract.")
    article: ArticleInfo = Field(description="The article as read, with the text every offset points into.")
    summary: str = Field(description="2-4 neutral sentences: who, what, where, when.")
    incidents: list[Incident] = Field(default_factory=list, description="Events that happened to people.")
    positions: list[StakeholderPosition] = Field(default_factory=list, description="Who stands where on the central issue.")
    quotes: list[Quote] = Field(default_factory=list, description="Attributed quotations, verbatim.")
    provenance: Provenance = Field(description="How this summary was made.")

    @model_validator(mode="after")
    def _spans_point_into_text(self) -> ArticleSummary:
        text = self.article.text
        for span in self.iter_spans():
            if text[span.start : span.end] != span.text:
                raise ValueError(f"span {span.start}-{span.end} does not match article.text")
        return self

    def iter_spans(self):
        """Every Span in the summary: quote spans and all evidence."""
        for quote in self.quotes:
            yield quote.span
        for item in (*self.incidents, *self.positions):
            yield from item.evidence
