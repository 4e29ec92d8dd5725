"""Extraction strategies: how a model is asked. Grounding is not theirs to change.

Each strategy turns an ingested article into a :class:`~summarizer.drafts.DraftSummary`
(plain strings, not yet located). Whatever a strategy returns then goes
through the same grounding and normalization, so a small local model and a
hosted GPT-class model produce the same contract with the same guarantees.

- ``single``: one structured call for the whole article (capable models);
- ``stepwise``: code finds quotes, incidents and stances; the model is asked
  narrow questions where code is silent (small local models).
"""

from __future__ import annotations

from typing import Protocol

from summarizer.drafts import DraftSummary
from summarizer.engine import Engine
from summarizer.errors import ConfigError
from summarizer.ingest import IngestedArticle
from summarizer.prompts import PromptRecorder


class Strategy(Protocol):
    name: str

    def extract(self, article: IngestedArticle, engine: Engine, prompts: PromptRecorder) -> DraftSummary: ...


def choose(name: str, engine: Engine) -> Strategy:
    """The strategy named, or for "auto" the one that suits the engine."""
    if name == "auto":
        name = "stepwise" if engine.is_embedded else "single"
    if name == "single":
        from summarizer.strategies.single import SingleCall

        return SingleCall()
    if name == "stepwise":
        from summarizer.strategies.stepwise import Stepwise

        return Stepwise()
    raise ConfigError(f"--strategy {name}: choose one of auto, single, stepwise")
