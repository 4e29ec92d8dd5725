"""The committed JSON Schema is generated from the models and must not drift."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from summarizer.models import ArticleSummary, Span
from summarizer.schema_export import SCHEMA_PATH, schema_dict, schema_text


def test_committed_schema_matches_the_models():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "schemas/article_summary.json is stale: run `make schema` (summarize schema -o schemas/article_summary.json)"
    )


def test_every_field_is_described():
    undocumented = []

    def walk(name, schema):
        for field, spec in schema.get("properties", {}).items():
            if "description" not in spec and "$ref" not in spec and "allOf" not in spec:
                undocumented.append(f"{name}.{field}")

    schema = schema_dict()
    walk("ArticleSummary", schema)
    for name, definition in schema.get("$defs", {}).items():
        walk(name, definition)
    assert not undocumented


def minimal_summary(text: str = "Police detained 10 people.") -> dict:
    return {
        "article": {"id": "0" * 16, "text": text},
        "summary": "Police detained ten people.",
        "quotes": [{"text": "detained", "span": {"text": "detained", "start": 7, "end": 15}, "kind": "partial"}],
        "provenance": {"model": "m", "endpoint": "embedded", "strategy": "single",
                       "created_at": "2026-01-01T00:00:00Z", "duration_s": 1.0},
    }


def test_a_valid_summary_validates_against_the_committed_schema():
    data = minimal_summary()
    summary = ArticleSummary.model_validate(data)
    jsonschema.validate(json.loads(summary.model_dump_json()), json.loads(SCHEMA_PATH.read_text()))


def test_a_span_that_does_not_point_into_the_text_is_rejected():
    data = minimal_summary()
    data["quotes"][0]["span"] = {"text": "detained", "start": 0, "end": 8}
    with pytest.raises(ValidationError, match="does not match article.text"):
        ArticleSummary.model_validate(data)


def test_span_length_must_match_its_offsets():
    with pytest.raises(ValidationError):
        Span(text="abc", start=0, end=5)


def test_unknown_fields_are_rejected():
    data = minimal_summary()
    data["surprise"] = 1
    with pytest.raises(ValidationError):
        ArticleSummary.model_validate(data)
