"""Apply the boilerplate rules to a document's paragraphs; record every removal.

The document is a list of paragraphs, each a list of lines. Rules run in file order; a line
taken by one rule is not seen by later ones. Every rule is written to be sure rather than
thorough: a line or paragraph that only looks a bit like boilerplate stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from summarise_agent.cleaning.model import BlockModel, Verdict
from summarise_agent.cleaning.prefilter import GatedPattern, per_document
from summarise_agent.cleaning.records import Removal
from summarise_agent.cleaning.rules import Rule

# Chinese and Japanese are written without spaces: each ideograph or kana counts as a word,
# so length limits mean roughly the same amount of text in every language.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
# List bullets and separator bars around a line, ignored when matching it against a rule.
_LEADING_DECORATION = re.compile(r"^(?:[-\u2013\u2014•*·▪►>|]\s*)+")
_TRAILING_DECORATION = " \t|»\u203a"
# A line that ends a sentence (or a clause): prose, not a link title in a list.
_SENTENCE_END = re.compile(r"[.:;,][\"'\u201d\u2019)\]]*$")
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", ": ", " :: ", " · ")


@per_document  # rules ask about the same paragraph several times
def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class _Document:
    """Paragraphs flattened to lines, with the rule (if any) that removed each line."""

    lines: list[str]
    paragraph_of: list[int]
    removed_by: list[Rule | None] = field(default_factory=list)
    matchable: list[str] = field(default_factory=list)  # each line as rules see it
    words: list[int] = field(default_factory=list)  # word count of each matchable line

    @classmethod
    def of(cls, paragraphs: Sequence[Sequence[str]]) -> _Document:
        lines = [line for paragraph in paragraphs for line in paragraph]
        owners = [index for index, paragraph in enumerate(paragraphs) for _ in paragraph]
        matchable_lines = [matchable(line) for line in lines]
        words = [word_count(line) for line in matchable_lines]
        return cls(lines, owners, [None] * len(lines), matchable_lines, words)

    def live(self) -> list[int]:
        return [i for i, rule in enumerate(self.removed_by) if rule is None]

    def live_paragraphs(self) -> list[list[int]]:
        """Line indexes of each paragraph that still has lines, in order."""
        grouped: dict[int, list[int]] = {}
        for i in self.live():
            grouped.setdefault(self.paragraph_of[i], []).append(i)
        return list(grouped.values())

    def text_of(self, indexes: list[int]) -> str:
        return " ".join(self.lines[i] for i in indexes)


def remove_boilerplate(
    paragraphs: Sequence[Sequence[str]],
    rules: Sequence[Rule],
    *,
    title: str | None = None,
    model: BlockModel | None = None,
    from_html: bool = False,
) -> tuple[list[list[str]], list[Removal]]:
    """The paragraphs left once RULES, then MODEL, have run, and what each removed (in order).

    The rules are precise and run first; the model judges every paragraph (in the context of
    the whole text, rule-removed ones included) and removes what it is sure enough of.
    """
    document = _Document.of(paragraphs)
    appliers: dict[str, Callable[[_Document, Rule], None]] = {
        "line": _apply_line_rule,
        "block": _apply_block_rule,
        "section": _apply_section_rule,
        "duplicate": _apply_duplicate_rule,
        "headline": lambda doc, rule: _apply_headline_rule(doc, rule, title),
    }
    for rule in rules:
        appliers[rule.kind](document, rule)
    if model is not None:
        _apply_model(document, model, from_html)
    kept = [[document.lines[i] for i in indexes] for indexes in document.live_paragraphs()]
    return kept, _removals(document)


def matchable(line: str) -> str:
    """LINE without list bullets or separator bars, as rules see it."""
    return _LEADING_DECORATION.sub("", line.strip(), count=1).rstrip(_TRAILING_DECORATION)


_T = TypeVar("_T")
_Derived = dict[tuple[str, str], tuple[Rule, Any]]
_DERIVED: _Derived = {}


def _derived(rule: Rule, kind: str, make: Callable[[Rule], _T]) -> _T:
    """What a rule compiles to, made once per rule: looked up by its id and checked to be the
    same rule (functools.cache would hash the frozen dataclass's every field on each call)."""
    found = _DERIVED.get((rule.id, kind))
    if found is None or found[0] is not rule:
        found = _DERIVED[(rule.id, kind)] = (rule, make(rule))
    return found[1]


def _any_pattern(rule: Rule) -> re.Pattern[str]:
    """One anchored regex for all of a line rule's patterns: one fullmatch per line, not many."""
    return _derived(rule, "any", _compile_any)


def _compile_any(rule: Rule) -> re.Pattern[str]:
    sources = [pattern.pattern for pattern in rule.patterns]
    flags = rule.patterns[0].flags
    return re.compile("|".join(f"(?:{source})" for source in sources), flags)


def _line_matches(
    rule: Rule, document: _Document, i: int, pattern: re.Pattern[str] | None = None
) -> bool:
    if document.words[i] > rule.max_words:
        return False
    pattern = pattern or _any_pattern(rule)  # looked up once per rule by callers in a loop
    return pattern.fullmatch(document.matchable[i]) is not None


def _apply_line_rule(document: _Document, rule: Rule) -> None:
    pattern = _any_pattern(rule)
    for i in document.live():
        if _line_matches(rule, document, i, pattern):
            document.removed_by[i] = rule


def _signals_found(rule: Rule, text: str) -> int:
    return sum(1 for signal in rule.signals if signal.search(text))


def _block_fires(rule: Rule, text: str) -> bool:
    if word_count(text) > rule.max_words:
        return False
    patterns, signals = _lower_case_patterns(rule)
    low = text.lower()
    if any(pattern.search(low if lowered else text) for pattern, lowered in patterns):
        return True
    if not signals:
        return False
    found = 0
    for signal, lowered in signals:  # stops at the number needed: long pages have many blocks
        found += signal.search(low if lowered else text) is not None
        if found >= rule.min_signals:
            return True
    return False


_Matcher = tuple[GatedPattern, bool]  # a pattern; True: match it on lower-cased text


def _lower_case_patterns(rule: Rule) -> tuple[tuple[_Matcher, ...], tuple[_Matcher, ...]]:
    """RULE's block patterns and signals, each compiled for lower-cased text when that gives
    the same matches: a case-insensitive alternation is several times slower in Python's regex
    engine than the same pattern on lower-cased text, and block rules search every paragraph."""
    return _derived(rule, "lower", _compile_lower_case)


def _compile_lower_case(rule: Rule) -> tuple[tuple[_Matcher, ...], tuple[_Matcher, ...]]:
    return tuple(map(_for_lower_case, rule.patterns)), tuple(map(_for_lower_case, rule.signals))


def _for_lower_case(pattern: re.Pattern[str]) -> _Matcher:
    letters = re.sub(r"\\.", "", pattern.pattern)  # escapes such as \S, \W stay as they are
    if (
        not pattern.flags & re.IGNORECASE
        or any(c.isupper() for c in letters)
        or re.search(r"\\[xuUN]", pattern.pattern)  # a character given by its code
    ):
        return GatedPattern(pattern), False
    return GatedPattern(re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)), True


