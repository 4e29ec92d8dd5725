"""``single``: the whole article in one structured call, for capable models."""

from __future__ import annotations

from summarizer.drafts import DraftSummary
from summarizer.engine import Engine
from summarizer.ingest import IngestedArticle
from summarizer.prompts import PromptRecorder

# Room for a long article's worth of incidents, positions and quotes; a model
# that needs more is looping, and the cut-off answer is reported as such.
MAX_ANSWER_TOKENS = 4096


class SingleCall:
    name = "single"

    def extract(self, article: IngestedArticle, engine: Engine, prompts: PromptRecorder) -> DraftSummary:
        messages = [
            {"role": "system", "content": prompts.render("single_system.txt")},
            {"role": "user", "content": prompts.render(
                "single_user.txt",
                title=article.title or "(none)",
                published=article.published.isoformat() if article.published else "(not stated)",
                article=article.text,
            )},
        ]
        return engine.ask(DraftSummary, messages, max_tokens=MAX_ANSWER_TOKENS)
