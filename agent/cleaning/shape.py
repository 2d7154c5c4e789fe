"""Features of a block's shape and of its place in the document, for the boilerplate model.

Two ideas that carry across sites (used by `features.block_features`, so training and
inference see the same values):

- **Cohesion.** An article's paragraphs talk about the same things: a paragraph shares its
  content words with the article's other prose. Boilerplate glued to an article (a
  publisher's appeal, a company footer, an author bio, a list of other stories' headlines)
  is about something else. `cohesion` is the share of a block's content words found in the
  document's other prose blocks; `cohesion_far` leaves out the blocks right next to it, so
  two lines of one appeal cannot vouch for each other.
- **Self-descriptions.** A press-release footer or an author bio describes an organisation
  or a person in the present tense, in the third person ("X is a leading provider of ...",
  "Y covers health for ..."), often under an "About ..." heading and next to a contact line.
  These are shapes of sentences, not phrases of one site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from summarise_agent.cleaning.prefilter import gated, per_document

# Words too common to say what a paragraph is about (English; other languages simply get
# their own function words counted, which only lowers cohesion a little for everyone).
_STOPWORD_TEXT = (
    "about above after again against also among another because been before being below "
    "between both could does doing down during each from further have having here into itself "
    "just more most much must only other over same said says should some such than that their "
    "theirs them then there these they this those through under until very were what when "
    "where which while whom with would your yours will shall year years told week month "
    "first last new news like make made many people time times over well back even still"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Tokens (words, numbers; each Chinese, Japanese or Korean character is one): block lengths.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
TOKEN = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+|\d+")
_CONTENT = re.compile(r"[^\W\d_]{4,}")


@per_document  # the features and the model's second stage both count a block's tokens
def tokens_of(text: str) -> list[str]:
    """TEXT's tokens (TOKEN), as written; callers must not change the list."""
    return TOKEN.findall(text)
_STEM = 6  # compare words by their first letters: clinic/clinics, doctor/doctors
FOREIGN_SHARE = 0.25
ABOUT_SPAN = 2
_HEADING_WORDS = 8
PROSE_WORDS = 15  # a block this long is prose that can vouch for a neighbour's topic
FAR = 2  # cohesion_far: prose at least this many blocks away (not a block's own neighbours)

_NAME = r"(?:[A-Z][\w\x27\u2019&.-]*|of|and|for|the|de|van|von|&)"
# "Northgate Freight is a ...", "Acme Inc., a leading ...", "The Gazette is one of ..."
_DEFINITION = re.compile(
    rf"^(?:The\s+)?[A-Z][\w\x27\u2019&.-]*(?:\s+{_NAME}){{0,6}}"
    r"(?:,?\s+(?:Inc|Ltd|LLC|plc|Corp|GmbH|AG|SA)\.?)?,?\s+"
    r"(?:is|are|was founded|has been|a|an)\s+(?:a|an|the|one of|among|leading|global|"
    r"independent|non-?profit|world|privately|publicly)\b"
)
_ORGANISATION = gated(
    r"\b(provider|company|companies|firm|organi[sz]ation|agency|platform|manufacturer|"
    r"developer|operator|charity|non-?profit|network|institute|leader in|leading|headquartered|"
    r"founded|subsidiary|listed on|employs|customers|clients|solutions|services|products|"
    r"portfolio|worldwide|global|offices in|operates|operating|serving|specialis\w+|"
    r"speciali[sz]\w+|nasdaq|nyse|stock exchange)\b"
)
_ROLE = gated(
    r"\b(correspondent|reporter|editor|columnist|journalist|writer|contributor|author|"
    r"producer|presenter|analyst|fellow|professor|freelancer?|photographer|bureau chief|"
    r"critic|commentator|blogger|host|researcher|lecturer|novelist)s?\b"
)
_BIO_VERB = gated(
    r"\b(covers|writes (about|for|on)|reports (on|for|from)|has (reported|written|covered|"
    r"worked|contributed)|joined (the|us|in)|is based in|lives in|previously (worked|wrote|"
    r"covered|was)|holds a|graduated|is the author of|is a (senior|staff|contributing))\b"
)
_PRONOUN_START = re.compile(r"^(he|she|they|his|her|their)\b")
_NAME_START = re.compile(rf"^[A-Z][\w\x27\u2019.-]+(?:\s+{_NAME}){{1,3}}\b")
_ABOUT_HEADING = gated(
    r"^\W*(about|meet|more about|more from|more by|read more about)\b(\s+\S+){0,6}\s*:?\W*$"
)
_SENTENCE = re.compile(r"[.!?\u2026][\"\x27\u201d\u2019)\]]*$")
_CONTACT = gated(
    r"\b((media|press|investor|news) (contacts?|enquiries|inquiries|relations|office)|"
    r"contacts?:|for more information|find out more|learn more at|visit (us|www|https?)|"
    r"source:|tel\.?:|phone:)"
)

