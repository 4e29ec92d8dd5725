"""Prompt templates live as files in ``prompts/``; this module loads and renders them.

Templates use ``string.Template`` placeholders (``$article``, ``${question}``):
no logic in prompts, and a literal ``$`` is written ``$$``. Every template a
summary used is recorded with the sha256 of its text in
``provenance.prompts``, so that a changed prompt makes old summaries
recognisably stale.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from string import Template

from summarizer.errors import ConfigError

PROMPTS_DIR = Path(os.environ.get("SUMMARIZER_PROMPTS_DIR") or Path(__file__).resolve().parent.parent / "prompts")


@lru_cache(maxsize=None)
def load_template(name: str) -> str:
    """The text of ``prompts/<name>``, read once."""
    path = PROMPTS_DIR / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"prompt template {path} cannot be read: {exc.strerror}") from None


def template_sha256(name: str) -> str:
    return hashlib.sha256(load_template(name).encode("utf-8")).hexdigest()


class PromptRecorder:
    """Renders templates and remembers which ones a summary used."""

    def __init__(self) -> None:
        self.used: dict[str, str] = {}

    def render(self, name: str, **values: object) -> str:
        text = Template(load_template(name)).substitute({key: str(value) for key, value in values.items()})
        # A template file ends with a newline as text files do; a prompt must
        # end where the answer starts, or a base model reads the newline as
        # the end of the answer and starts a new example instead.
        text = text.removesuffix("\n")
        self.used.setdefault(name, template_sha256(name))
        return text
