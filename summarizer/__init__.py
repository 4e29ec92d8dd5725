"""summarizer: grounded, structured summaries of news articles.

The public entry is :func:`summarizer.pipeline.summarize_article`; the command
line lives in :mod:`summarizer.cli`.
"""

__version__ = "0.1.0"
