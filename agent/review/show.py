"""`summarise show`: load one record (and its article) and render it for people."""

from __future__ import annotations

from pathlib import Path

from agent.errors import UsageError
from agent.review.records import load_record
from agent.review.sources import SourceLookup


def render_show(path: Path, *, html: bool, source: Path | None) -> str:
    from agent.review.render_html import render_record_html
    from agent.review.render_markdown import render_record_markdown

    record = load_record(path)
    if not html:
        return render_record_markdown(record)
    article_text = None
    cleaned = SourceLookup(source).cleaned(record.source.name, record.source.path)
    if cleaned is not None and source is None and record.source.sha256 != cleaned.sha256:
        cleaned = None  # the article at source.path has changed since: show the claims alone
    if cleaned is not None:
        if record.source.sha256 != cleaned.sha256:
            # offsets index the text the output was made from; any other text misplaces them
            raise UsageError(
                f"{cleaned.path} is not the article {path} was made from: its cleaned text's "
                "sha256 differs from source.sha256 (the article or the cleaner changed); "
                "pass the right article, or leave out --source"
            )
        article_text = cleaned.text
    return render_record_html(record, article_text)
