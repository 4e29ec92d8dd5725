"""The JSON Schema of the output contract, generated from the Pydantic models.

``schemas/article_summary.json`` is written by ``summarize schema -o ...``
(``make schema``); a test fails when the committed file drifts from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.models import SCHEMA_VERSION, ArticleSummary

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "article_summary.json"
SCHEMA_ID = f"https://summarizer.invalid/schemas/article_summary/{SCHEMA_VERSION}.json"


def schema_dict() -> dict:
    schema = ArticleSummary.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(schema_dict(), indent=2, ensure_ascii=False) + "\n"
