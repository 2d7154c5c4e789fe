"""split_text: offsets into the whole text, size bounds, overlap, boundaries, any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarise_agent.chunking import split_text
from summarise_agent.tokens import estimate_text_tokens


def check_plan(text: str, chunk_tokens: int, overlap: int) -> None:
    plan = split_text(text, chunk_tokens, overlap)
    assert all(chunk.text.strip() for chunk in plan.chunks)
    covered = 0
    for previous, chunk in zip((None, *plan.chunks), plan.chunks, strict=False):
        assert text[chunk.start : chunk.end] == chunk.text
        assert estimate_text_tokens(chunk.text) <= chunk_tokens
        assert not text[covered : chunk.start].strip()  # no gap but white space
        if previous is not None:
            assert chunk.start > previous.start and chunk.end > previous.end  # moves forward
        covered = max(covered, chunk.end)
    assert not text[covered:].strip()  # everything but trailing white space is in a chunk


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab cé.!?\n\"'\u201d\u2026日"), max_size=3000),
    chunk_tokens=st.integers(min_value=2, max_value=300),
    overlap_share=st.floats(min_value=0, max_value=0.5),
)
def test_any_text_is_covered_by_chunks_that_fit(
    text: str, chunk_tokens: int, overlap_share: float
) -> None:
    check_plan(text, chunk_tokens, int(chunk_tokens * overlap_share))


def paragraphs(count: int, sentences: int) -> str:
    return "\n\n".join(
        " ".join(f"Paragraph {p} sentence {s} says something." for s in range(sentences))
        for p in range(count)
    )


def test_chunks_end_at_paragraphs_when_one_is_near() -> None:
    text = paragraphs(30, 6)
    plan = split_text(text, 200, 40)
    assert len(plan.chunks) > 3
    for chunk in plan.chunks[:-1]:
        assert text[chunk.end : chunk.end + 2] == "\n\n"


def test_consecutive_chunks_share_whole_sentences_of_about_the_overlap() -> None:
    text = paragraphs(1, 200)  # one long paragraph: only sentence boundaries
    plan = split_text(text, 150, 30)
    for before, after in zip(plan.chunks, plan.chunks[1:], strict=False):
        shared = text[after.start : before.end]
        assert estimate_text_tokens(shared) >= 30
        assert shared.startswith("Paragraph") and shared.endswith("something.")


def test_no_overlap_means_chunks_meet_end_to_start() -> None:
    text = paragraphs(1, 200)
    plan = split_text(text, 150, 0)
    for before, after in zip(plan.chunks, plan.chunks[1:], strict=False):
        assert not text[before.end : after.start].strip()


def test_a_sentence_longer_than_a_chunk_is_cut_between_words() -> None:
    text = " ".join(f"word{n}" for n in range(2000)) + "."
    plan = split_text(text, 100, 10)
    assert len(plan.chunks) > 10
    for chunk in plan.chunks:
        assert chunk.text.startswith("word") and (chunk.text[-1].isalnum() or chunk.text[-1] == ".")


def test_recorded_settings() -> None:
    plan = split_text(paragraphs(20, 5), 100, 20)
    assert plan.settings() == {"chunk_tokens": 100, "overlap_tokens": 20,
                               "chunks": len(plan.chunks)}  # fmt: skip


@pytest.mark.parametrize(("chunk_tokens", "overlap"), [(1, 0), (100, 51), (100, -1)])
def test_impossible_settings_are_refused(chunk_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        split_text("Some text.", chunk_tokens, overlap)


def test_a_chunk_that_adds_only_white_space_is_not_asked_for() -> None:
    # found by the property test above: the overlap's chunk held nothing the first did not
    check_plan("\n??? ", 2, 1)
