"""Assertions every summary must pass, whatever model or strategy wrote it."""

from __future__ import annotations

import json

import jsonschema

from summarizer.models import ArticleSummary
from summarizer.schema_export import SCHEMA_PATH


def assert_contract(summary: ArticleSummary) -> None:
    """Schema-valid, and every span points at exactly its text in article.text."""
    data = json.loads(summary.model_dump_json())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    text = summary.article.text
    for span in summary.iter_spans():
        assert text[span.start:span.end] == span.text
    for quote in summary.quotes:
        assert quote.text == quote.span.text
        if quote.speaker is not None:
            assert quote.speaker.casefold() in text.casefold()
    for position in summary.positions:
        assert position.stakeholder.casefold() in text.casefold()
    assert summary.provenance.usage.calls >= 0
