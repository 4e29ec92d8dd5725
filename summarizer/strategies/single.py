"""``single``: the whole article in one structured call, for capable models."""

from __future__ import annotations

from summarizer.drafts import DraftSummary
from summarizer.engine import Engine
from summarizer.ingest import IngestedArticle
from summarizer.prompts import PromptRecorder

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
        # A long article's incidents, positions and quotes fit in the default 4096
        # tokens; a model that needs more is looping, and its cut-off answer is
        # reported as such rather than parsed.
        return engine.ask(DraftSummary, messages, max_tokens=engine.settings.max_answer_tokens)
