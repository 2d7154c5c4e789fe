"""NormalisedText's fast path (str.translate, for texts whose characters each normalise to one)
gives exactly the text and offsets of the character-by-character definition."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from summarise_agent.alignment import token_keys, tokenise
from summarise_agent.grounding import NormalisedText, normalise_char

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TRICKY = list("aB zZ\t\n\r\u00a0\u2009\u3000\u2028'\"`\u2018\u2019\u201c\u2014\u2013\u2026"
              "\u200b\u00ad\ufeff\u0130\u1e9e\u00c9\u00e9\u00df\u0301xyz.,")  # fmt: skip


def by_definition(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for piece in normalise_char(char):
            if piece == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(piece)
            offsets.append(index)
    return "".join(chars), offsets


def test_random_texts_of_tricky_characters() -> None:
    rnd = random.Random(13)
    for _ in range(5000):
        text = "".join(rnd.choice(TRICKY) for _ in range(rnd.randint(0, 30)))
        normalised = NormalisedText(text)
        assert (normalised.text, normalised.offsets) == by_definition(text), repr(text)


def test_corpus_articles() -> None:
    paths = sorted(CORPUS.rglob("*.txt"))[:100] if CORPUS.is_dir() else []
    if not paths:
        pytest.skip("shared corpus absent")
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        normalised = NormalisedText(text)
        assert (normalised.text, normalised.offsets) == by_definition(text), path.name


def test_token_keys_are_tokenise_without_offsets() -> None:
    """ArticleNames reads keys and words with token_keys (findall, no match objects): the same
    tokens as tokenise gives, for tricky texts and the corpus."""
    rnd = random.Random(3)
    alphabet = list("ab Z-\u2212\u2013\u2010'\u2019 1,000.5 $€%°§ é ü \u0130 x\n")
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(3000)]
    texts += [path.read_text(encoding="utf-8", errors="replace")
              for path in sorted(CORPUS.rglob("*.txt"))[:40]] if CORPUS.is_dir() else []  # fmt: skip
    for text in texts:
        expected = [(token.key, text[token.start : token.end]) for token in tokenise(text)]
        assert token_keys(text) == expected, repr(text)
