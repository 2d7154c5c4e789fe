"""The boilerplate model at run time: logistic regression over `features.block_features`.

The weights are a small JSON file shipped in the package (boilerplate_model.json, written by
`python -m agent.cleaning.train`); scoring is a sparse dot product in plain Python (no numpy,
no scikit-learn), a few milliseconds per article.

Costs are asymmetric (a lost article sentence is worse than a kept boilerplate line), so where a
block is decides how sure the model must be: boilerplate is removed in runs from the start and
from the end of the text (score >= `edge`; a block at `gap` or more may bridge two such blocks),
and in the middle of the article only when the score reaches the much higher `middle`.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from agent.cleaning.features import (
    DENSE,
    HASH_BUCKETS,
    SENTENCE_END,
    TOKEN,
    block_features,
    continues_an_appeal,
)

MODEL_FILE = "boilerplate_model.json"
# Only the first and last WINDOW blocks are scored: boilerplate sits at the edges, and a text
# of thousands of blocks must not cost thousands of feature vectors. Blocks between the two
# windows are never removed by the model.
WINDOW = 150
_APPEAL_ANCHORS = 2
# A text of fewer blocks (a headline and a paragraph or two) has no edges to trim: what looks
# like boilerplate there is more likely the article itself.
MIN_BLOCKS = 4
LONG = 1_000  # the word count given to a block that ends like a sentence (see verdicts)


@dataclass(frozen=True)
class Thresholds:
    edge: float = 0.85  # a block in a run at the start or end of the text
    edge_long: float = 0.97  # the same for a block of `long_words` words or more
    long_words: int = 25
    gap: float = 0.5  # a block between two removed ones in an edge run
    middle: float = 0.98  # a short block anywhere else (a long one is never removed there)
    middle_max_words: int = 12


@dataclass(frozen=True)
class Verdict:
    """The model's decision on one block it removes."""

    index: int
    score: float
    where: str  # "start", "end", "start-appeal", "end-appeal" or "middle"


class BlockModel:
    """Weights of the boilerplate model, indexed like `features.block_features` vectors."""

    def __init__(
        self, weights: dict[int, float], thresholds: Thresholds, html_thresholds: Thresholds
    ) -> None:
        self.weights = weights
        self.thresholds = thresholds  # pasted text
        # trafilatura's output of a page: little boilerplate is left, so the model must be surer
        self.html_thresholds = html_thresholds

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BlockModel:
        if data.get("hash_buckets") != HASH_BUCKETS:
            raise ValueError("boilerplate model: hash_buckets does not match the feature code")
        weights = {DENSE[name]: float(w) for name, w in data["dense"].items() if name in DENSE}
        offset = len(DENSE)
        weights.update({offset + int(k): float(w) for k, w in data["hashed"].items()})
        return cls(weights, Thresholds(**data["thresholds"]), Thresholds(**data["html_thresholds"]))

    @classmethod
    def from_file(cls, path: Path) -> BlockModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, blocks: Sequence[str], *, from_html: bool = False) -> list[float]:
        """Probability that each block is boilerplate."""
        weights = self.weights
        return [
            _sigmoid(sum(weights.get(index, 0.0) * value for index, value in vector.items()))
            for vector in block_features(blocks, from_html=from_html)
        ]

    def verdicts(
        self, blocks: Sequence[str], already_removed: Sequence[bool], *, from_html: bool = False
    ) -> list[Verdict]:
        """The blocks to remove; ALREADY_REMOVED (by the rules) count as boilerplate in runs."""
        if len(blocks) < MIN_BLOCKS:
            return []
        if len(blocks) > 2 * WINDOW:
            middle = len(blocks) - 2 * WINDOW
            scores = [
                *self.scores(blocks[:WINDOW], from_html=from_html),
                *[0.0] * middle,
                *self.scores(blocks[-WINDOW:], from_html=from_html),
            ]
        else:
            scores = self.scores(blocks, from_html=from_html)
        # A block that ends like a sentence is judged as a long one: prose is the article's.
        words = [
            max(len(TOKEN.findall(block)), LONG if SENTENCE_END.search(block) else 0)
            for block in blocks
        ]
        thresholds = self.html_thresholds if from_html else self.thresholds
        appeal = [continues_an_appeal(block) for block in blocks]
        return decide(scores, words, already_removed, thresholds, appeal)


def decide(
    scores: Sequence[float],
    words: Sequence[int],
    already_removed: Sequence[bool],
    thresholds: Thresholds,
    appeal: Sequence[bool] | None = None,
) -> list[Verdict]:
    """Edge runs at `edge` (`edge_long` for long blocks), bridged at `gap`; the middle only at
    `middle`. Once a run holds `_APPEAL_ANCHORS` blocks the model is sure of, it also takes
    the blocks that continue a publisher's appeal (APPEAL): an appeal's long prose lines score
    like an article's, but an appeal is removed whole or it is not removed."""
    count = len(scores)
    chosen: dict[int, Verdict] = {}
    edge = [thresholds.edge_long if w >= thresholds.long_words else thresholds.edge for w in words]
    for where, order in (("start", range(count)), ("end", range(count - 1, -1, -1))):
        indexes = list(order)
        anchors = 0
        for step, index in enumerate(indexes):
            if already_removed[index]:
                continue
            following = indexes[step + 1] if step + 1 < count else None
            if scores[index] >= _needed(index, following, where, edge, words, thresholds):
                chosen.setdefault(index, Verdict(index, scores[index], where))
                anchors += 1
                continue
            if appeal is not None and anchors >= _APPEAL_ANCHORS and appeal[index]:
                chosen.setdefault(index, Verdict(index, scores[index], f"{where}-appeal"))
                continue
            if (
                scores[index] >= thresholds.gap
                and following is not None
                and words[index] < thresholds.long_words
                and (already_removed[following] or scores[following] >= edge[following])
            ):
                chosen.setdefault(index, Verdict(index, scores[index], where))
                continue
            break
    for index, score in enumerate(scores):
        if (
            not already_removed[index]
            and score >= thresholds.middle
            and words[index] <= thresholds.middle_max_words
            and index not in chosen
        ):
            chosen[index] = Verdict(index, score, "middle")
    _spare_the_most_article_like(chosen, scores, already_removed)
    return sorted(chosen.values(), key=lambda verdict: verdict.index)


def _needed(
    index: int,
    following: int | None,
    where: str,
    edge: Sequence[float],
    words: Sequence[int],
    thresholds: Thresholds,
) -> float:
    """The score block INDEX needs to join an edge run. A short line just before long prose,
    at the start, is most likely that prose's headline: it needs the long blocks' threshold."""
    if (
        where == "start"
        and following is not None
        and words[following] >= thresholds.long_words
        and words[index] < thresholds.long_words
    ):
        return max(edge[index], thresholds.edge_long)
    return edge[index]


def _spare_the_most_article_like(
    chosen: dict[int, Verdict], scores: Sequence[float], already_removed: Sequence[bool]
) -> None:
    """Never let the model remove every block: the most article-like one stays."""
    alive = [i for i in range(len(scores)) if not already_removed[i]]
    if alive and all(i in chosen for i in alive):
        del chosen[min(alive, key=lambda i: scores[i])]


def _sigmoid(value: float) -> float:
    if value < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-value))


@functools.cache
def packaged_model() -> BlockModel:
    text = resources.files("agent.cleaning").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return BlockModel.from_json(json.loads(text))
