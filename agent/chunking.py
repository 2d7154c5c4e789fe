"""Split a cleaned article into overlapping chunks that each fit one request.

Chunks end on paragraph boundaries when one is near, else on sentence boundaries; a sentence
longer than a chunk is cut between words. Consecutive chunks share whole sentences (at least
`overlap_tokens` of them, and at least one sentence when the overlap is not 0), so a quote
that runs across the end of one chunk appears whole at the start of the next. Every chunk
keeps its offsets into the whole text: `text[chunk.start:chunk.end] == chunk.text`.

Sentence ends are found by a small rule (. ! ? or … then closing quotes, then white space):
an end missed or invented (an abbreviation such as "Mr.") moves a chunk boundary by a
sentence, which the overlap absorbs; it never loses text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from summarise_agent.tokens import estimate_text_tokens

# a paragraph break: a blank line (the cleaner separates paragraphs with one)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# a sentence end inside a paragraph, with the white space after it (a line break counts too)
_SENTENCE_END = re.compile(r"(?:[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*[ \t]+|[ \t]*\n\s*)")
_BYTES_PER_TOKEN = 4  # as summarise_agent.tokens estimates
PARAGRAPH_END_MIN_FILL = 0.5  # end a chunk at a paragraph when that keeps it at least this full


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int  # offsets into the whole cleaned text, end exclusive
    end: int
    text: str


@dataclass(frozen=True)
class ChunkPlan:
    """How an article is split: the settings that made the chunks, and the chunks."""

    chunk_tokens: int  # the largest a chunk's text may be, in estimated tokens
    overlap_tokens: int
    chunks: tuple[Chunk, ...]

    def settings(self) -> dict[str, Any]:
        """What the output file records as `settings.chunking`."""
        return {"chunk_tokens": self.chunk_tokens, "overlap_tokens": self.overlap_tokens,
                "chunks": len(self.chunks)}  # fmt: skip


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int  # the next piece's start: pieces cover the text without gaps
    tokens: int
    ends_paragraph: bool


def split_text(text: str, chunk_tokens: int, overlap_tokens: int) -> ChunkPlan:
    """The chunks of `text`, each at most `chunk_tokens` estimated tokens, in order."""
    if chunk_tokens < 2 or not 0 <= overlap_tokens <= chunk_tokens // 2:
        raise ValueError("need chunk_tokens >= 2 and 0 <= overlap_tokens <= chunk_tokens / 2")
    pieces = _pieces(text, chunk_tokens)
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(pieces):
        last = _last_piece_that_fits(pieces, first, chunk_tokens)
        spans.append((first, last))
        if last + 1 >= len(pieces):
            break
        first = _next_first(pieces, first, last, chunk_tokens, overlap_tokens)
    chunks: list[Chunk] = []
    for first, last in spans:
        start, end = pieces[first].start, pieces[last].end
        while end > start and text[end - 1].isspace():
            end -= 1
        if not text[start:end].strip():  # white space alone is nothing to ask about
            continue
        if chunks and end <= chunks[-1].end:  # only trailing white space was new: inside the last
            continue
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
    return ChunkPlan(chunk_tokens, overlap_tokens, tuple(chunks))


def _last_piece_that_fits(pieces: list[_Piece], first: int, chunk_tokens: int) -> int:
    last, size = first, pieces[first].tokens
    while last + 1 < len(pieces) and size + pieces[last + 1].tokens <= chunk_tokens:
        last += 1
        size += pieces[last].tokens
    if last + 1 >= len(pieces) or pieces[last].ends_paragraph:
        return last
    # prefer to end at a paragraph, when that still fills the chunk well
    filled = size
    for candidate in range(last, first, -1):
        filled -= pieces[candidate].tokens
        if filled < chunk_tokens * PARAGRAPH_END_MIN_FILL:
            break
        if pieces[candidate - 1].ends_paragraph:
            return candidate - 1
    return last


def _next_first(
    pieces: list[_Piece], first: int, last: int, chunk_tokens: int, overlap_tokens: int
) -> int:
    """The first piece of the next chunk: back from `last` until the overlap is covered,
    always leaving room for the next new piece, always moving forward."""
    if overlap_tokens == 0:
        return last + 1
    following = pieces[last + 1].tokens
    start, overlap = last, pieces[last].tokens
    if overlap + following > chunk_tokens:
        return last + 1
    while start - 1 > first and overlap < overlap_tokens:
        if overlap + pieces[start - 1].tokens + following > chunk_tokens:
            break
        start -= 1
        overlap += pieces[start].tokens
    return max(start, first + 1)


def _pieces(text: str, chunk_tokens: int) -> list[_Piece]:
    """Sentences (with the white space after them), none over half a chunk (cut between
    words), so that a chunk always has room for its overlap and one new piece."""
    limit = max(1, chunk_tokens // 2)
    pieces: list[_Piece] = []
    for paragraph_start, paragraph_end in _spans(text, _PARAGRAPH_BREAK, 0, len(text)):
        sentences = _spans(text, _SENTENCE_END, paragraph_start, paragraph_end)
        for number, (start, end) in enumerate(sentences):
            last_of_paragraph = number == len(sentences) - 1
            parts = _cut_between_words(text, start, end, limit)
            for part_number, (part_start, part_end) in enumerate(parts):
                ends = last_of_paragraph and part_number == len(parts) - 1
                tokens = _tokens(text[part_start:part_end])
                pieces.append(_Piece(part_start, part_end, tokens, ends))
    return pieces


def _spans(text: str, separator: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut after each separator match; the separator stays with the span before."""
    spans, position = [], start
    for match in separator.finditer(text, start, end):
        if match.end() > position and match.end() < end:
            spans.append((position, match.end()))
            position = match.end()
    if position < end:
        spans.append((position, end))
    return spans


def _cut_between_words(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    parts = []
    while _tokens(text[start:end]) > limit:
        cut = _longest_prefix_within(text, start, end, limit)
        space = text.rfind(" ", start + 1, cut)
        cut = space + 1 if space > start else cut  # a word longer than a piece is cut inside
        parts.append((start, cut))
        start = cut
    parts.append((start, end))
    return parts


def _longest_prefix_within(text: str, start: int, end: int, limit: int) -> int:
    """The largest cut with text[start:cut] within `limit` tokens (at least one character)."""
    budget = (limit - 1) * _BYTES_PER_TOKEN + _BYTES_PER_TOKEN - 1
    used, cut = 0, start
    while cut < end:
        size = len(text[cut].encode("utf-8"))
        if used + size > budget and cut > start:
            break
        used += size
        cut += 1
    return cut


def _tokens(text: str) -> int:
    return estimate_text_tokens(text)
