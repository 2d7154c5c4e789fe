"""The cheaper searches of cleaning give exactly what the plain ones give.

The literal gate (agent/cleaning/prefilter.py) may only skip searches that cannot match; the
ASCII character counts, the per-line ftfy and the date/time patterns must equal the code they
replaced. Each is checked against the plain computation on generated texts built from the
patterns' own words, case traps (long s, dotless i, dotted capital I, sigma) and noise, and on the corpus when present.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarise_agent.cleaning import clean_document, features, normalise, prefilter, shape
from summarise_agent.cleaning.boilerplate import _lower_case_patterns
from summarise_agent.cleaning.rules import load_rules

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _all_gated() -> list[prefilter.GatedPattern]:
    found = [value for module in (features, shape) for value in vars(module).values()
             if isinstance(value, prefilter.GatedPattern)]  # fmt: skip
    for rule in load_rules():
        if rule.kind == "block":
            patterns, signals = _lower_case_patterns(rule)
            found += [gate for gate, _ in (*patterns, *signals)]
    return found


# Case-insensitive patterns whose words hold the letters case folding treats specially
CASE_TRAPS = [
    prefilter.gated(source, re.IGNORECASE)
    for source in (r"\bsubscribe\b", r"sign[ -]?in", r"kiosk|σοφία", r"ßtraße")
]
GATED = _all_gated() + CASE_TRAPS
PIECES = sorted({literal for gate in GATED
                 for literal in prefilter.required_literals(gate.pattern) or ()})  # fmt: skip
NOISE = [" ", "  ", ".", ",", "-", "'", "\u2019", "\n", "a", "Z", "7", "2026", "12:30", "$", "€5",
         "\u017f", "\u0131", "\u0130", "\u03a3", "\u03c2", "\u212a", "ÿ", "\u00e9"]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES + NOISE) | st.text(max_size=4), max_size=14).map(
    lambda parts: "".join(parts)
)
CASED = st.tuples(TEXTS, st.sampled_from(["lower", "upper", "title", "same"])).map(
    lambda pair: getattr(pair[0], pair[1])() if pair[1] != "same" else pair[0]
)


def test_the_gates_cover_the_word_patterns() -> None:
    gated = [gate for gate in GATED if gate.bit]
    assert len(gated) >= 30  # features, shapes and block rules: most have literals
    assert prefilter.required_literals(re.compile(r"\b(you|your|yours)\b")) == {"you"}
    assert prefilter.required_literals(re.compile(r"(?i)Sign[ -]?Up")) == {"sign"}
    assert prefilter.required_literals(re.compile(r"[$£€]\s?\d")) == {"$", "£", "€"}
    assert prefilter.required_literals(re.compile(r"\d+(?:,\d+)?")) is None  # nothing to require
    assert prefilter.required_literals(re.compile(r"a|bc")) is None  # "a" would pass every text
    assert prefilter.required_literals(re.compile(r"x(?=yz)")) is None  # lookarounds promise none


@settings(max_examples=400, deadline=None)
@given(CASED)
def test_a_gated_search_finds_what_the_plain_search_finds(text: str) -> None:
    for inside in (False, True):
        with prefilter.document_scope() if inside else _no_scope():
            for gate in GATED:
                assert gate.findall(text) == gate.pattern.findall(text), gate.pattern.pattern
                assert (gate.search(text) is None) == (gate.pattern.search(text) is None)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_no_gate_skips_a_match_in_the_corpus() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "news").glob("*.txt"))]
    texts.append((CORPUS / "boilerplate" / "blocks.txt").read_text(encoding="utf-8"))
    blocks = [block for text in texts for block in text.split("\n") if block.strip()]
    skipped = 0
    with prefilter.document_scope():
        for block in blocks:
            for form in (block, block.lower()):
                for gate in GATED:
                    assert (gate.search(form) is None) == (gate.pattern.search(form) is None)
                    skipped += not gate.may_match(form)
    assert skipped > len(blocks) * 10  # and the gate does skip most searches


@pytest.mark.parametrize(
    "text",
    [
        "\u017fubscribe",
        "SUBSCRIBE",
        "SIGN-\u0130N",
        "S\u0131gn in",
        "\u212aiosk",
        "\u03a3\u039f\u03a6\u0399\u0391",
        "\u1e9eTRASSE",
    ],
)
def test_case_insensitive_gates_see_what_case_folding_matches(text: str) -> None:
    with prefilter.document_scope():
        for gate in CASE_TRAPS:
            assert (gate.search(text) is None) == (gate.pattern.search(text) is None), text


def test_the_only_character_with_a_longer_lower_case_is_the_one_known() -> None:
    longer = [chr(code) for code in range(sys.maxunicode + 1) if len(chr(code).lower()) != 1]
    assert longer == [prefilter.MULTI_CHARACTER_LOWER]


def test_what_is_remembered_of_a_text_lasts_one_document() -> None:
    calls: list[str] = []

    @prefilter.per_document
    def measured(text: str) -> int:
        calls.append(text)
        return len(text)

    with prefilter.document_scope():
        assert measured("block") == measured("block") == 5
    assert measured("block") == 5  # outside a document: computed, not remembered
    with prefilter.document_scope():
        measured("block")
    assert calls == ["block", "block", "block"]


def test_a_gate_added_after_a_text_was_seen_still_sees_it() -> None:
    with prefilter.document_scope():
        text = "a zebra-crossing story"
        assert not prefilter.gated(r"\bquokka\b").search(text)  # the text's literals are noted
        late = prefilter.gated(r"\bzebra\b")  # a new pattern: the automaton is rebuilt
        assert late.search(text) is not None


ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=60)


@given(ASCII_TEXT)
def test_ascii_character_counts_equal_the_per_character_ones(text: str) -> None:
    letters = "".join(filter(str.isalpha, text))
    expected = (len(letters), sum(map(str.isupper, letters)), sum(map(str.isdigit, text)),
                len(re.findall(r"[^\w\s]", text)))  # fmt: skip
    assert tuple(features.character_counts(text)) == expected
    assert tuple(features.character_counts(text + "é")) == (expected[0] + 1, *expected[1:])


MOJIBAKE = ["CafÃ©", "â€™", "Ã¼ber", "\x1b[31m", "\x00", "\r\n", "\r", "\x85", "\u2028", "ï¬",
            "\ud800", "Â ", "\x80", "Ã", "é", "\u00a0", "\t"]  # fmt: skip
REPAIRABLE = st.lists(st.sampled_from(MOJIBAKE) | ASCII_TEXT | st.just("\n"), max_size=10).map(
    lambda parts: "".join(parts)
)


@settings(max_examples=300, deadline=None)
@given(REPAIRABLE)
def test_mojibake_repair_equals_ftfy_on_the_whole_text(text: str) -> None:
    config = ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False,
                                  fix_character_width=False, fix_latin_ligatures=False,
                                  explain=False, normalization="NFC")  # fmt: skip
    assert normalise.repair_mojibake(text) == ftfy.fix_text(text, config)


# The patterns the date and time features used before they were written to start with a
# character class (features.py): the same matches, found faster.
_MONTH = features._MONTH
OLD_DATE = re.compile(
    rf"\b({_MONTH})\.? \d{{1,2}}\b|\b\d{{1,2}} ({_MONTH})\b|\b\d{{4}}-\d\d-\d\d\b|"
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
)
OLD_TIME = re.compile(
    r"\b\d{1,2}[:.]\d\d\s?([ap]\.?m\.?|gmt|utc|et|bst|cet)?\b|\b\d{1,2}\s?[ap]\.?m\b"
)
STAMPS = st.lists(st.sampled_from(["1", "12", "2026", "-", "/", ".", ":", " ", "am", "p.m",
                                   "gmt", "may", "june", "x", "_", "a", "\u0663"]),
                  max_size=12).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(STAMPS)
def test_date_and_time_features_equal_the_patterns_they_replaced(text: str) -> None:
    with prefilter.document_scope():
        date = features._DATE_NAMED.search(text) or features._DATE_NUMERIC.search(text)
        assert (date is None) == (OLD_DATE.search(text) is None)
        assert (features._TIME.search(text) is None) == (OLD_TIME.search(text) is None)


def test_cleaning_remembers_nothing_between_articles() -> None:
    clean_document(b"Talks resume\n\nNegotiators met on Monday and will meet again.\n", "a.txt")
    assert prefilter._SCOPE.get() is None


class _no_scope:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
