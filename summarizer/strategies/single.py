"""``single``: the whole article in one structured call, for capable models.

An article longer than the model's context is cut into overlapping pieces
(:mod:`summarizer.chunking`), one call each, and the pieces' answers are
joined before grounding, which always searches the whole text. A piece whose
answer cannot be used is reported in the warnings and the others are kept;
an endpoint that fails stops the article, as it would the next piece.
"""

from __future__ import annotations

from summarizer import chunking
from summarizer.drafts import DraftSummary
from summarizer.engine import Engine
from summarizer.errors import ExtractionError
from summarizer.ingest import IngestedArticle
from summarizer.prompts import PromptRecorder
from summarizer.quote_marks import restore_quote_marks


class SingleCall:
    name = "single"

    def extract(self, article: IngestedArticle, engine: Engine, prompts: PromptRecorder) -> DraftSummary:
        system = prompts.render("single_system.txt")
        budget = chunking.article_budget(engine.settings, system + self._user(article, "", prompts), DraftSummary)
        pieces = chunking.split(article.text, budget)
        if len(pieces) == 1:
            # A long article's incidents, positions and quotes fit in the default 4096
            # tokens; a model that needs more is looping, and its cut-off answer is
            # reported as such rather than parsed.
            draft = self._ask(engine, system, self._user(article, article.text, prompts),
                              engine.settings.max_answer_tokens)
        else:
            draft = self._ask_piecewise(article, pieces, engine, system, prompts, budget)
        return restore_quote_marks(draft, article.text)

    @staticmethod
    def _user(article: IngestedArticle, text: str, prompts: PromptRecorder, title_note: str = "") -> str:
        return prompts.render(
            "single_user.txt",
            title=(article.title or "(none)") + title_note,
            published=article.published.isoformat() if article.published else "(not stated)",
            article=text,
        )

    @staticmethod
    def _ask(engine: Engine, system: str, user: str, max_tokens: int) -> DraftSummary:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        return engine.ask(DraftSummary, messages, max_tokens=max_tokens)

    def _ask_piecewise(self, article: IngestedArticle, pieces: list[chunking.Piece], engine: Engine,
                       system: str, prompts: PromptRecorder, budget: int) -> DraftSummary:
        drafts, failures = [], []
        for piece in pieces:
            note = f" (part {piece.index + 1} of {len(pieces)} of a longer article)"
            try:
                draft = self._ask(engine, system, self._user(article, piece.text, prompts, note),
                                  chunking.answer_tokens(engine.settings))
            except ExtractionError as exc:  # one unusable answer spares the other pieces
                failures.append(f"part {piece.index + 1} of {len(pieces)} (characters {piece.start}-{piece.end}) "
                                f"was left out: {exc}")
                continue
            drafts.append(chunking.anchor(draft, piece))
        if not drafts:
            raise ExtractionError(f"no part of the article could be extracted ({len(pieces)} parts); "
                                  f"first failure: {failures[0]}")
        merged = chunking.merge_drafts(drafts)
        merged.warnings[:0] = [f"article split into {len(pieces)} parts of at most about {budget} tokens "
                               f"to fit a context of {chunking.context_tokens(engine.settings)} tokens "
                               "(set SUMMARIZER_CONTEXT to the model's real context)", *failures]
        return merged