def _apply_block_rule(document: _Document, rule: Rule) -> None:
    paragraphs = document.live_paragraphs()
    texts = [document.text_of(indexes) for indexes in paragraphs]
    fired = [_block_fires(rule, text) for text in texts]
    if rule.spread:
        fired = _spread(rule, texts, fired)
    for indexes, hit in zip(paragraphs, fired, strict=True):
        if hit:
            for i in indexes:
                document.removed_by[i] = rule


def _spread(rule: Rule, texts: list[str], fired: list[bool]) -> list[bool]:
    """Grow each run of fired paragraphs over neighbours that show one of the rule's signals.

    A multi-paragraph appeal ("Dear readers," / the appeal / "Remind me later") is sure as a
    whole even where a single paragraph of it is not.
    """
    result = list(fired)
    for step in (1, -1):
        indexes = range(len(texts)) if step == 1 else range(len(texts) - 1, -1, -1)
        for i in indexes:
            neighbour = i - step
            if result[i] or not 0 <= neighbour < len(texts) or not result[neighbour]:
                continue
            text = texts[i]
            if word_count(text) <= rule.max_words and (
                _signals_found(rule, text) or any(p.search(text) for p in rule.patterns)
            ):
                result[i] = True
    return result


def _is_link_title(rule: Rule, document: _Document, i: int) -> bool:
    words = document.words[i]
    return 0 < words <= rule.item_max_words and not _SENTENCE_END.search(document.matchable[i])


def _apply_section_rule(document: _Document, rule: Rule) -> None:
    """A heading such as "Related stories", then the link titles listed under it."""
    live = document.live()
    position = 0
    while position < len(live):
        i = live[position]
        position += 1
        if not _line_matches(rule, document, i):
            continue
        document.removed_by[i] = rule
        taken = 0
        while position < len(live) and taken < rule.max_items:
            item = live[position]
            following = live[position + 1] if position + 1 < len(live) else None
            # A short line straight before prose is the next article's (or this article's)
            # headline or subheading, not a link in the list: keep it and stop.
            if not _is_link_title(rule, document, item) or (
                following is not None and not _is_link_title(rule, document, following)
            ):
                break
            document.removed_by[item] = rule
            position += 1
            taken += 1


