"""Checks that tie claims to the article: evidence offsets, actor ids, and the `checks` counts.

These walk `result` generically, with the writer's own definitions (agent.grounding,
agent.integrity), so they also cover a user's own schema built from the contract's blocks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from agent.review.problems import Location, ProblemList, shorten
from agent.review.sources import CleanedSource
from agent.review.validate_envelope import check_key_order, is_count
from agent.review.validate_result import EVIDENCE_KEYS

MATCH_KINDS = ("exact", "fuzzy", "not_found")
# below this similarity (0-100) a fuzzy span cannot be where the quote came from
FUZZY_SPAN_MIN_SIMILARITY = 60.0


@dataclass(frozen=True)
class Grounding:
    """What the offsets are checked against: the recorded length, and the text when known."""

    characters: int | None
    text: str | None
    report_not_found: bool


def find_evidence(
    node: Any, location: Location = ("result",)
) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Evidence as the writer grounds it (agent.grounding): objects with a string `quote` in
    a list under an `evidence` key, anywhere in the result."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from find_evidence(item, (*location, index))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence" and isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict) and isinstance(item.get("quote"), str):
                        yield (*location, key, index), item
            else:
                yield from find_evidence(value, (*location, key))


def check_actor_ids(problems: ProblemList, result: dict[str, Any]) -> int:
    """Duplicate and dangling ids, as the writer counts them (agent.integrity); returns how
    many references dangle, for `checks.dangling_actor_ids`."""
    from agent.integrity import dangling_references, duplicate_actor_ids

    for actor_id in sorted(duplicate_actor_ids(result)):
        problems.add(("result", "actors"), f"actor id {actor_id!r} is used by more than one actor")
    dangling = dangling_references(result)
    for reference in dangling:
        problems.add(
            ("result", reference.path), f"actor id {reference.actor_id!r} is not in result.actors"
        )
    return len(dangling)


def check_evidence(
    problems: ProblemList, result: dict[str, Any], grounding: Grounding
) -> Counter[str]:
    """Each evidence item's keys, match and offsets; returns the counts by match kind."""
    counts: Counter[str] = Counter()
    for location, item in find_evidence(result):
        counts["quotes"] += 1
        check_key_order(problems, location, item, EVIDENCE_KEYS)
        match = item.get("match")
        if match not in MATCH_KINDS:
            problems.add(
                (*location, "match"), f"must be one of {', '.join(MATCH_KINDS)}, not {match!r}"
            )
            continue
        counts[match] += 1
        if match == "not_found":
            _check_not_found(problems, location, item, grounding)
        else:
            _check_span(problems, location, item, grounding)
    return counts


def _check_not_found(
    problems: ProblemList, location: Location, item: dict[str, Any], grounding: Grounding
) -> None:
    if item.get("start") is not None or item.get("end") is not None:
        problems.add(location, "a not_found quote must have null start and end")
    if grounding.report_not_found:
        problems.add(location, f"quote not found in the article: {shorten(str(item.get('quote')))}")


def _check_span(
    problems: ProblemList, location: Location, item: dict[str, Any], grounding: Grounding
) -> None:
    start, end, quote = item.get("start"), item.get("end"), item.get("quote")
    if not (is_count(start, 0) and is_count(end, 0)):
        problems.add(location, f"a {item['match']} quote needs integer start and end offsets")
        return
    assert isinstance(start, int) and isinstance(end, int)
    limit = grounding.characters
    if start >= end or (limit is not None and end > limit):
        bound = f" within the {limit} characters of the article" if limit is not None else ""
        problems.add(location, f"offsets {start}..{end} are not a span{bound}")
        return
    if not isinstance(quote, str):
        return  # the schema check reports it
    if grounding.text is not None:
        _check_span_text(problems, location, item["match"], grounding.text[start:end], quote)


def _check_span_text(
    problems: ProblemList, location: Location, match: str, span: str, quote: str
) -> None:
    if match == "exact" and not _is_exact_span(span, quote):
        problems.add(location, f"offsets hold {shorten(span)}, not the quote {shorten(quote)}")
    elif match == "fuzzy":
        from rapidfuzz import fuzz

        similarity = fuzz.ratio(
            " ".join(span.split()).casefold(), " ".join(quote.split()).casefold()
        )
        if similarity < FUZZY_SPAN_MIN_SIMILARITY:
            problems.add(
                location,
                f"offsets hold {shorten(span)}, which does not resemble the quote {shorten(quote)} "
                f"(similarity {similarity:.0f}%)",
            )


def _is_exact_span(span: str, quote: str) -> bool:
    """`exact` means what the writer's grounding means: equal once typography, case and
    spacing are folded, a quote with an ellipsis covering its parts in order. So the span,
    searched on its own, must hold the quote exactly from its first to its last character."""
    from agent.grounding import MatchStatus, NormalisedText, locate_quote

    found = locate_quote(quote, NormalisedText(span))
    return (found.match, found.start, found.end) == (MatchStatus.EXACT, 0, len(span))


def check_counts(
    problems: ProblemList, data: dict[str, Any], counts: Counter[str], dangling: int
) -> None:
    """`checks` must state what the file holds: reviewers and --strict rely on it."""
    recorded = data.get("checks")
    if not isinstance(recorded, dict):
        return
    actual = {
        "quotes": counts["quotes"],
        "exact": counts["exact"],
        "fuzzy": counts["fuzzy"],
        "not_found": counts["not_found"],
        "dangling_actor_ids": dangling,
    }
    for key, value in actual.items():
        if key in recorded and is_count(recorded[key], 0) and recorded[key] != value:
            problems.add(("checks", key), f"says {recorded[key]}, the file holds {value}")


def check_source(problems: ProblemList, data: dict[str, Any], cleaned: CleanedSource) -> bool:
    """The article given with --source must be the one the output was made from."""
    source = data.get("source")
    if not isinstance(source, dict):
        return False
    if source.get("sha256") != cleaned.sha256:
        problems.add(
            ("source", "sha256"),
            f"does not match the cleaned text of {cleaned.path} (the article or the cleaner "
            "changed); quotes not checked against its text",
        )
        return False
    if source.get("characters") != len(cleaned.text):
        problems.add(
            ("source", "characters"),
            f"says {source.get('characters')!r}, the cleaned article has {len(cleaned.text)}",
        )
    return True
