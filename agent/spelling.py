"""One comparison key per word, shared by British and American spellings and by accented and
unaccented forms, for grounding's `fuzzy` match (agent/alignment.py).

The rules are algorithmic (suffix patterns), not a list of our fixtures' words. Each rule needs
a stem long enough that it cannot merge two different common words: `colour` and `color` share
a key, `four` and `for` do not; `travelled` and `traveled` do, `filled` and `filed` do not.
Both sides of a comparison go through the same rules, so a rule can only ever make two
spellings equal, never change what a single spelling means. Words spelt with a capital in the
text (names: Michael, Israel) only lose their diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# (pattern, replacement), applied in order to a lower-case, diacritic-free word
_SUFFIX_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # colour/color, labourer/laborer, favourite/favorite, honourable/honorable
        (r"(?<=[a-z][a-z])our"
         r"(?=(s|ed|ing|er|ers|ite|ites|able|ably|ful|less|ist|ists|ism|hood|y)?$)", "or"),
        # organise/organize, realisation/realization, recognised/recognized
        (r"(?<=[a-z]{3})iz(?=(e|es|ed|ing|ation|ations|er|ers)$)", "is"),
        # analyse/analyze, paralysed/paralyzed
        (r"(?<=[a-z]{2})yz(?=(e|es|ed|ing|er|ers)$)", "ys"),
        # centre/center, theatres/theaters, fibre, meagre, manoeuvre; centred/centered
        (r"(?<=[a-z]{2}[tbgv])re(?=s?$)", "er"),
        (r"(?<=[a-z]{2}[tbgv])red$", "ered"),
        # catalogue/catalog, dialogues/dialogs
        (r"(?<=[a-z]{3})ogue(?=s?$)", "og"),
        # defence/defense, licence/license, offences/offenses
        (r"(?<=[a-z]{3})ence(?=s?$)", "ense"),
        # travelled/traveled, cancelling/canceling, signalled/signaled, counsellor/counselor
        (r"(?<=[a-z]{2}[aeiou])ll(?=(ed|ing|er|ers|or|ors|ation|ous)$)", "l"),
        # kidnapped/kidnaped, worshipping/worshiping
        (r"(?<=[a-z]{3}[aeiou])pp(?=(ed|ing|er|ers)$)", "p"),
        # fulfill/fulfil, enrollment/enrolment, installment/instalment
        (r"(?<=[a-z]{4})ll(?=(s|ment|ments)?$)", "l"),
        # programme/program, grammes/grams
        (r"(?<=[a-z]{4})mme(?=s?$)", "m"),
        # judgement/judgment, acknowledgement/acknowledgment
        (r"dgement(?=s?$)", "dgment"),
        # ageing/aging
        (r"(?<=[a-z])geing$", "ging"),
    )
)  # fmt: skip
# paediatric/pediatric, anaemia/anemia, archaeology (lower-case words only); `oe` is left to
# the table below: as a rule it would merge poet with pet and coexist with cexist
_DIGRAPH = re.compile(r"(?<=[a-z])ae(?=[a-z]{2})")
# Pairs no suffix rule covers; each a regular British/American pair, keyed to one spelling.
_IRREGULAR = {
    "grey": "gray", "greys": "grays", "tyre": "tire", "tyres": "tires", "cheque": "check",
    "cheques": "checks", "kerb": "curb", "plough": "plow", "ploughs": "plows", "mould": "mold",
    "moulds": "molds", "smoulder": "smolder", "aluminium": "aluminum", "sceptic": "skeptic",
    "sceptical": "skeptical", "scepticism": "skepticism", "sceptics": "skeptics",
    "jewellery": "jewelry", "aeroplane": "airplane", "aeroplanes": "airplanes",
    "draught": "draft", "pyjamas": "pajamas", "towards": "toward", "afterwards": "afterward",
    "storey": "story", "storeys": "stories", "whisky": "whiskey", "practise": "practice",
    "practised": "practiced", "practising": "practicing", "arse": "ass", "mum": "mom",
    "cosy": "cozy", "doughnut": "donut", "gaol": "jail", "moustache": "mustache",
    "foetus": "fetus", "foetal": "fetal", "manoeuvre": "maneuver", "manoeuvres": "maneuvers",
    "oestrogen": "estrogen", "diarrhoea": "diarrhea", "oesophagus": "esophagus",
    "amoeba": "ameba", "homoeopathy": "homeopathy",
}  # fmt: skip


def strip_diacritics(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """The key of one word as written (case matters only to tell names from common words)."""
    plain = strip_diacritics(word)
    lowered = plain.lower().replace("æ", "ae").replace("œ", "oe")
    if not lowered.isalpha() or len(lowered) < 4:
        return lowered
    key = _IRREGULAR.get(lowered, lowered)
    for pattern, replacement in _SUFFIX_RULES:
        key = pattern.sub(replacement, key)
    return key if plain[:1].isupper() else _DIGRAPH.sub("e", key)