# The publisher talking about its own page: "this article", corrections, sponsorship notes.
_META = gated(
    r"\bthis (article|story|piece|post|page|report|content|feature|episode|video)\b|"
    r"\b(an earlier|a previous|the original) version\b|\b(correction|clarification|"
    r"editor\x27s note|editor\u2019s note|disclosure|disclaimer|sponsored|paid (for|content)|"
    r"in partnership with|produced by|supported by)\b"
)
_SELF_TALK = gated(
    r"\b(journalism|journalists|newsroom|readers|subscri\w*|donat\w*|contribut(e|ion|ions)|"
    r"membership|paywall|newsletters?|advertis\w*|ad ?block\w*|premium|free trial|podcasts?|"
    r"support (us|our)|independent (journalism|reporting|media|news)|our (editors|reporters|"
    r"team|staff|website|site|app|journalism|reporting|coverage|work))\b"
)
_YOU = gated(r"\b(you|your|yours|please)\b")
_QUOTE = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
_LINK = gated(r"https?://|www\.|\b[\w.+-]+@[\w-]+\.\w|\.(com|org|net|example)\b")


def lower(text: str) -> str:
    """TEXT in lower case. The word patterns are written in lower case and matched against
    this, not compiled with re.IGNORECASE: case-insensitive alternations are several times
    slower in Python's regex engine, and these run on every block of every article."""
    return text.lower()


SHAPE_NAMES: tuple[str, ...] = (
    "meta",
    "cohesion",
    "cohesion_far",
    "no_content",
    "definition",
    "organisation",
    "role",
    "bio_verb",
    "bio",
    "about_heading",
    "after_about",
    "echoes_heading",
    "contact",
    "near_contact",
)


@per_document  # features and the second stage both ask, per block
def content_words(text: str) -> frozenset[str]:
    """The words that say what TEXT is about, by their stems."""
    words = (w.casefold() for w in _CONTENT.findall(text))
    return frozenset(w[:_STEM] for w in words if w not in _STOPWORDS)


def shape_features(texts: Sequence[str], words: Sequence[int]) -> list[dict[str, float]]:
    """The named shape features of each block (TEXTS, their word counts WORDS)."""
    contents = [content_words(text) for text in texts]
    cohesion = _cohesion(contents, words)
    own = [_own_shape(text) for text in texts]
    values: list[dict[str, float]] = []
    for index, text in enumerate(texts):
        named = {**own[index], **cohesion[index]}
        previous = own[index - 1] if index else {}
        if previous.get("about_heading") or (index > 1 and own[index - 2].get("about_heading")):
            named["after_about"] = 1.0
        if index and _echoes(texts[index - 1], text):
            named["echoes_heading"] = 1.0
        neighbours = [own[i] for i in (index - 1, index + 1) if 0 <= i < len(texts)]
        if any(other.get("contact") for other in neighbours):
            named["near_contact"] = 1.0
        values.append({name: value for name, value in named.items() if value})
    return values


def foreign_blocks(texts: Sequence[str], words: Sequence[int]) -> list[bool]:
    """Whether each block is foreign to the article: it shares at most one content word with
    the document's other prose and under a quarter of its own (neighbours included: generous,
    so an article's own sentence is rarely called foreign). WORDS: their token counts."""
    contents = [content_words(text) for text in texts]
    counts: Counter[str] = Counter()
    for text_words, content in zip(words, contents, strict=True):
        if text_words >= PROSE_WORDS:
            counts.update(content)
    foreign = []
    for text_words, content in zip(words, contents, strict=True):
        own = text_words >= PROSE_WORDS
        shared = sum(1 for word in content if counts[word] - own > 0)
        foreign.append(bool(content) and shared <= 1 and shared < FOREIGN_SHARE * len(content))
    return foreign


