"""The boilerplate model at run time: logistic regression over `features.block_features`.

The weights are a small JSON file shipped in the package (boilerplate_model.json, written by
`python -m summarise_agent.cleaning.train`); scoring is a sparse dot product in plain Python
(no numpy, no scikit-learn), a few milliseconds per article.

Costs are asymmetric (a lost article sentence is worse than a kept boilerplate line), so where a
block is decides how sure the model must be: boilerplate is removed in runs from the start and
from the end of the text (score >= `edge`; a block at `gap` or more may bridge two such blocks),
and in the middle of the article only when the score reaches the much higher `middle`.
"""

from __future__ import annotations

import functools
import json
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from summarise_agent.cleaning.features import (
    DENSE,
    FEATURE_COUNT,
    HASH_BUCKETS,
    SENTENCE_END,
    addresses_reader,
    block_features,
    continues_an_appeal,
    speaks_to_reader,
)
from summarise_agent.cleaning.shape import (
    about_sections,
    foreign_blocks,
    pitches_to_reader,
    speaks_as_publisher,
    tokens_of,
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
# A headline scored on its own looks like a link title: held-out ones reached 0.97.
HEADLINE_SCORE = 0.995
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
        self._dense: list[float] | None = None  # every feature's weight, 0.0 if absent
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
        weight_of = self._dense_weights().__getitem__
        return [  # the weighted sum in the vector's order, by maps over builtins
            _sigmoid(sum(map(operator.mul, map(weight_of, vector), vector.values())))
            for vector in block_features(blocks, from_html=from_html)
        ]

    def _dense_weights(self) -> list[float]:
        if self._dense is None:
            self._dense = [self.weights.get(index, 0.0) for index in range(FEATURE_COUNT)]
        return self._dense

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
        real_words = [len(tokens_of(block)) for block in blocks]
        # A block that ends like a sentence is judged as a long one: prose is the article's.
        words = [
            max(count, LONG if SENTENCE_END.search(block) else 0)
            for count, block in zip(real_words, blocks, strict=True)
        ]
        thresholds = self.html_thresholds if from_html else self.thresholds
        appeal = [continues_an_appeal(block) for block in blocks]
        verdicts = decide(scores, words, already_removed, thresholds, appeal)
        if from_html:
            return verdicts
        runs = _whole_runs(blocks, scores, (real_words, words), already_removed, appeal, verdicts)
        return sorted([*verdicts, *runs], key=lambda verdict: verdict.index)


def _whole_runs(
    blocks: Sequence[str],
    scores: Sequence[float],
    counts: tuple[Sequence[int], Sequence[int]],
    already_removed: Sequence[bool],
    appeal: Sequence[bool],
    verdicts: Sequence[Verdict],
) -> list[Verdict]:
    """The second stage (pasted text): whole runs of boilerplate at the edges. A publisher's
    appeal, a section under an "About ..." heading that the model leans towards boilerplate
    (a company footer, an author bio), and a sentence foreign to the article's topic in a
    publisher's or company's voice (a correction, a tip line, a bio) never end a run."""
    real_words, words = counts  # tokens; and LONG for a block that ends like a sentence
    foreign = foreign_blocks(blocks, real_words)
    about = about_sections(blocks)
    voiced = [
        foreign[i] and scores[i] >= FOREIGN_SCORE and speaks_as_publisher(blocks[i])
        for i in range(len(blocks))
    ]
    # The publisher speaking to the reader about its own page or business ("If you enjoyed
    # this article, we have a proposition for you"): an appeal, whatever the model scores.
    pitch = [appeal[i] or pitches_to_reader(blocks[i]) for i in range(len(blocks))]
    joins = [
        pitch[i] or voiced[i] or (about[i] and scores[i] >= ABOUT_SCORE) for i in range(len(blocks))
    ]
    prose = [
        _is_article_prose(scores[i], real_words[i], words[i], joins[i], blocks[i])
        for i in range(len(blocks))
    ]
    # An appeal's prose lines count as boilerplate the model is fairly sure of in a run; a
    # foreign sentence in the publisher's voice as one it is sure of.
    run_scores = [
        max(score, RUN_ANCHOR if v else APPEAL_SCORE if a else score)
        for score, a, v in zip(scores, pitch, voiced, strict=True)
    ]
    taken = {verdict.index for verdict in verdicts}
    return edge_runs(run_scores, words, already_removed, prose, taken)


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
    at the start, is most likely that prose's headline: the model must be all but certain."""
    if (
        where == "start"
        and following is not None
        and words[following] >= thresholds.long_words
        and words[index] < thresholds.long_words
    ):
        return max(edge[index], HEADLINE_SCORE)
    return edge[index]


# The second stage: runs at the edges judged as a whole. A publisher's block (a promo, an
# appeal, a press-release footer) mixes lines the model is sure of with prose lines it is not;
# one prose-like line must not keep the rest. A run is taken when its mean score is high, it
# holds a block the model is sure of, and it stops before the article's own prose.
RUN_MEAN = 0.6
RUN_ANCHOR = 0.85
APPEAL_SCORE = 0.8
RUN_MAX_BLOCKS = 12
# What ends a run (the article's prose): a long block the model leans towards article, or any
# sentence-like block it is nearly sure is article, unless it continues a publisher's appeal.
PROSE_WORDS = 20
PROSE_SCORE = 0.9
ARTICLE_SCORE = 0.15
WE_SCORE = 0.5  # ...or this when it only says "we" (an organisation writing about its work)
SURE_SCORE = 0.985  # a sentence that does not speak to the reader needs this...
# ...unless it is foreign to the article's topic (shape.foreign_blocks) and has a sign of the
# publisher's or a company's own voice (shape.speaks_as_publisher): then this is enough.
FOREIGN_SCORE = 0.7
# A block of a section under an "About ..." heading (shape.about_sections) with this score
# continues a run whatever its length.
ABOUT_SCORE = 0.5


def edge_runs(
    scores: Sequence[float],
    words: Sequence[int],
    already_removed: Sequence[bool],
    prose: Sequence[bool],
    taken: set[int],
) -> list[Verdict]:
    """Blocks of whole boilerplate runs at the start and end that `decide` left."""
    count = len(scores)
    found: dict[int, Verdict] = {}
    for where, order in (("start", range(count)), ("end", range(count - 1, -1, -1))):
        run: list[int] = []
        for index in order:
            if len(run) >= RUN_MAX_BLOCKS or prose[index]:
                break
            run.append(index)
        # The short line just before the article's first prose is its headline.
        if where == "start" and run and len(run) < count and words[run[-1]] < LONG:
            run.pop()
        # What the rules removed counts as sure boilerplate in the run.
        sure = [1.0 if already_removed[i] else scores[i] for i in run]
        # A run of one block is a sentence `decide` left (it needs `edge_long` there) that
        # does not end a run here: a foreign sentence in a publisher's voice, say.
        for length in range(len(run), 0, -1):
            part = sure[:length]
            if max(part) >= RUN_ANCHOR and sum(part) / length >= RUN_MEAN:
                for i in run[:length]:
                    if i not in taken and not already_removed[i]:
                        found.setdefault(i, Verdict(i, scores[i], f"{where}-run"))
                break
    if len(found) + len(taken) + sum(already_removed) >= count:
        return []
    return list(found.values())


def _is_article_prose(score: float, real_words: int, words: int, joins: bool, text: str) -> bool:
    """Whether a block ends an edge run: the article's prose, not the publisher talking.
    JOINS: the block is known to continue a run (see `_whole_runs`). Otherwise a sentence
    joins a run only if it speaks to the reader (you, we, please) or the model is sure of it
    on its own."""
    if joins:
        return False
    if real_words >= PROSE_WORDS and score < PROSE_SCORE:
        return True
    if words < LONG:
        return False
    if speaks_to_reader(text):
        return score < (ARTICLE_SCORE if addresses_reader(text) else WE_SCORE)
    return score < SURE_SCORE


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
    path = resources.files("summarise_agent.cleaning").joinpath(MODEL_FILE)
    text = path.read_text(encoding="utf-8")
    return BlockModel.from_json(json.loads(text))
