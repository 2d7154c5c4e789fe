"""Block segmentation: blank-line paragraphs, one paragraph per line, or a mix of both."""

from __future__ import annotations

from summarise_agent.cleaning.segment import is_wrapped, split_blocks

WRAPPED = (
    "Negotiators met in Geneva on Tuesday to resume the talks on the\n"
    "river border, which broke down in March when both delegations walked\n"
    "out over the question of fishing rights."
)


def test_one_paragraph_per_line_gives_one_block_per_line() -> None:
    text = "Talks resume\nNegotiators met on Tuesday.\nSupport us\nThank you."
    assert split_blocks(text) == [
        ["Talks resume"],
        ["Negotiators met on Tuesday."],
        ["Support us"],
        ["Thank you."],
    ]


def test_blank_line_paragraphs_keep_their_hard_wrapped_lines_together() -> None:
    text = f"Talks resume\n\n{WRAPPED}\n\nA second round is planned."
    blocks = split_blocks(text)
    assert blocks == [["Talks resume"], WRAPPED.split("\n"), ["A second round is planned."]]


def test_lines_glued_under_a_paragraph_become_blocks_of_their_own() -> None:
    text = (
        "The talks will resume in April, officials said.\n\n"
        "Dear readers,\nWe rely on your support.\nPlease give monthly.\nRemind me later"
    )
    assert split_blocks(text) == [
        ["The talks will resume in April, officials said."],
        ["Dear readers,"],
        ["We rely on your support."],
        ["Please give monthly."],
        ["Remind me later"],
    ]


def test_wrapping_is_told_from_separate_sentences() -> None:
    assert is_wrapped(WRAPPED.split("\n"))
    assert not is_wrapped(["Short line", "another short line"])
    sentences = [
        "The first sentence of the article ends right here at the full stop.",
        "The second sentence is a paragraph of its own and also ends here.",
        "So does the third.",
    ]
    assert not is_wrapped(sentences)


def test_html_extraction_is_always_one_block_per_line() -> None:
    text = "First paragraph.\n\nSecond paragraph.\nThird paragraph."
    assert split_blocks(text, one_per_line=True) == [
        ["First paragraph."],
        ["Second paragraph."],
        ["Third paragraph."],
    ]