def speaks_as_publisher(text: str) -> bool:
    """Whether TEXT has a sign of a publisher's or company's own voice: talk of its page
    ("this article", a correction, a sponsor), of its business (readers, subscriptions,
    newsletters), a self-description (an organisation or a writer), or a contact address."""
    own = _own_shape(text)
    low = lower(text)
    return bool(
        own["meta"]
        or own["definition"]
        or own["bio"]
        or own["contact"]
        or own["organisation"] >= 2 / 3
        or _SELF_TALK.search(low)
        or _LINK.search(low)
    )


def pitches_to_reader(text: str) -> bool:
    """Whether TEXT is the publisher pitching to the reader: it says "you" (or "please")
    outside quotation marks and talks of its page or its business ("If you enjoyed this
    article...", "By joining X Plus you support our work"). "We" and "us" do not count: a
    story says "the US", and its sources say "we"."""
    if _QUOTE.search(text):
        return False
    low = lower(text)
    return bool(_YOU.search(low)) and bool(_META.search(low) or _SELF_TALK.search(low))


def about_sections(texts: Sequence[str]) -> list[bool]:
    """Whether each block is an "About ..." heading ("About the author", "About Acme Corp")
    or one of the (at most ABOUT_SPAN) sentences right under it: where a site describes
    itself, a company or a writer. The section ends at the next line that is not a sentence
    (a contact line, the article's own headline)."""
    inside = [False] * len(texts)
    for index, text in enumerate(texts):
        if len(text.split()) <= _HEADING_WORDS and _ABOUT_HEADING.search(lower(text)):
            inside[index] = True
            for i in range(index + 1, min(index + ABOUT_SPAN + 1, len(texts))):
                if not _SENTENCE.search(texts[i]):
                    break
                inside[i] = True
    return inside


@per_document  # callers must not change the dict
def _own_shape(text: str) -> dict[str, float]:
    low = lower(text)
    definition = bool(_DEFINITION.search(text))
    role = bool(_ROLE.search(low))
    bio_verb = bool(_BIO_VERB.search(low))
    person_start = bool(_NAME_START.search(text) or _PRONOUN_START.search(low))
    return {
        "meta": float(bool(_META.search(low))),
        "definition": float(definition),
        "organisation": min(len(_ORGANISATION.findall(low)) / 3, 1.0),
        "role": float(role),
        "bio_verb": float(bio_verb),
        "bio": float(person_start and (bio_verb or (role and definition))),
        "about_heading": float(
            len(text.split()) <= _HEADING_WORDS and bool(_ABOUT_HEADING.search(low))
        ),
        "contact": float(bool(_CONTACT.search(low))),
    }


def _echoes(heading: str, text: str) -> bool:
    """Whether TEXT starts with the name a short heading line just above it gives ("About
    Northgate Freight" over "Northgate Freight is ...")."""
    if len(heading.split()) > 8:
        return False
    name = re.sub(r"^\W*(about|meet|more about)\s+", "", heading.strip(), flags=re.I)
    name = name.strip(" :")
    return len(name) >= 3 and name[:1].isupper() and text.startswith(name)


def _cohesion(contents: list[frozenset[str]], words: Sequence[int]) -> list[dict[str, float]]:
    """Share of each block's content words found in the document's other prose blocks."""
    prose = {i for i, count in enumerate(words) if count >= PROSE_WORDS}
    counts: Counter[str] = Counter()
    for i in prose:
        counts.update(contents[i])
    results: list[dict[str, float]] = []
    for index, content in enumerate(contents):
        if not content:
            results.append({"no_content": 1.0})
            continue
        in_prose = index in prose
        shared = sum(1 for w in content if counts[w] - in_prose > 0)
        near = [i for i in range(index - FAR + 1, index + FAR) if i != index and i in prose]
        near_counts = Counter(w for i in near for w in contents[i] & content)
        far = sum(1 for w in content if counts[w] - in_prose - near_counts[w] > 0)
        results.append({"cohesion": shared / len(content), "cohesion_far": far / len(content)})
    return results
