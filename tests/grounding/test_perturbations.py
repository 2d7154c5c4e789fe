"""Meaning changes are never verified; benign variants of true quotes almost always are.

Cases come from tests/grounding/perturb.py over our own articles and, when present, the shared
news corpus. Property tests (hypothesis) cover the same classes on any run of an article's words.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from perturb import BENIGN, MAKERS, MEANING, Case, cases

from summarise_agent.grounding import Article, MatchStatus, locate_quote

HERE = Path(__file__).parent
OWN_ARTICLES = sorted((HERE / "articles").glob("*.txt"))
CORPUS = HERE.parents[2] / "shared" / "corpus" / "news"
MAX_BENIGN_REJECTED = 0.01


def run_cases(
    paths: list[Path], seed: int, per_sentence: int = 1
) -> tuple[list[tuple[Case, str]], Counter[str]]:
    """(case, status) for every case that went wrong, and how many cases of each kind ran."""
    rng = random.Random(seed)
    wrong: list[tuple[Case, str]] = []
    ran: Counter[str] = Counter()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        article = Article(text)
        for case in cases(text, rng, per_sentence):
            ran[case.kind] += 1
            ran[case.name] += 1
            found = locate_quote(case.quote, article)
            verified = found.match is not MatchStatus.NOT_FOUND
            if verified == (case.kind == MEANING):
                wrong.append((case, f"{found.match.value}: {found.differs}"))
    return wrong, ran


def check(wrong: list[tuple[Case, str]], ran: Counter[str]) -> None:
    passed = [f"{c.name}: {c.quote!r} ({status})" for c, status in wrong if c.kind == MEANING]
    rejected = [f"{c.name}: {c.quote!r} ({status})" for c, status in wrong if c.kind == BENIGN]
    assert not passed, f"{len(passed)} meaning change(s) verified:\n" + "\n".join(passed)
    assert len(rejected) <= MAX_BENIGN_REJECTED * ran[BENIGN], "\n".join(rejected)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_our_articles(seed: int) -> None:
    wrong, ran = run_cases(OWN_ARTICLES, seed, per_sentence=3)
    assert ran[MEANING] > 100 and ran[BENIGN] > 100
    check(wrong, ran)


def test_every_class_is_generated() -> None:
    ran: Counter[str] = Counter()
    for seed in range(4):
        ran += run_cases(OWN_ARTICLES, seed)[1]
    made = {maker.__name__.replace("_", "-") for maker in MAKERS}
    missing = {name for name in made if not any(n.startswith(name[:8]) for n in ran)}
    assert not missing, missing


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared news corpus is absent")
def test_the_shared_news_corpus() -> None:
    wrong, ran = run_cases(sorted(CORPUS.glob("*.txt")), seed=7)
    assert ran[MEANING] > 1000
    check(wrong, ran)


TEXT = (HERE / "articles" / "water-treaty.txt").read_text(encoding="utf-8")
ARTICLE = Article(TEXT)
WORDS = TEXT.split()
RUNS = st.integers(0, len(WORDS) - 8).flatmap(
    lambda start: st.tuples(st.just(start), st.integers(start + 4, min(start + 30, len(WORDS))))
)


def _quote(run: tuple[int, int]) -> list[str]:
    return WORDS[run[0] : run[1]]


@settings(max_examples=150, deadline=None)
@given(run=RUNS, data=st.data())
def test_a_word_inserted_into_a_true_quote_is_never_verified(
    run: tuple[int, int], data: st.DataObject
) -> None:
    words = _quote(run)
    at = data.draw(st.integers(1, len(words) - 1))
    inserted = data.draw(st.sampled_from(["not", "never", "no", "10", "Germany", "hardly"]))
    quote = " ".join([*words[:at], inserted, *words[at:]])
    if re.sub(r"\W+", " ", quote.lower()) in re.sub(r"\W+", " ", TEXT.lower()):
        return
    assert locate_quote(quote, ARTICLE).match is MatchStatus.NOT_FOUND


@settings(max_examples=150, deadline=None)
@given(run=RUNS, data=st.data())
def test_a_word_dropped_or_replaced_is_never_verified(
    run: tuple[int, int], data: st.DataObject
) -> None:
    words = _quote(run)
    at = data.draw(st.integers(1, len(words) - 2))
    neutral = ("a", "an", "the", "mr", "ms", "mrs", "dr", "professor", "sir")
    if any(
        words[i].lower().strip(".,\"'") in neutral for i in (0, at - 1, at, at + 1, len(words) - 1)
    ):
        return  # an article or honorific dropped, or left beside the gap, is meaning-neutral
    replacement = data.draw(st.sampled_from(["", "several", "Norway", "17", "rejected"]))
    quote = " ".join(words[:at] + ([replacement] if replacement else []) + words[at + 1 :])
    if re.sub(r"\W+", " ", quote.lower()) in re.sub(r"\W+", " ", TEXT.lower()):
        return
    assert locate_quote(quote, ARTICLE).match is MatchStatus.NOT_FOUND


@settings(max_examples=150, deadline=None)
@given(run=RUNS, data=st.data())
def test_typography_case_and_spacing_keep_a_quote_exact(
    run: tuple[int, int], data: st.DataObject
) -> None:
    words = _quote(run)
    spaces = data.draw(st.lists(st.sampled_from([" ", "  ", "\n", "\t "]), min_size=len(words)))
    quote = "".join(word + space for word, space in zip(words, spaces, strict=False)).strip()
    quote = quote.translate(str.maketrans({'"': "\u201d", "'": "\u2019", "-": "\u2013"}))
    quote = data.draw(st.sampled_from([quote, quote.upper(), quote.lower()]))
    assert locate_quote(quote, ARTICLE).match is MatchStatus.EXACT
