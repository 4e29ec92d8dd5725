"""Both strategies against recorded HTTP from a real OpenAI-compatible server.

The cassettes in cassettes/test_strategies/ were recorded from the embedded
llama.cpp server serving Gemma 3 270M (``make cassettes``). Whatever the model
answered, the summary must keep the contract: schema-valid, grounded, with
what was dropped recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.engine import Engine
from summarizer.ingest import read_article
from summarizer.pipeline import summarize_article
from summarizer.settings import Settings
from tests.conftest import CASSETTE_BASE_URL, CASSETTE_MODEL
from tests.grounding_checks import assert_contract

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
SHORT_ARTICLE = FIXTURES / "short_detention.txt"
# The 270M model fills the whole-article schema slowly (grammar-constrained
# sampling over a 262k vocabulary): the single-call cassette uses a tiny article.
TINY_ARTICLE = FIXTURES / "tiny_release.txt"


def cassette_engine(key: str, **overrides) -> Engine:
    values = {"base_url": CASSETTE_BASE_URL, "model": CASSETTE_MODEL, "api_key": key, "max_retries": 0,
              "timeout_s": 900}  # only matters while recording
    values.update(overrides)
    return Engine(Settings.load({}, **values))


@pytest.mark.vcr
def test_single_call_summary_keeps_the_contract(cassette_key):
    article = read_article(str(TINY_ARTICLE))
    with cassette_engine(cassette_key, max_answer_tokens=1024) as engine:
        summary = summarize_article(article, engine, strategy="single")
    assert_contract(summary)
    provenance = summary.provenance
    assert provenance.strategy == "single"
    assert provenance.endpoint == "http://127.0.0.1:8765"
    assert provenance.usage.calls >= 1 and provenance.usage.prompt_tokens > 0
    assert set(provenance.prompts) == {"single_system.txt", "single_user.txt"}
    assert summary.summary  # the model's own words are allowed here, and only here


@pytest.mark.vcr
def test_stepwise_summary_keeps_the_contract_and_finds_the_facts(cassette_key):
    article = read_article(str(SHORT_ARTICLE))
    with cassette_engine(cassette_key) as engine:
        summary = summarize_article(article, engine, strategy="stepwise")
    assert_contract(summary)
    assert summary.provenance.strategy == "stepwise"
    quotes = {quote.text: quote.speaker for quote in summary.quotes}
    assert quotes.get("They are terrified of being sent back,") in {"Park", "Park Sun-hee"} or \
        quotes.get("They are terrified of being sent back") in {"Park", "Park Sun-hee"}
    # "police detained nine ... on Tuesday": the moment they were taken, an arrest
    arrests = [incident for incident in summary.incidents if incident.type == "arrest"]
    assert arrests and arrests[0].people.count == 9
    assert str(arrests[0].date.start) == "2024-03-12"  # "on Tuesday" before Thursday 14 March
    assert {position.stance for position in summary.positions} >= {"opposes", "supports"}
    # The last quote has no reported-speech pattern: the model was asked to
    # choose among the names near it, and whatever it said, only a name from
    # that list (or none) may reach the summary.
    unattributed = next(quote for quote in summary.quotes if quote.text.startswith("Every week of delay"))
    assert unattributed.speaker in {None, "Seoul", "Lee Min-jun", "China"}
    assert unattributed.attribution == ("model" if unattributed.speaker else None)
    assert all(quote.attribution == "pattern" for quote in summary.quotes if quote.text.startswith("They are terrified"))
    assert summary.provenance.usage.calls >= 1
    assert "stepwise_speaker.txt" in summary.provenance.prompts
