"""One article in, one grounded ArticleSummary out: ingest → extract → ground → assemble."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from summarizer.drafts import DraftSummary
from summarizer.engine import Engine
from summarizer.grounding import Grounded, ground
from summarizer.ingest import IngestedArticle
from summarizer.models import ArticleInfo, ArticleSummary, Provenance
from summarizer.prompts import PromptRecorder
from summarizer.strategies import choose


def summarize_article(article: IngestedArticle, engine: Engine, strategy: str = "auto") -> ArticleSummary:
    """Summarize one ingested article with a started engine."""
    started, created_at = time.monotonic(), datetime.now(timezone.utc)
    chosen = choose(strategy, engine)
    prompts = PromptRecorder()
    with engine.metered() as usage:
        draft = chosen.extract(article, engine, prompts)
    grounded = ground(draft, article.text, article.published)
    provenance = Provenance(
        model=engine.model, endpoint=engine.endpoint, strategy=chosen.name, prompts=prompts.used,
        created_at=created_at, duration_s=round(time.monotonic() - started, 3), usage=usage,
        warnings=[*article.warnings, *draft.warnings, *grounded.warnings], dropped=grounded.dropped,
    )
    return assemble(article, draft, grounded, provenance)


def assemble(article: IngestedArticle, draft: DraftSummary, grounded: Grounded,
             provenance: Provenance) -> ArticleSummary:
    info = ArticleInfo(
        id=article.id, source=article.source, title=article.title, outlet=article.outlet,
        published=article.published, language=article.language, text=article.text,
    )
    return ArticleSummary(
        article=info, summary=draft.summary.strip(), incidents=grounded.incidents,
        positions=grounded.positions, quotes=grounded.quotes, provenance=provenance,
    )
