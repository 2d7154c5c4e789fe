"""`summarise show`: load one record (and its article) and render it for people; or, for a
directory, an index page of every record and a page for each (`show DIR --html -o SITE`)."""

from __future__ import annotations

from pathlib import Path

from summarise_agent.errors import UsageError
from summarise_agent.review.records import RecordView, load_record
from summarise_agent.review.sources import SourceLookup

INDEX_NAME = "index.html"


def render_show(path: Path, *, html: bool, source: Path | None) -> str:
    from summarise_agent.review.render_html import render_record_html
    from summarise_agent.review.render_markdown import render_record_markdown

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


def write_site(directory: Path, *, source: Path | None, site: Path) -> int:
    """SITE/index.html and SITE/pages/<record>.html for every record under DIRECTORY; returns
    how many records. Each page shows its article when it is found (--source DIR, or the
    record's source.path) and is still the text the record was made from."""
    from summarise_agent.export import read_records
    from summarise_agent.output import write_atomically
    from summarise_agent.review.render_html import render_record_html
    from summarise_agent.review.render_index import IndexEntry, render_index_html

    if site.resolve() == directory.resolve():
        raise UsageError(f"-o {site}: give a directory apart from the records' own")
    entries = [IndexEntry(file, record) for file, record in read_records(directory)]
    lookup = SourceLookup(source)
    try:
        for entry in entries:
            back = "../" * entry.page.count("/") + INDEX_NAME  # pages/a/b.html -> ../../index.html
            page = render_record_html(entry.record, _article_text(entry.record, lookup), back)
            write_atomically(site / entry.page, page.encode("utf-8"))
        index = render_index_html(entries, directory.resolve().name or str(directory))
        write_atomically(site / INDEX_NAME, index.encode("utf-8"))
    except OSError as error:
        raise UsageError(f"-o {site}: cannot be written ({error.strerror or error})") from None
    return len(entries)


def _article_text(record: RecordView, lookup: SourceLookup) -> str | None:
    path = lookup.article_path(record.source.name, record.source.path)
    if path is None or not path.is_file():
        return None
    cleaned = lookup.cleaned(record.source.name, record.source.path)
    return cleaned.text if cleaned is not None and cleaned.sha256 == record.source.sha256 else None
