"""Actors are grounded too: an actor's name, or a recognisable part of it, must be in the article.

`name_match` (added by the program to each actor, see docs/output.md):
- full: the whole name is in the article, as whole words (case, diacritics, spelling folded);
- part: a recognisable part is: a significant name word written with a capital in the article
  (`Macron` for Emmanuel Macron, `Commission` for the European Commission), an acronym of the
  name's initials (`EU`, `NATO`) or the words an acronym stands for, or, for a country, another
  name or demonym from agent/data/demonyms.tsv (`French` for France, `UK` or `British` for the
  United Kingdom);
- not_found: none of these; the actor is reported like an unverified quote.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from importlib import resources

from summarise_agent.alignment import NEUTRAL_WORDS, token_keys, tokenise

# words that name no one on their own: a match on them alone is no evidence
_NAME_STOPWORDS = (
    frozenset(
        [
            "of",
            "and",
            "for",
            "the",
            "a",
            "an",
            "in",
            "on",
            "at",
            "to",
            "de",
            "la",
            "le",
            "les",
            "du",
            "des",
            "da",
            "di",
            "del",
            "von",
            "van",
            "der",
            "den",
            "al",
            "el",
            "bin",
            "ibn",
            "y",
            "e",
            "et",
            "und",
            "president",
            "minister",
            "prime",
            "secretary",
            "general",
            "chancellor",
            "king",
            "queen",
            "prince",
            "princess",
            "senator",
            "governor",
            "mayor",
            "chief",
            "leader",
            "head",
            "deputy",
            "vice",
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "ambassador",
            "official",
            "officials",
            "foreign",
            "state",
        ]
    )
    | NEUTRAL_WORDS
)
_ACRONYM_SKIP = frozenset(
    ["of", "and", "for", "the", "de", "la", "du", "des", "on", "in", "to", "&"]
)


class ActorMatch(StrEnum):
    FULL = "full"
    PART = "part"
    NOT_FOUND = "not_found"


@lru_cache(maxsize=1)
def _alias_groups() -> dict[str, tuple[str, ...]]:
    """Each country's name and its other names and demonyms, keyed by every one of them."""
    path = resources.files("summarise_agent").joinpath("data/demonyms.tsv")
    text = path.read_text(encoding="utf-8")
    groups: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        country, _, aliases = line.partition("\t")
        names = (country, *(alias for alias in aliases.split(",") if alias))
        for name in names:
            groups[_phrase_key(name)] = names
    return groups


def _phrase_key(text: str) -> str:
    return " ".join(token.key for token in tokenise(text) if token.key not in NEUTRAL_WORDS)


class ArticleNames:
    """The article's words, as keys, for looking names up."""

    def __init__(self, text: str) -> None:
        pairs = token_keys(text)
        self.text = text
        self.keys = [key for key, _ in pairs]
        self.content = " " + " ".join(key for key in self.keys if key not in NEUTRAL_WORDS) + " "
        self.words = [word for _, word in pairs]
        self.capitalised = {key for key, word in zip(self.keys, self.words, strict=True)
                            if word[:1].isupper()}  # fmt: skip
        self.upper = {word for word in self.words if word.isupper()}

    def has_phrase(self, phrase: str) -> bool:
        key = _phrase_key(phrase)
        return bool(key) and f" {key} " in self.content

    def has_expansion(self, acronym: str) -> bool:
        """Whether capitalised words in the article have `acronym` as their initials."""
        for start, word in enumerate(self.words):
            if word[:1] != acronym[0]:
                continue
            initials = ""
            for later in self.words[start:]:
                if later.lower() in _ACRONYM_SKIP:
                    continue
                if not later[:1].isupper() or len(initials) == len(acronym):
                    break
                initials += later[0]
            if initials == acronym:
                return True
        return False


def match_actor_name(name: str, article: ArticleNames) -> ActorMatch:
    if not any(char.isalpha() for char in name):
        return ActorMatch.NOT_FOUND  # "1", "2": not a name
    if name.strip().isupper() and " " not in name.strip():  # "US" is not "us"
        if name.strip() in article.upper:
            return ActorMatch.FULL
    elif article.has_phrase(name):
        return ActorMatch.FULL
    return ActorMatch.PART if _part_found(name, article) else ActorMatch.NOT_FOUND


def _part_found(name: str, article: ArticleNames) -> bool:
    tokens = tokenise(name)
    words = [name[token.start : token.end] for token in tokens]
    for token, word in zip(tokens, words, strict=True):
        if token.key in _NAME_STOPWORDS or len(token.key) < 2 or not token.key.isalpha():
            continue
        if (
            word.isupper()
            and len(word) >= 2
            and (word in article.upper or article.has_expansion(word))
        ):
            return True
        if token.key in article.capitalised:
            return True
    initials = "".join(word[0] for word in words if word.lower() not in _ACRONYM_SKIP)
    if len(initials) >= 2 and initials.isupper() and initials in article.upper:
        return True
    aliases = _alias_groups().get(_phrase_key(name), ())
    return any(
        alias in article.upper if alias.isupper() else article.has_phrase(alias)
        for alias in aliases
    )