def _paragraph_key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _apply_duplicate_rule(document: _Document, rule: Rule) -> None:
    """Runs of at least `min_run` paragraphs repeating an earlier run in the same order.

    A single repeated paragraph is often the article's own (an interviewer's recurring
    question, a recipe's "Eat every 2-3 hours"), and so is a short repeated section (a meal
    plan's "Pre-workout meal" for each day); a page rendered twice repeats a large share of
    its text (`min_share` of its words).
    """
    paragraphs = document.live_paragraphs()
    keys = [_paragraph_key(document.text_of(indexes)) for indexes in paragraphs]
    total = sum(document.words[i] for indexes in paragraphs for i in indexes)
    first_seen: dict[str, int] = {}
    position = 0
    while position < len(keys):
        length = _repeated_run(keys, position, first_seen)
        run = paragraphs[position : position + length]
        words = sum(word_count(document.text_of(indexes)) for indexes in run)
        if length >= rule.min_run and words >= max(rule.min_words, rule.min_share * total):
            for indexes in run:
                for i in indexes:
                    document.removed_by[i] = rule
        for offset in range(max(length, 1)):
            first_seen.setdefault(keys[position + offset], position + offset)
        position += max(length, 1)


def _repeated_run(keys: list[str], position: int, first_seen: dict[str, int]) -> int:
    """How many paragraphs from POSITION on repeat, in order, those from an earlier one."""
    start = first_seen.get(keys[position])
    if start is None:
        return 0
    length = 0
    while (
        position + length < len(keys)
        and start + length < position
        and keys[start + length] == keys[position + length]
    ):
        length += 1
    return length


def _apply_headline_rule(document: _Document, rule: Rule, title: str | None) -> None:
    """The page's headline at the top of the text, already kept as the title metadata."""
    paragraphs = document.live_paragraphs()
    if not title or not paragraphs:
        return
    first = paragraphs[0]
    text = document.text_of(first)
    if word_count(text) > rule.max_words or not _same_headline(text, title):
        return
    for i in first:
        document.removed_by[i] = rule


def _same_headline(text: str, title: str) -> bool:
    key, title_key = _paragraph_key(text), _paragraph_key(title)
    if not key:
        return False
    if key == title_key:
        return True
    # Page titles often carry the site's name: "Headline | Site", "Site - Headline".
    return any(
        title.startswith(text + separator) or title.endswith(separator + text)
        for separator in _TITLE_SEPARATORS
    )


_WHERE = {
    "start": "in the run of boilerplate at the start of the text",
    "end": "in the run of boilerplate at the end of the text",
    "middle": "inside the text, above the stricter threshold for the middle",
    "start-appeal": "continuing a publisher's appeal removed at the start of the text",
    "end-appeal": "continuing a publisher's appeal removed at the end of the text",
    "start-run": "in a run at the start of the text whose mean score is high",
    "end-run": "in a run at the end of the text whose mean score is high",
}


def _apply_model(document: _Document, model: BlockModel, from_html: bool) -> None:
    """Mark the paragraphs the model removes, each with its own reason (its score)."""
    groups: dict[int, list[int]] = {}
    for i, owner in enumerate(document.paragraph_of):
        groups.setdefault(owner, []).append(i)
    paragraphs = list(groups.values())
    texts = [document.text_of(indexes) for indexes in paragraphs]
    removed = [all(document.removed_by[i] is not None for i in ixs) for ixs in paragraphs]
    for verdict in model.verdicts(texts, removed, from_html=from_html):
        reason = _model_rule(verdict)
        for i in paragraphs[verdict.index]:
            if document.removed_by[i] is None:
                document.removed_by[i] = reason


def _model_rule(verdict: Verdict) -> Rule:
    """A one-off rule naming the model's score: every removal says why it happened."""
    return Rule(
        id="model",
        kind="block",
        description=f"Boilerplate model: score {verdict.score:.2f}, {_WHERE[verdict.where]}",
    )


def _removals(document: _Document) -> list[Removal]:
    """One Removal per run of consecutive lines taken by the same rule."""
    removals: list[Removal] = []
    run: list[str] = []
    run_rule: Rule | None = None
    for line, rule in [*zip(document.lines, document.removed_by, strict=True), ("", None)]:
        if rule is not run_rule and run_rule is not None:
            removals.append(Removal(run_rule.id, "\n".join(run), run_rule.description))
            run = []
        run_rule = rule
        if rule is not None:
            run.append(line)
    return removals
