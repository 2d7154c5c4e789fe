"""Ground a whole result: every evidence quote (agent/grounding.py) and every actor's name
(agent/actor_grounding.py), with the counts and the list of what is not verified."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from summarise_agent.actor_grounding import ActorMatch, ArticleNames, match_actor_name
from summarise_agent.grounding import Article, MatchStatus, locate_quote

EVIDENCE_PROGRAM_KEYS = ("start", "end", "match", "differs")
ACTOR_PROGRAM_KEYS = ("name_match",)


@dataclass(frozen=True)
class Unverified:
    """One claim the article does not back as given: for stderr lines, re-asks and reports."""

    path: str  # e.g. "positions[2].evidence[0]" or "actors[3]"
    kind: str  # "quote" or "actor"
    text: str  # the quote, or the actor's name
    match: str  # "fuzzy" (reported by --strict=exact only) or "not_found"
    differs: str | None

    def line(self) -> str:
        what = f"{self.kind} {self.text!r}"
        if self.kind == "actor":
            return f"{self.path}: actor name {self.text!r} is not in the article"
        detail = f": {self.differs}" if self.differs else ""
        return f"{self.path}: {what} is {self.match.replace('_', ' ')}{detail}"


@dataclass(frozen=True)
class GroundingReport:
    result: dict[str, Any]  # the result with the program's keys added
    quotes: int
    exact: int
    fuzzy: int
    not_found: list[str]  # the quotes not found, in order
    actors: int = 0
    unverified: list[Unverified] = field(default_factory=list)  # fuzzy and not found, in order

    @property
    def actors_not_found(self) -> int:
        return sum(1 for item in self.unverified if item.kind == "actor")


def ground_result(result: dict[str, Any], text: str) -> GroundingReport:
    """Add start/end/match/differs to every evidence item (a dict with a string 'quote' in an
    'evidence' list) and name_match to every actor in the top-level 'actors' list."""
    article, names = Article(text), ArticleNames(text)
    counts = {status: 0 for status in MatchStatus}
    unverified: list[Unverified] = []
    actors = 0

    def visit(node: Any, key: str | None, path: str) -> Any:
        nonlocal actors
        if isinstance(node, dict):
            return {name: visit(value, name, f"{path}.{name}" if path else name)
                    for name, value in node.items()}  # fmt: skip
        if not isinstance(node, list):
            return node
        grounded = []
        for index, item in enumerate(node):
            here = f"{path}[{index}]"
            if key == "evidence" and _is_evidence(item):
                grounded.append(ground_quote(item, here))
            elif key == "actors" and path == "actors" and _is_actor(item):
                actors += 1
                grounded.append(ground_actor(item, here))
            else:
                grounded.append(visit(item, None, here))
        return grounded

    def ground_quote(item: dict[str, Any], path: str) -> dict[str, Any]:
        found = locate_quote(item["quote"], article)
        counts[found.match] += 1
        if found.match is not MatchStatus.EXACT:
            unverified.append(Unverified(path, "quote", item["quote"], found.match, found.differs))
        return {**_without(item, EVIDENCE_PROGRAM_KEYS), "start": found.start, "end": found.end,
                "match": found.match.value, "differs": found.differs}  # fmt: skip

    def ground_actor(item: dict[str, Any], path: str) -> dict[str, Any]:
        found = match_actor_name(item["name"], names)
        if found is ActorMatch.NOT_FOUND:
            unverified.append(Unverified(path, "actor", item["name"], found.value, None))
        return {**_without(item, ACTOR_PROGRAM_KEYS), "name_match": found.value}

    grounded = visit(result, None, "")
    return GroundingReport(
        result=grounded,
        quotes=sum(counts.values()),
        exact=counts[MatchStatus.EXACT],
        fuzzy=counts[MatchStatus.FUZZY],
        not_found=[u.text for u in unverified if u.kind == "quote" and u.match == "not_found"],
        actors=actors,
        unverified=unverified,
    )


def unverified_in(result: dict[str, Any]) -> list[Unverified]:
    """The unverified claims of an already grounded result, with their paths in it (the file
    may order its lists differently from the model's answer)."""
    found: list[Unverified] = []

    def visit(node: Any, key: str | None, path: str) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                visit(value, name, f"{path}.{name}" if path else name)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                here = f"{path}[{index}]"
                if key == "evidence" and _is_evidence(item) and item.get("match") != "exact":
                    match, differs = str(item.get("match")), item.get("differs")
                    found.append(Unverified(here, "quote", item["quote"], match, differs))
                elif path == "actors" and _is_actor(item) and item.get("name_match") == "not_found":
                    found.append(Unverified(here, "actor", item["name"], "not_found", None))
                else:
                    visit(item, None, here)

    visit(result, None, "")
    return found


def _without(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in keys}


def _is_evidence(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("quote"), str)


def _is_actor(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("name"), str)
