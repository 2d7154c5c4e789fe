"""Long articles with planted actors and quotes, and a server responder that "reads" them.

`make_article(words)` builds a deterministic article of about that many words: filler
paragraphs, and planted two-sentence quotes from a few actors spread evenly over the whole
text, three per actor and topic, far apart (so in different chunks). Later mentions name the
actors differently ("Ana Ruiz", then "Minister Ruiz", then "Ruiz"; "Northern Fisheries
Council", then "NFC"), and `straddle=` picks an article where a chunk boundary cuts a quote.

`PlantedResponder` answers each request with exactly what is planted in the article text it
receives (a chunk or the whole article): the actors as that text names them, with ids of its
own, and one position per actor and topic with every quote found whole in the text. It is
what a perfect model would answer, so a run's output can be checked against the plan.
Shared by tests/chunking and bench/bench_chunking.py.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from summarise_agent.localserver import Reply

_ARTICLE = re.compile(r"<article>\n(.*?)\n</article>", re.DOTALL)


@dataclass(frozen=True)
class PlantedActor:
    name: str  # the fullest name, used at the first mention
    kind: str
    role: str | None
    later_names: tuple[str, ...]  # how later mentions name the actor, in turn
    topics: tuple[tuple[str, str], ...]  # (topic, stance)


ACTORS = (
    PlantedActor("Ana Ruiz", "person", "fisheries minister", ("Minister Ruiz", "Ruiz"),
                 (("fishing quotas", "opposes"), ("joint patrols", "supports"),
                  ("fleet subsidies", "conditional"))),
    PlantedActor("Piotr Lenz", "person", "foreign minister", ("Lenz", "Foreign Minister Lenz"),
                 (("temporary fishing halt", "supports"), ("harbour fees", "conditional"),
                  ("border checks", "opposes"))),
    PlantedActor("Northern Fisheries Council", "organisation", None, ("NFC",),
                 (("catch reporting rules", "supports"), ("net sizes", "opposes"))),
    PlantedActor("Harbour Workers Guild", "group", None, ("Harbour Workers Guild",),
                 (("port closures", "opposes"), ("night shifts", "neutral"))),
)  # fmt: skip
QUOTES_PER_POSITION = 3  # schemas may bound evidence per position (a model gives no more)

_SUBJECTS = ("The committee", "A spokesperson", "The ministry", "Local traders", "Observers",
             "The coastguard", "Regional officials", "The weather service", "Analysts",
             "Dock managers")  # fmt: skip
_VERBS = ("reviewed", "discussed", "published", "questioned", "described", "examined",
          "summarised", "revisited", "noted", "compared")  # fmt: skip
_OBJECTS = ("the seasonal figures", "the shipping timetable", "an older survey", "the tide tables",
            "the harbour accounts", "a draft map", "the insurance terms", "the repair schedule",
            "the fuel prices", "the training plan")  # fmt: skip
_TIMES = ("on Monday", "last week", "in the morning", "after the meeting", "before noon",
          "during the visit", "late on Friday", "at the weekend", "in March", "this spring")  # fmt: skip


@dataclass(frozen=True)
class PlantedQuote:
    actor: int  # index into ACTORS
    topic: int  # index into the actor's topics
    written_name: str  # how the sentence that carries the quote names the actor
    quote: str


@dataclass(frozen=True)
class LongArticle:
    text: str
    quotes: tuple[PlantedQuote, ...]


def make_article(
    words: int, seed: int = 12, straddle: tuple[int, int] | None = None,
    per_position: int = QUOTES_PER_POSITION,
) -> LongArticle:  # fmt: skip
    """About `words` words of filler with every planted quote (two sentences each) spread
    evenly over it. With `straddle=(chunk_tokens, overlap_tokens)`, the first seed from
    `seed` on whose article some chunk boundary falls inside a planted quote."""
    while True:
        article = _article(words, seed, per_position)
        if straddle is None or straddling(article, *straddle):
            return article
        seed += 1


def straddling(article: LongArticle, chunk_tokens: int, overlap_tokens: int) -> list[str]:
    """The planted quotes that a chunk boundary cuts in two."""
    from summarise_agent.chunking import split_text

    plan = split_text(article.text, chunk_tokens, overlap_tokens)
    bounds = [bound for chunk in plan.chunks for bound in (chunk.start, chunk.end)]
    cut = []
    for planted in article.quotes:
        start = article.text.index(planted.quote)
        if any(start < bound < start + len(planted.quote) for bound in bounds):
            cut.append(planted.quote)
    return cut


def _article(words: int, seed: int, per_position: int) -> LongArticle:
    rng = random.Random(seed)
    slots = [
        (actor, topic) for actor, spec in enumerate(ACTORS) for topic in range(len(spec.topics))
    ]
    planted = [slot for _ in range(per_position) for slot in slots]  # each round: all
    paragraph_count = max(len(planted) + 2, words // 46)  # about 48 words a paragraph
    at = {1 + (number * (paragraph_count - 1)) // len(planted): slot
          for number, slot in enumerate(planted)}  # fmt: skip
    paragraphs = ["Fisheries talks stretch into a long season"]
    quotes: list[PlantedQuote] = []
    mentions = [0] * len(ACTORS)
    for number in range(1, paragraph_count):
        paragraph = _filler(rng, rng.randint(3, 8))
        if number in at:
            actor, topic = at[number]
            quote = _quote_sentence(rng, number, actor, topic, mentions, quotes)
            paragraph = f"{paragraph} {quote} {_filler(rng, rng.randint(1, 6))}"
        paragraphs.append(paragraph)
    return LongArticle("\n\n".join(paragraphs) + "\n", tuple(quotes))


def _filler(rng: random.Random, sentences: int) -> str:
    return " ".join(
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TIMES)}."
        for _ in range(sentences)
    )


def _name(actor: int, mentions: list[int]) -> str:
    planted = ACTORS[actor]
    mention = mentions[actor]
    mentions[actor] += 1
    if mention == 0:
        return planted.name
    return planted.later_names[(mention - 1) % len(planted.later_names)]


def _quote_sentence(rng: random.Random, number: int, actor: int, topic: int, mentions: list[int],
                    quotes: list[PlantedQuote]) -> str:  # fmt: skip
    subject = ACTORS[actor].topics[topic][0]
    quote = " ".join(
        f"On {subject}, point {number}-{part} is that the {rng.choice(_OBJECTS)[4:]} must change "
        f"by {rng.randint(2, 97)} percent."
        for part in range(2)
    )
    name = _name(actor, mentions)
    quotes.append(PlantedQuote(actor, topic, name, quote))
    return f'{name} said: "{quote}"'


def _fuller(name: str, actor: dict[str, Any]) -> bool:
    """A model names an actor by the fullest name the text gives: the full one, else the longest."""
    full = ACTORS[_NAMES[name]].name
    return actor["name"] != full and (name == full or len(name) > len(actor["name"]))


def slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def answer_for(text: str) -> dict[str, Any]:
    """What is planted in `text`: actors as it names them, positions with their quotes."""
    actors: dict[int, dict[str, Any]] = {}
    positions: dict[tuple[int, int], dict[str, Any]] = {}
    for planted in _planted_in(text):
        spec = ACTORS[planted.actor]
        if planted.actor not in actors or _fuller(planted.written_name, actors[planted.actor]):
            role = spec.role if planted.written_name != spec.name.split()[-1] else None
            actors[planted.actor] = {"id": slug(planted.written_name), "name": planted.written_name,
                                     "kind": spec.kind, "role": role, "affiliation": None}  # fmt: skip
        topic, stance = spec.topics[planted.topic]
        position = positions.setdefault((planted.actor, planted.topic), {
            "actor": "", "topic": topic, "stance": stance,
            "summary": f"{spec.name} {stance} {topic}.", "evidence": []})  # fmt: skip
        position["evidence"].append({"quote": planted.quote})
    for (actor, _), position in positions.items():
        position["actor"] = actors[actor]["id"]
    return {
        "summary": f"A part of the article with {len(positions)} position(s).",
        "actors": [actors[key] for key in sorted(actors, key=lambda k: _first_index(text, k))],
        "positions": list(positions.values()),
    }


_PLANTED = re.compile(r'(?P<name>[A-Z][\w ]*?) said: "(?P<quote>[^"]+)"')
_NAMES = {name: index for index, actor in enumerate(ACTORS)
          for name in (actor.name, *actor.later_names)}  # fmt: skip


def _planted_in(text: str) -> list[PlantedQuote]:
    """Every planted quote whole in `text`, with the name its sentence gives, in text order."""
    found = []
    for match in _PLANTED.finditer(text):
        name = next((n for n in sorted(_NAMES, key=len, reverse=True)
                     if match["name"].endswith(n)), None)  # fmt: skip
        topic_text = match["quote"].split(",")[0].removeprefix("On ")
        if name is None:
            continue
        actor = _NAMES[name]
        topic = next(i for i, (t, _) in enumerate(ACTORS[actor].topics) if t == topic_text)
        found.append(PlantedQuote(actor, topic, name, match["quote"]))
    return found


def _first_index(text: str, actor: int) -> int:
    names = (ACTORS[actor].name, *ACTORS[actor].later_names)
    return min((text.find(f'{n} said: "') for n in names if f'{n} said: "' in text), default=0)


class PlantedResponder:
    """Answers each request with what is planted in its article text, after `latency`."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests = 0
        self._lock = threading.Lock()

    def __call__(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests += 1
        if self.latency:
            time.sleep(self.latency)
        user = request["messages"][-1]["content"]
        match = _ARTICLE.search(user)
        text = match.group(1) if match else ""
        content = json.dumps(answer_for(text), ensure_ascii=False)
        prompt_chars = sum(len(str(m.get("content") or "")) for m in request["messages"])
        usage = {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(content) // 4,
                 "total_tokens": (prompt_chars + len(content)) // 4}  # fmt: skip
        body = {"id": "chatcmpl-planted", "object": "chat.completion", "created": 1764025200,
                "model": "gpt-4o-mini", "usage": usage,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}]}  # fmt: skip
        return Reply(status=200, body=json.dumps(body).encode("utf-8"))
