"""One settings object: environment variables, then command-line flags on top.

Standard OpenAI variables are honoured as they are (``OPENAI_API_KEY``,
``OPENAI_BASE_URL``) so that the tool points wherever the user's other tools
point; our own settings carry the ``SUMMARIZER_`` prefix. The key is held as a
``SecretStr`` so that printing or logging the settings never shows it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from summarizer.errors import ConfigError

StrategyName = Literal["auto", "single", "stepwise"]
ResponseMode = Literal["json_schema", "tools", "json"]

# Environment variable -> settings field. Flags use the field names.
ENV_VARS: dict[str, str] = {
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "SUMMARIZER_MODEL": "model",
    "SUMMARIZER_MODEL_PATH": "model_path",
    "SUMMARIZER_STRATEGY": "strategy",
    "SUMMARIZER_RESPONSE_MODE": "response_mode",
    "SUMMARIZER_TIMEOUT": "timeout_s",
    "SUMMARIZER_MAX_RETRIES": "max_retries",
    "SUMMARIZER_MAX_REASKS": "max_reasks",
    "SUMMARIZER_THREADS": "threads",
    "SUMMARIZER_CONTEXT": "context_tokens",
    "SUMMARIZER_MAX_TOKENS": "max_answer_tokens",
}

EMBEDDED_MODEL_ALIAS = "gemma-3-270m"


class Settings(BaseModel):
    """Everything that decides which model is reached and how."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr | None = Field(None, description="Key for the endpoint; never printed.")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint; unset = embedded model.")
    model: str | None = Field(None, description="Model name; asked of the endpoint when unset.")
    model_path: Path | None = Field(None, description="A GGUF file to serve instead of the bundled one.")
    strategy: StrategyName = "auto"
    response_mode: ResponseMode = Field(
        "tools", description="How structured answers are requested: tools (forced function call, the most widely served), json_schema (OpenAI structured outputs), json (JSON mode).")
    timeout_s: float = Field(120.0, gt=0, description="Seconds to wait for one HTTP response.")
    max_retries: int = Field(4, ge=0, le=20, description="Transport retries per request.")
    max_reasks: int = Field(2, ge=0, le=10, description="Re-asks after an invalid answer.")
    threads: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    context_tokens: int = Field(4096, ge=512, description="Context window of the embedded model.")
    max_answer_tokens: int = Field(4096, ge=64, description="Longest answer a single call may produce.")

    @field_validator("base_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL such as http://localhost:11434/v1")
        return value.strip().rstrip("/")

    @property
    def embedded(self) -> bool:
        """No endpoint configured: the tool serves its own model."""
        return self.base_url is None

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **flags: object) -> Settings:
        """Build settings from ``env`` (default: os.environ) with non-None flags on top."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for var, field in ENV_VARS.items():
            if env.get(var, "").strip():
                values[field] = env[var].strip()
        values.update({key: value for key, value in flags.items() if value is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    """One line naming the setting to fix, without echoing its value (it may be a key)."""
    by_field = {field: var for var, field in ENV_VARS.items()}
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        where = f"--{field.replace('_', '-')} / {by_field[field]}" if field in by_field else field
        problems.append(f"{where}: {error['msg']}")
    return "invalid setting: " + "; ".join(problems)
