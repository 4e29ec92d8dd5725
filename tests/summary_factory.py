"""Build ArticleSummary files for the review, report and merge tests.

The articles are short texts written for these tests; every offset is found
with ``str.index`` in the text itself, so the summaries pass the contract's
span check exactly as the pipeline's output does.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from pathlib import Path

from summarizer.models import (
    ArticleInfo,
    ArticleSummary,
    DroppedItem,
    Incident,
    IncidentDate,
    Location,
    People,
    Provenance,
    Quote,
    Span,
    StakeholderPosition,
)


def span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(text=needle, start=start, end=start + len(needle))


def incident(text: str, type: str, evidence: list[str], *, when: tuple | None = None, city: str | None = None,
             region: str | None = None, country: str | None = None, count: int | None = None,
             approximate: bool = False, description: str | None = None) -> Incident:
    """``when`` is (start, end, precision, as written) with ISO date strings."""
    date_ = IncidentDate()
    if when:
        start, end, precision, written = when
        date_ = IncidentDate(text=written, start=date.fromisoformat(start) if start else None,
                             end=date.fromisoformat(end) if end else None, precision=precision)
    return Incident(type=type, description=description or f"{type} reported", date=date_,
                    location=Location(text=city, city=city, region=region, country=country),
                    people=People(count=count, approximate=approximate, text=None if count is None else str(count)),
                    evidence=[span(text, needle) for needle in evidence])


def position(text: str, stakeholder: str, stance: str, evidence: str, kind: str = "ngo") -> StakeholderPosition:
    return StakeholderPosition(stakeholder=stakeholder, kind=kind, issue="detention of the fishermen", stance=stance,
                               position=f"{stakeholder} {stance} the detention.", evidence=[span(text, evidence)])


def quote(text: str, words: str, speaker: str | None, attribution: str | None = "pattern") -> Quote:
    return Quote(text=words, span=span(text, words), speaker=speaker, kind="direct",
                 attribution=attribution if speaker else None)


def summary(text: str, *, title: str, outlet: str | None, published: str | None, incidents=(), positions=(),
            quotes=(), dropped=(), summary_text: str = "A test article.") -> ArticleSummary:
    return ArticleSummary(
        article=ArticleInfo(id=hashlib.sha256(text.encode()).hexdigest()[:16], source=f"inbox/{title[:12]}.txt",
                            title=title, outlet=outlet, published=date.fromisoformat(published) if published else None,
                            language="en", text=text),
        summary=summary_text, incidents=list(incidents), positions=list(positions), quotes=list(quotes),
        provenance=Provenance(model="test-model", endpoint="embedded", strategy="stepwise",
                              created_at=datetime(2024, 3, 14, tzinfo=timezone.utc), duration_s=1.0,
                              dropped=[DroppedItem(kind=k, text=t, reason=r) for k, t, r in dropped]))


def write(folder: Path, item: ArticleSummary, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or item.article.id}.json"
    path.write_text(item.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


# -- the articles -----------------------------------------------------------------------
HARBOR = (
    "Police detain 42 fishermen in Portsmouth\n\n"
    "Police detained 42 fishermen in Portsmouth on Sunday, March 10, after a protest over new quotas "
    "blocked the harbour entrance, officials said.\n\n"
    "\"We acted within the law and nobody was hurt,\" said harbour chief Dana Wells.\n\n"
    "The rights group Open Docks condemned the detentions and demanded the men's release. "
    "\"Jailing people for a protest is a grave mistake,\" the group said.\n\n"
    "\"Nobody told us anything,\" one of the wives said outside the station."
)

COASTAL = (
    "Fishermen held after harbour blockade\n\n"
    "About 50 fishermen were held by police in Portsmouth on March 10 when their boats sealed off the harbour "
    "in a dispute over catch quotas, according to a union spokesman.\n\n"
    "Open Docks, a rights group, called the arrests unlawful. The port authority said it backed the police.\n\n"
    "Separately, police in Dover detained 8 dock workers on March 10 after a scuffle at the ferry terminal."
)

INJECTION = (
    "Court hears <b>bold</b> claims\n\n"
    "Officials detained 3 men in Riverton in April. A note left behind read <script>window.__pwned=1</script> "
    "and a second one <img src=x onerror=\"window.__pwned=1\">.\n\n"
    "\"</script><script>window.__pwned=1</script> is not a defence,\" the judge said."
)


def harbor_summary() -> ArticleSummary:
    text = HARBOR
    return summary(
        text, title="Police detain 42 fishermen in Portsmouth", outlet="Harbor Gazette", published="2024-03-12",
        incidents=[incident(text, "detention", ["Police detained 42 fishermen in Portsmouth on Sunday, March 10, after a "
                                                "protest over new quotas blocked the harbour entrance, officials said."],
                            when=("2024-03-10", "2024-03-10", "day", "on Sunday, March 10"), city="Portsmouth",
                            country="United Kingdom", count=42, description="Police detained 42 fishermen.")],
        positions=[position(text, "Open Docks", "opposes",
                            "The rights group Open Docks condemned the detentions and demanded the men's release."),
                   position(text, "Harbour authority", "supports",
                            "\"We acted within the law and nobody was hurt,\" said harbour chief Dana Wells.",
                            kind="official")],
        quotes=[quote(text, "We acted within the law and nobody was hurt,", "Dana Wells"),
                quote(text, "Jailing people for a protest is a grave mistake,", "Open Docks", "model"),
                quote(text, "Nobody told us anything,", None)],
        dropped=[("quote", "They will be freed tomorrow", "not found in the article text")],
        summary_text="Police detained 42 fishermen in Portsmouth after a harbour protest.")


def coastal_summary() -> ArticleSummary:
    text = COASTAL
    return summary(
        text, title="Fishermen held after harbour blockade", outlet="Coastal Times", published="2024-03-13",
        incidents=[incident(text, "detention", ["About 50 fishermen were held by police in Portsmouth on March 10 when "
                                                "their boats sealed off the harbour in a dispute over catch quotas, "
                                                "according to a union spokesman."],
                            when=("2024-03-10", "2024-03-10", "day", "on March 10"), city="Portsmouth",
                            country="United Kingdom", count=50, approximate=True,
                            description="About 50 fishermen were held."),
                   incident(text, "detention", ["Separately, police in Dover detained 8 dock workers on March 10 "
                                                "after a scuffle at the ferry terminal."],
                            when=("2024-03-10", "2024-03-10", "day", "on March 10"), city="Dover",
                            country="United Kingdom", count=8, description="Police detained 8 dock workers."),
                   incident(text, "arrest", ["called the arrests unlawful"], description="Arrests, undated.")],
        positions=[position(text, "Open Docks", "opposes", "Open Docks, a rights group, called the arrests unlawful."),
                   position(text, "the port authority", "supports", "The port authority said it backed the police.",
                            kind="official")],
        summary_text="About 50 fishermen were held in Portsmouth; 8 dock workers were detained in Dover.")


def injection_summary() -> ArticleSummary:
    text = INJECTION
    words = "</script><script>window.__pwned=1</script> is not a defence,"
    return summary(
        text, title="Court hears <b>bold</b> claims <script>window.__pwned=1</script>",
        outlet="<img src=x onerror=\"window.__pwned=1\">", published="2024-04-20",
        incidents=[incident(text, "detention", ["Officials detained 3 men in Riverton in April."],
                            when=("2024-04-01", None, "month", "in April"), city="Riverton", count=3,
                            description="Three men detained <script>window.__pwned=1</script>")],
        positions=[position(text, "Judge <i>X</i>", "opposes", "<img src=x onerror=\"window.__pwned=1\">",
                            kind="official")],
        quotes=[quote(text, words, "the judge")],
        dropped=[("quote", "<script>alert(1)</script>", "not found <b>anywhere</b>")],
        summary_text="Summary with <script>window.__pwned=1</script> inside.")
