"""A perturbation generator for grounding: true quotes taken from an article, then altered.

Meaning changes must never be verified; benign variants of a true quote must be. Each case is
(kind, class, quote). The generator works on any English article (our own under articles/ and
the shared news corpus); its word lists are ordinary English, chosen independently of the
grounding code's rules (a variant is produced by plain string edits, never by calling them).
A meaning change that happens to read like another passage of the article is dropped.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MEANING = "meaning"
BENIGN = "benign"

AUXILIARIES = ("is", "are", "was", "were", "will", "would", "can", "could", "should", "has",
               "have", "had", "must", "may", "might", "did", "does", "do")  # fmt: skip
NEGATIONS = {"not": "", "never": "", "no": "some", "cannot": "can", "nothing": "something",
             "none": "all", "without": "with", "nobody": "everybody"}  # fmt: skip
ANTONYMS = {
    "supports": "opposes", "support": "oppose", "supported": "opposed", "accept": "reject",
    "accepted": "rejected", "increase": "decrease", "increased": "decreased", "rise": "fall",
    "rose": "fell", "more": "less", "agree": "disagree", "agreed": "refused", "win": "lose",
    "won": "lost", "allow": "ban", "before": "after", "after": "before", "approve": "veto",
    "higher": "lower", "strong": "weak", "new": "old", "first": "last", "up": "down",
    "open": "closed", "success": "failure", "better": "worse", "cuts": "rises",
    "backed": "rejected", "welcomed": "condemned", "will": "won't", "must": "need not",
    "always": "never", "all": "some", "majority": "minority", "yes": "no", "right": "wrong",
}  # fmt: skip
NUMBER_WORDS = {"one": "two", "two": "three", "three": "four", "four": "five", "five": "six",
                "six": "seven", "ten": "twelve", "hundred": "thousand", "thousand": "million",
                "million": "billion", "half": "third", "dozen": "score"}  # fmt: skip
OTHER_NAMES = ("Lisbon", "Norway", "Merkel", "Obama", "Chirac", "Sweden", "Brazil", "Putin",
               "Oxford", "Madrid", "Thompson", "Nakamura", "Canada", "Egypt")  # fmt: skip
SPELLING_PAIRS = (
    ("colour", "color"), ("labour", "labor"), ("favour", "favor"), ("honour", "honor"),
    ("behaviour", "behavior"), ("neighbour", "neighbor"), ("organise", "organize"),
    ("organisation", "organization"), ("recognise", "recognize"), ("realise", "realize"),
    ("criticise", "criticize"), ("criticised", "criticized"), ("apologise", "apologize"),
    ("privatisation", "privatization"), ("analyse", "analyze"), ("centre", "center"),
    ("theatre", "theater"), ("metre", "meter"), ("defence", "defense"), ("licence", "license"),
    ("offence", "offense"), ("travelled", "traveled"), ("cancelled", "canceled"),
    ("modelling", "modeling"), ("labelled", "labeled"), ("catalogue", "catalog"),
    ("programme", "program"), ("judgement", "judgment"), ("grey", "gray"),
    ("sceptical", "skeptical"), ("paediatric", "pediatric"), ("manoeuvre", "maneuver"),
    ("fulfil", "fulfill"), ("enrolment", "enrollment"), ("ageing", "aging"),
    ("emphasise", "emphasize"), ("summarised", "summarized"), ("harbour", "harbor"),
    ("rumours", "rumors"), ("endeavour", "endeavor"), ("dialogue", "dialog"),
    ("jewellery", "jewelry"), ("towards", "toward"), ("counsellor", "counselor"),
)  # fmt: skip
TYPOGRAPHY = {'"': "\u201c", "'": "\u2019", "-": "\u2013", "\u201c": '"', "\u201d": '"',
              "\u2019": "'", "\u2013": "-", "\u2014": "-"}  # fmt: skip


@dataclass(frozen=True)
class Case:
    kind: str  # MEANING or BENIGN
    name: str  # the alteration, e.g. "negation-inserted"
    quote: str
    original: str  # the true quote it came from


def sentences(article: str) -> list[tuple[int, str]]:
    """(paragraph index, sentence) for every sentence of 6 to 45 words."""
    found = []
    for number, paragraph in enumerate(re.split(r"\n\s*\n", article)):
        for sentence in re.split(
            r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d']))\s+(?=[\"\u201c'A-Z])", paragraph
        ):
            words = sentence.split()
            if 6 <= len(words) <= 45:
                found.append((number, " ".join(words)))
    return found


def folded(text: str) -> str:
    text = "".join(TYPOGRAPHY.get(char, char) for char in text).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def cases(article: str, rng: random.Random, per_sentence: int = 1) -> Iterator[Case]:
    pool = sentences(article)
    article_folded = f" {folded(article)} "
    for paragraph, sentence in pool:
        for maker in rng.sample(MAKERS, k=min(len(MAKERS), per_sentence * 6)):
            made = maker(sentence, pool, paragraph, rng)
            if made is None:
                continue
            kind, name, quote = made
            if kind == MEANING and f" {folded(quote)} " in article_folded:
                continue  # the change reads as another passage of the article
            yield Case(kind, name, quote, sentence)


Made = tuple[str, str, str] | None


def _replace_word(sentence: str, table: dict[str, str], rng: random.Random) -> str | None:
    words = sentence.split(" ")
    spots = [i for i, word in enumerate(words) if word.lower().strip(".,;:\"'") in table]
    if not spots:
        return None
    at = rng.choice(spots)
    core = words[at].strip(".,;:\"'")
    replacement = table[core.lower()]
    if core[:1].isupper():
        replacement = replacement[:1].upper() + replacement[1:]
    words[at] = words[at].replace(core, replacement)
    return " ".join(word for word in words if word)


def negation_inserted(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    words = sentence.split(" ")
    spots = [i for i, word in enumerate(words[:-1]) if word.lower() in AUXILIARIES
             and words[i + 1].lower() not in ("not", "never", "n't")]  # fmt: skip
    if not spots:
        return None
    at = rng.choice(spots)
    return MEANING, "negation-inserted", " ".join([*words[: at + 1], "not", *words[at + 1 :]])


def negation_removed(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    if re.search(r"n[\u2019']t\b", sentence):
        return MEANING, "negation-removed", re.sub(r"n[\u2019']t\b", "", sentence, count=1)
    changed = _replace_word(sentence, NEGATIONS, rng)
    return (MEANING, "negation-removed", " ".join(changed.split())) if changed else None


def negation_elided(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    words = sentence.split(" ")
    spots = [i for i, word in enumerate(words) if word.lower().strip(".,") in NEGATIONS
             or re.search(r"n[\u2019']t$", word)]  # fmt: skip
    spots = [i for i in spots if 0 < i < len(words) - 1]
    if not spots:
        return None
    at = rng.choice(spots)
    before = words[max(0, at - rng.randint(2, 5)) : at]
    after = words[at + 1 : at + 1 + rng.randint(2, 6)]
    return MEANING, "negation-elided", " ".join(before) + " ... " + " ".join(after)


def number_changed(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    digits = list(re.finditer(r"\d+", sentence))
    if digits:
        found = rng.choice(digits)
        value = int(found.group())
        new = str(value + rng.choice([1, 2, 10, -1])) if value > 1 else str(value + 3)
        return MEANING, "number-changed", sentence[: found.start()] + new + sentence[found.end() :]
    changed = _replace_word(sentence, NUMBER_WORDS, rng)
    return (MEANING, "number-changed", changed) if changed else None


def name_swapped(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    words = sentence.split(" ")
    spots = [i for i, word in enumerate(words) if i > 0 and word[:1].isupper()
             and word.strip(".,;:'\"\u2019s").isalpha() and len(word) > 2]  # fmt: skip
    if not spots:
        return None
    at = rng.choice(spots)
    core = re.sub(r"[^\w].*$", "", words[at])
    if not core:
        return None
    words[at] = words[at].replace(core, rng.choice([n for n in OTHER_NAMES if n != core]), 1)
    return MEANING, "name-swapped", " ".join(words)


def antonym(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    changed = _replace_word(sentence, ANTONYMS, rng)
    return (MEANING, "antonym", changed) if changed else None


def word_substituted(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    """One content word replaced by another word of the article."""
    words = sentence.split(" ")
    vocabulary = sorted({w.strip(".,;:\"'").lower() for _, s in pool for w in s.split()
                         if len(w.strip(".,;:\"'")) > 4 and w.strip(".,;:\"'").isalpha()})  # fmt: skip
    spots = [i for i, word in enumerate(words) if len(word.strip(".,;:\"'")) > 4]
    if not spots or len(vocabulary) < 2:
        return None
    at = rng.choice(spots)
    core = words[at].strip(".,;:\"'")
    other = rng.choice([w for w in vocabulary if w != core.lower()])
    words[at] = words[at].replace(core, other)
    return MEANING, "word-substituted", " ".join(words)


def distant_splice(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    far = [s for p, s in pool if abs(p - paragraph) >= 2]
    if not far:
        return None
    other = rng.choice(far).split(" ")
    head = sentence.split(" ")[: rng.randint(3, 6)]
    tail = other[-rng.randint(3, 6) :]
    if folded(" ".join(head)) in folded(" ".join(other)):
        return None  # the far sentence says the head too: an honest elision of it
    joiner = rng.choice([" ... ", " \u2026 ", " [...] ", " "])
    return MEANING, "distant-splice", " ".join(head) + joiner + " ".join(tail)


def fabricated(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    words = [w for _, s in pool for w in s.split(" ")]
    made = " ".join(rng.sample(words, k=min(len(words), rng.randint(6, 12))))
    return MEANING, "fabricated", made


def typography(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    changed = "".join(TYPOGRAPHY.get(char, char) for char in sentence)
    if changed == sentence:
        changed = sentence.replace(" - ", " \u2014 ")
    return (BENIGN, "typography", changed) if changed != sentence else None


def whitespace_and_case(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    words = sentence.split(" ")
    joined = "".join(word + rng.choice([" ", "  ", "\n", " \t"]) for word in words).strip()
    return BENIGN, "whitespace-case", rng.choice([joined, joined.upper(), joined.lower()])


def clause(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    words = sentence.split(" ")
    start = rng.randint(0, len(words) // 2)
    end = rng.randint(start + 3, len(words))
    return BENIGN, "clause", " ".join(words[start:end])


def short_elision(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    words = sentence.split(" ")
    if len(words) < 10:
        return None
    start = rng.randint(2, len(words) - 6)
    end = start + rng.randint(1, 4)
    omitted = " ".join(words[start:end]).lower()
    if re.search(r"\d|n[\u2019']t\b|\b(not|no|never|nor|neither|without|none|nothing|nobody|"
                 r"nowhere|hardly|barely|scarcely|cannot|unless|one|two|three|four|five|six|"
                 r"seven|eight|nine|ten|twice|hundreds?|thousands?|millions?|billions?|half|"
                 r"dozens?|first|second|third)\b", omitted):  # fmt: skip
        return None
    marker = rng.choice([" ... ", " \u2026 ", " [...] ", "... "])
    return BENIGN, "short-elision", " ".join(words[:start]) + marker + " ".join(words[end:])


def spelling(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    for british, american in SPELLING_PAIRS:
        for ours, theirs in ((british, american), (american, british)):
            pattern = re.compile(rf"\b{ours}", re.IGNORECASE)
            found = pattern.search(sentence)
            if (found and not sentence[found.end() : found.end() + 1].isalpha()) or (
                found and sentence[found.end() :].startswith(("s ", "s,", "s."))
            ):
                replacement = theirs if found.group()[0].islower() else theirs.capitalize()
                return (
                    BENIGN,
                    "spelling",
                    sentence[: found.start()] + replacement + sentence[found.end() :],
                )
    return None


def article_or_honorific(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    for pattern, replacement in ((r"\b(Mr|Mrs|Ms|Dr|Sir) (?=[A-Z])", ""), (r"\bthe (?=[a-z])", ""),
                                 (r"\ba (?=[a-z])", "")):  # fmt: skip
        if re.search(pattern, sentence):
            return BENIGN, "article-honorific", re.sub(pattern, replacement, sentence, count=1)
    names = [m for m in re.finditer(r"(?<=[a-z] )([A-Z][a-z]{3,})\b", sentence)]
    if names:
        found = rng.choice(names)
        return (
            BENIGN,
            "article-honorific",
            sentence[: found.start()] + "Mr " + sentence[found.start() :],
        )
    return None


def hyphenation(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    found = re.search(r"\b([a-z]+)-([a-z]+)\b", sentence)
    if found:
        joiner = rng.choice([" ", ""])
        return (
            BENIGN,
            "hyphenation",
            sentence[: found.start()]
            + found.group(1)
            + joiner
            + found.group(2)
            + sentence[found.end() :],
        )
    return None


def diacritics(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", sentence) if not unicodedata.combining(c)
    )
    if plain != unicodedata.normalize("NFKD", sentence).replace("\u0301", ""):
        return BENIGN, "diacritics", plain
    if plain != sentence:
        return BENIGN, "diacritics", plain
    return None


def punctuation(sentence: str, pool: list, paragraph: int, rng: random.Random) -> Made:
    changed = re.sub(r"[,;:]", "", sentence).rstrip(".!?\"'\u201d")
    return (BENIGN, "punctuation", changed) if changed != sentence else None


MAKERS = [negation_inserted, negation_removed, negation_elided, number_changed, name_swapped,
          antonym, word_substituted, distant_splice, fabricated, typography, whitespace_and_case,
          clause, short_elision, spelling, article_or_honorific, hyphenation, diacritics,
          punctuation]  # fmt: skip
