"""Grounding: quotes planted at known offsets are found there, with the right match status."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarise_agent.grounding import Article, MatchStatus, locate_quote, normalise
from summarise_agent.grounding_report import ground_result

ARTICLE = (
    "Talks on the Narrow Sea resumed on Tuesday.\n\n"
    "Calvera\u2019s minister said her government \u201cwill not accept any quota below last "
    "year\u2019s level\u201d \u2014 a line she has held since May.\n\n"
    "Ostrova proposed   joint patrols,\nwhile the Commission said it was ready to help. "
    "Fishermen warned of bankruptcies."
)


def planted(fragment: str) -> tuple[int, int]:
    start = ARTICLE.index(fragment)
    return start, start + len(fragment)


@pytest.mark.parametrize(
    ("quote", "span_of", "status"),
    [
        ("Talks on the Narrow Sea resumed on Tuesday.", "Talks on the Narrow Sea resumed on Tuesday.", "exact"),
        # straight apostrophes and quotes from the model against curly ones in the article
        ("will not accept any quota below last year's level", "will not accept any quota below last year\u2019s level", "exact"),
        ('"will not accept any quota below last year\'s level" - a line',
         "\u201cwill not accept any quota below last year\u2019s level\u201d \u2014 a line", "exact"),
        # case and whitespace (the article has three spaces and a line break)
        ("OSTROVA PROPOSED JOINT PATROLS, WHILE", "Ostrova proposed   joint patrols,\nwhile", "exact"),
        # ellipsis: parts in order, the span covers them all
        ("Ostrova proposed joint patrols ... ready to help.", "Ostrova proposed   joint patrols,\nwhile the Commission said it was ready to help.", "exact"),
        ("Talks on the Narrow Sea [...] on Tuesday", "Talks on the Narrow Sea resumed on Tuesday", "exact"),
        # meaning-neutral differences: punctuation, an article, a hyphen, a spelling
        ("Ostrova proposed joint patrols while the Commission", "Ostrova proposed   joint patrols,\nwhile the Commission", "fuzzy"),
        ("the talks on the Narrow Sea resumed", "Talks on the Narrow Sea resumed", "fuzzy"),
    ],
)  # fmt: skip
def test_planted_quotes_are_found_at_their_offsets(quote: str, span_of: str, status: str) -> None:
    found = locate_quote(quote, Article(ARTICLE))
    assert found.match == MatchStatus(status)
    if status == "exact":
        assert (found.start, found.end) == planted(span_of)
    else:  # a fuzzy window covers the planted text, give or take punctuation at its edges
        start, end = planted(span_of)
        assert found.start is not None and found.end is not None
        assert abs(found.start - start) <= 2 and abs(found.end - end) <= 2


@pytest.mark.parametrize(
    "quote",
    [
        "The minister resigned after the talks collapsed.",  # not in the article
        "joint patrols ... Talks on the Narrow Sea",  # parts exist, but out of order
        "Fishermen said that bankruptcies were coming.",  # a paraphrase is not a quote
        "The Commission is prepared to offer assistance",  # nor is this one
        "the Commission said that it was ready to help",  # an inserted word is not neutral
        "will accept any quota below last year's level",  # the negation dropped
        "Calvera's minister said her government ... accept any quota",  # elides "will not"
    ],
)
def test_quotes_not_in_the_article_are_not_found(quote: str) -> None:
    found = locate_quote(quote, Article(ARTICLE))
    assert (found.start, found.end, found.match) == (None, None, MatchStatus.NOT_FOUND)


def test_short_quotes_are_never_fuzzy() -> None:
    assert locate_quote("Tuesdy", Article(ARTICLE)).match is MatchStatus.NOT_FOUND


def test_ground_result_annotates_every_evidence_item_and_counts() -> None:
    result = {
        "summary": "s",
        "positions": [
            {"actor": "a", "evidence": [{"quote": "Fishermen warned of bankruptcies."}]},
            {"actor": "b", "evidence": [{"quote": "nowhere in the text at all"},
                                        {"quote": "the Commission said it was ready to help!"}]},
        ],
    }  # fmt: skip
    report = ground_result(result, ARTICLE)
    assert (report.quotes, report.exact, report.fuzzy) == (3, 1, 1)
    assert report.not_found == ["nowhere in the text at all"]
    first = report.result["positions"][0]["evidence"][0]
    assert list(first) == ["quote", "start", "end", "match", "differs"]
    assert first["differs"] is None
    assert ARTICLE[first["start"] : first["end"]] == "Fishermen warned of bankruptcies."
    assert result["positions"][0]["evidence"][0] == {"quote": "Fishermen warned of bankruptcies."}


WORDS = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=12
)
# The cleaner hands grounding NFC text (agent/cleaning), so the articles here are NFC too.
ARTICLES = st.lists(WORDS, min_size=1, max_size=60).map(
    lambda w: unicodedata.normalize("NFC", " ".join(w))
)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), article=ARTICLES)
def test_any_run_of_whole_words_is_found_exactly(data: st.DataObject, article: str) -> None:
    words = article.split(" ")
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    quote = " ".join(words[start:end])
    if not normalise(quote):
        return  # whitespace only: nothing to find
    found = locate_quote(quote, Article(article))
    assert found.match is MatchStatus.EXACT
    assert found.start is not None and found.end is not None
    if "..." not in normalise(quote):  # an ellipsis in the text splits the quote: span differs
        # the span found reads as the quote (perhaps an earlier occurrence of the same text)
        assert normalise(article[found.start : found.end]) == normalise(quote)


def test_a_match_never_splits_a_character_that_normalises_to_two() -> None:
    article = "0İ 0I"  # 'İ' lowers to 'i' + a combining dot: "0i" is inside "0İ" once lowered
    found = locate_quote("0I", Article(article))
    assert (found.start, found.end, found.match) == (3, 5, MatchStatus.EXACT)
    assert locate_quote("i", Article("İ")).match is not MatchStatus.EXACT


def test_an_exact_match_starts_and_ends_on_word_boundaries() -> None:
    article = Article("It is impossible to agree on a non-binding text.")
    assert locate_quote("possible to agree", article).match is MatchStatus.NOT_FOUND
    assert locate_quote("binding text", article).match is MatchStatus.NOT_FOUND
    assert locate_quote("a non-binding text", article).match is MatchStatus.EXACT
