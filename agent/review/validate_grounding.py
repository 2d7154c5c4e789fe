"""Checks that tie claims to the article: evidence offsets, actor ids, and the `checks` counts.

These walk `result` generically, with the writer's own definitions (summarise_agent.grounding,
summarise_agent.integrity), so they also cover a user's own schema built from the contract's blocks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from summarise_agent.review.problems import Location, ProblemList, shorten
from summarise_agent.review.sources import CleanedSource
from summarise_agent.review.validate_envelope import check_key_order, is_count
from summarise_agent.review.validate_result import EVIDENCE_KEYS

if TYPE_CHECKING:
    from summarise_agent.grounding import Article

MATCH_KINDS = ("exact", "fuzzy", "not_found")
MATCH_RANK = {"exact": 2, "fuzzy": 1, "not_found": 0}
NAME_MATCH_KINDS = ("full", "part", "not_found")
# below this similarity (0-100) a fuzzy span cannot be where the quote came from
FUZZY_SPAN_MIN_SIMILARITY = 60.0


@dataclass(frozen=True)
class Grounding:
    """What the offsets are checked against: the recorded length, and the text when known."""

    characters: int | None
    text: str | None
    report_not_found: bool
    v2: bool = False  # "format_version": 2: `differs` and `name_match` are required
    article: Article | None = None  # the text, indexed for re-grounding (when text is known)


def find_evidence(
    node: Any, location: Location = ("result",)
) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Evidence as the writer grounds it (summarise_agent.grounding): objects with a string `quote` in
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
    """Duplicate and dangling ids, as the writer counts them (summarise_agent.integrity); returns how
    many references dangle, for `checks.dangling_actor_ids`."""
    from summarise_agent.integrity import dangling_references, duplicate_actor_ids

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
        optional = () if grounding.v2 else ("differs",)
        check_key_order(problems, location, item, EVIDENCE_KEYS, optional)
        match = item.get("match")
        if match not in MATCH_KINDS:
            problems.add(
                (*location, "match"), f"must be one of {', '.join(MATCH_KINDS)}, not {match!r}"
            )
            continue
        counts[match] += 1
        _check_differs(problems, location, item)
        if match == "not_found":
            _check_not_found(problems, location, item, grounding)
        else:
            _check_span(problems, location, item, grounding)
            _check_regrounded(problems, location, item, grounding)
    return counts


def _check_differs(problems: ProblemList, location: Location, item: dict[str, Any]) -> None:
    if "differs" not in item:
        return
    differs = item["differs"]
    if item["match"] == "exact" and differs is not None:
        problems.add((*location, "differs"), "must be null for an exact quote")
    elif item["match"] != "exact" and not (isinstance(differs, str) and differs.strip()):
        problems.add((*location, "differs"), f"must say what differs for a {item['match']} quote")


def _check_regrounded(
    problems: ProblemList, location: Location, item: dict[str, Any], grounding: Grounding
) -> None:
    """With the article at hand, the quote is grounded again: a recorded match better than
    the text supports (an edited file, or a writer with looser rules) is a problem."""
    quote = item.get("quote")
    if grounding.article is None or not isinstance(quote, str):
        return
    from summarise_agent.grounding import locate_quote

    found = locate_quote(quote, grounding.article)
    if MATCH_RANK[item["match"]] > MATCH_RANK[found.match.value]:
        why = f": {found.differs}" if found.differs else ""
        problems.add(
            (*location, "match"),
            f"says {item['match']}, but the article supports {found.match.value} for "
            f"{shorten(quote)}{why}",
        )


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
    from summarise_agent.grounding import Article, MatchStatus, locate_quote

    found = locate_quote(quote, Article(span))
    return (found.match, found.start, found.end) == (MatchStatus.EXACT, 0, len(span))


def check_actor_names(
    problems: ProblemList, result: dict[str, Any], grounding: Grounding
) -> Counter[str]:
    """Each actor's `name_match` (v2), re-checked against the article when it is given, and
    names shared by two ids; returns the counts for `checks.actors` and `actors_not_found`."""
    from summarise_agent.integrity import duplicate_actor_names

    counts: Counter[str] = Counter()
    for name, ids in duplicate_actor_names(result):
        problems.add(("result", "actors"), f"actors {', '.join(ids)} share the name {name!r}")
    actors = result.get("actors")
    names = None
    for index, actor in enumerate(actors if isinstance(actors, list) else []):
        if not isinstance(actor, dict) or not isinstance(actor.get("name"), str):
            continue
        counts["actors"] += 1
        location: Location = ("result", "actors", index)
        match = actor.get("name_match")
        if "name_match" not in actor:
            if grounding.v2:
                problems.add(location, "missing key(s): name_match")
            continue
        if match not in NAME_MATCH_KINDS:
            problems.add(
                (*location, "name_match"),
                f"must be one of {', '.join(NAME_MATCH_KINDS)}, not {match!r}",
            )
            continue
        if list(actor)[-1] != "name_match":
            problems.add(location, "keys out of order: name_match must come last")
        counts["actors_not_found"] += match == "not_found"
        if match == "not_found" and grounding.report_not_found:
            problems.add(location, f"actor name not found in the article: {shorten(actor['name'])}")
        if grounding.text is not None and match != "not_found":
            from summarise_agent.actor_grounding import ArticleNames, match_actor_name

            names = names or ArticleNames(grounding.text)
            found = match_actor_name(actor["name"], names)
            if found.value == "not_found":
                missing = f"{shorten(actor['name'])} is not in the article"
                problems.add((*location, "name_match"), f"says {match}, but {missing}")
    return counts


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
        "actors": counts["actors"],
        "actors_not_found": counts["actors_not_found"],
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
