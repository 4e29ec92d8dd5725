"""What a strategy hands to grounding: items whose text is not yet located.

A strategy (a capable model in one call, or code plus a small model step by
step) says *what* it found as plain strings. Grounding then finds each string
in the article; anything it cannot find is dropped and recorded. ``near`` is an
optional offset hint from strategies that already know where a passage is, so
that a sentence repeated in the article is matched at the right place.

These models double as the response schema of the ``single`` strategy, so
every field is described for the model's benefit too.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from summarizer.models import IncidentType, QuoteKind, Stance, StakeholderKind


class DraftEvidence(BaseModel):
    text: str = Field(description="A sentence copied word for word from the article.")
    near: SkipJsonSchema[int | None] = Field(None, exclude=True)


class DraftIncident(BaseModel):
    type: IncidentType = Field(description="What kind of event it was.")
    description: str = Field(description="One neutral sentence describing the event.")
    date_text: str | None = Field(None, description='When, copied as written: "on Tuesday", "in October".')
    location_text: str | None = Field(None, description="Where, copied as written.")
    city: str | None = None
    region: str | None = None
    country: str | None = None
    people_text: str | None = Field(None, description='How many, copied as written: "some 35", "Ten".')
    count: int | None = Field(None, description="The number of people as an integer, if stated.")
    details: str | None = Field(None, description='Who they were: "seven women and three men".')
    actors: list[str] = Field(default_factory=list, description="Who acted, as named in the article.")
    subjects: str | None = Field(None, description="To whom it happened.")
    status: str | None = Field(None, description="Where things stand now.")
    evidence: list[DraftEvidence] = Field(description="Sentences copied word for word that report the event.")


class DraftPosition(BaseModel):
    stakeholder: str = Field(description="Name of the party, as written in the article.")
    kind: StakeholderKind
    affiliation: str | None = None
    issue: str = Field(description="The question the stance is about, one short phrase.")
    stance: Stance
    position: str = Field(description="One neutral sentence stating the position.")
    evidence: list[DraftEvidence] = Field(description="Sentences copied word for word that show it.")


class DraftQuote(BaseModel):
    text: str = Field(description="The quoted words, copied exactly, without the quotation marks.")
    speaker: str | None = Field(None, description="Who said it, as named in the article.")
    speaker_role: str | None = Field(None, description="The speaker's title or role, if stated.")
    kind: QuoteKind | None = Field(None, description="direct: whole sentence(s); partial: a phrase.")
    attribution: SkipJsonSchema[str] = Field("model", exclude=True)  # "pattern" when code found the speaker
    near: SkipJsonSchema[int | None] = Field(None, exclude=True)


class DraftSummary(BaseModel):
    summary: str = Field(description="2-4 neutral sentences: who, what, where, when.")
    incidents: list[DraftIncident] = Field(default_factory=list)
    positions: list[DraftPosition] = Field(default_factory=list)
    quotes: list[DraftQuote] = Field(default_factory=list)
    warnings: SkipJsonSchema[list[str]] = Field(default_factory=list, exclude=True)
