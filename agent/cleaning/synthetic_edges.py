"""Synthetic boilerplate written in the third person: the kinds that read like prose.

Press-release footers, author bios, paywall cut-offs, lists of other stories' headlines,
editor's notes and disclaimers do not speak to the reader, so the model cannot tell them by
"you" and "subscribe". What they share across sites is a shape: an organisation or a person
described in the present tense under an "About ..." heading, a contact line, a run of
headline-like lines about other subjects. Every part here is drawn from interchangeable
pieces (made-up names, industries, roles, headline parts), so the model learns the shape, not
a sentence. Used only by train.py.
"""

# ruff: noqa: E501  (phrase lists: a sentence per line reads better than a sentence cut in two)

from __future__ import annotations

import random


def _options(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


_SYLLABLES = _options("nor|vel|tra|kes|quil|bri|dan|mor|zen|lum|cor|tal|ver|sol|ax|ori|pen|hal")
_COMPANY_TAILS = _options(
    "Systems|Group|Labs|Holdings|Technologies|Partners|Logistics|Health|Energy|Analytics|Foods|Capital|Networks|Therapeutics|Inc.|Ltd|AG|Media"
)
_INDUSTRIES = _options(
    "enterprise software|medical devices|renewable energy|freight and logistics|payments|cybersecurity|specialty chemicals|consumer electronics|clinical research|digital advertising|agricultural machinery|insurance|semiconductors|real estate services|pet food|water treatment"
)
_NOUNS = _options(
    "provider|company|developer|manufacturer|operator|firm|platform|supplier|group|leader"
)
_FIRST = _options(
    "Maria|Tom|Aisha|Peter|Lena|Samuel|Hannah|Ravi|Julia|Daniel|Chen|Olga|Kwame|Ines|Mateo|Freya|Yusuf|Camille|Pavel|Noor"
)
_LAST = _options(
    "Lopez|Becker|Khan|O'Neill|Novak|Osei|Brooks|Menon|Costa|Weiss|Wei|Petrova|Mensah|Duarte|Lindgren|Haddad|Moreau|Sato|Ivanova|Reyes"
)
_OUTLET_PARTS = _options(
    "Herald|Ledger|Courier|Gazette|Chronicle|Observer|Tribune|Post|Standard|Dispatch|Examiner|Record"
)
_PLACES = _options(
    "Boston|Oslo|Austin|Singapore|Leeds|Denver|Perth|Lyon|Toronto|Nairobi|Munich|Osaka|Dublin|Cape Town"
)
_BEATS = _options(
    "health|politics|the courts|education|climate and energy|technology|transport|housing|local government|business|immigration|science|crime|culture|the economy|foreign affairs"
)
_ROLES = _options(
    "correspondent|reporter|senior reporter|staff writer|editor|columnist|contributing writer|data journalist|political editor|producer|freelance journalist|investigations reporter"
)
_SUBJECTS = _options(
    "Council|Minister|Police|Rail operator|Union|Court|City hall|Hospital trust|Prime minister|Regulator|Scientists|Residents|Club|Senator|Airport|Festival"
)
_VERBS = _options(
    "approves|rejects|delays|defends|scraps|unveils|questions|backs|warns over|plans|cuts|expands"
)
_OBJECTS = _options(
    "new parking rules|school funding plan|bridge repairs|pay offer|housing target|flood defences|tax rebate|night bus routes|hospital merger|water prices|stadium deal|fishing quotas|library closures"
)
_TAILS = _options(
    "|| after long debate| amid protests|: what we know| for second year| as costs rise|| despite warnings"
)


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def company_name(rng: random.Random) -> str:
    stem = "".join(rng.sample(_SYLLABLES, rng.choice((2, 2, 3)))).capitalize()
    return f"{stem} {rng.choice(_COMPANY_TAILS)}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def outlet_name(rng: random.Random) -> str:
    town = "".join(rng.sample(_SYLLABLES, 2)).capitalize()
    return _pick(
        rng, f"The {town} {rng.choice(_OUTLET_PARTS)}", f"{town} {rng.choice(_OUTLET_PARTS)}"
    )


def headline(rng: random.Random) -> str:
    return (
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}{rng.choice(_TAILS)}"
    )


def _domain(name: str) -> str:
    return name.split()[0].lower() + _tld(name)


def _tld(name: str) -> str:
    return (".com", ".io", ".co.uk", ".net", ".org")[len(name) % 5]


def press_release_footer(rng: random.Random) -> list[str]:
    company = company_name(rng)
    industry, noun = rng.choice(_INDUSTRIES), rng.choice(_NOUNS)
    description = _pick(
        rng,
        f"{company} is a {_pick(rng, 'leading', 'global', 'fast-growing', 'privately held', 'publicly traded', 'UK-based', 'family-owned')} {industry} {noun} {_pick(rng, 'serving', 'working with', 'trusted by')} {rng.randint(2, 900)} {_pick(rng, 'customers', 'hospitals', 'cities', 'retailers', 'utilities')} in {rng.randint(3, 60)} countries.",
        f"{company} ({_pick(rng, 'NASDAQ', 'NYSE', 'LSE', 'TSX')}: {company[:4].upper()}) develops {industry} for {_pick(rng, 'businesses', 'governments', 'consumers', 'hospitals')} around the world.",
        f"Founded in {rng.randint(1950, 2020)} and headquartered in {rng.choice(_PLACES)}, {company} operates {rng.randint(3, 90)} sites and employs more than {rng.randint(2, 90) * 100} people.",
        f"{company}, a {industry} {noun} based in {rng.choice(_PLACES)}, {_pick(rng, 'helps', 'enables', 'supports')} organisations to {_pick(rng, 'cut costs', 'grow faster', 'meet regulations', 'serve their customers')}.",
        f"With offices in {rng.choice(_PLACES)} and {rng.choice(_PLACES)}, {company} is one of the largest {industry} {noun}s in {_pick(rng, 'Europe', 'Asia', 'North America', 'the region')}.",
    )
    lines = [
        _pick(
            rng,
            f"About {company}",
            "About the company",
            f"About {company.split()[0]}",
            f"ABOUT {company.upper()}",
        ),
        description,
    ]
    if rng.random() < 0.6:
        lines.append(
            _pick(
                rng,
                f"For more information, visit www.{_domain(company)}.",
                f"Learn more at {_domain(company)}.",
                f"Visit {_domain(company)} or follow us on LinkedIn.",
            )
        )
    if rng.random() < 0.3:
        lines.append(
            _pick(
                rng,
                "Forward-looking statements",
                f"This press release contains forward-looking statements within the meaning of applicable securities laws. Actual results of {company} may differ materially.",
            )
        )
    if rng.random() < 0.7:
        contact = person_name(rng)
        lines += rng.choice(
            (
                [
                    _pick(
                        rng,
                        "Media contact:",
                        "Media Contact",
                        "Press enquiries",
                        "Investor relations:",
                        "Contacts",
                    ),
                    contact,
                    f"press@{_domain(company)}",
                ],
                [
                    f"{_pick(rng, 'Media contact', 'Press office', 'Contact')}: {contact}, {contact.split()[0].lower()}@{_domain(company)}"
                ],
                [f"SOURCE {company}"],
            )
        )
    return lines


def author_bio(rng: random.Random) -> list[str]:
    name, outlet, beat, role = (
        person_name(rng),
        outlet_name(rng),
        rng.choice(_BEATS),
        rng.choice(_ROLES),
    )
    first, pronoun = name.split()[0], rng.choice(("She", "He", "They"))
    sentences = [
        f"{name} is {_pick(rng, 'a', 'the')} {role} {_pick(rng, 'at', 'for', 'with')} {outlet}{_pick(rng, '.', f', covering {beat}.', f' based in {rng.choice(_PLACES)}.')}",
        f"{name} covers {beat} for {outlet}.",
        f"{name} writes about {beat} and {rng.choice(_BEATS)}.",
        f"{name} has reported on {beat} since {rng.randint(1995, 2022)}.",
        f"{first} joined {outlet} in {rng.randint(2000, 2024)} from {outlet_name(rng)}.",
    ]
    more = [
        f"{pronoun} previously worked as a {rng.choice(_ROLES)} at {outlet_name(rng)}.",
        f"{pronoun} {'have' if pronoun == 'They' else 'has'} won {_pick(rng, 'several awards', 'a regional press award', 'the Orwell Prize')} for {_pick(rng, 'investigative reporting', 'her work', 'his work', 'coverage of ' + beat)}.",
        f"{pronoun} {'hold' if pronoun == 'They' else 'holds'} a degree in {_pick(rng, 'history', 'economics', 'law', 'journalism')} from the University of {rng.choice(_PLACES)}.",
        f"Follow {first} on X at @{first.lower()}{rng.randint(1, 99)}.",
        f"Contact {first} at {first.lower()}@{outlet.split()[-1].lower()}.com",
        "View all articles by this author",
    ]
    heading = _pick(
        rng,
        "About the author",
        f"About {name}",
        name,
        "Author",
        f"Written by {name}",
        "Meet the reporter",
        "About the writer",
        "Contributor",
    )
    body = [rng.choice(sentences)]
    if rng.random() < 0.6:
        body.append(rng.choice(more))
    if rng.random() < 0.5:  # one paragraph, as many sites print it
        body = [" ".join(body)]
    return [heading, *body] if rng.random() < 0.8 else body


def paywall_cutoff(rng: random.Random) -> list[str]:
    thing = _pick(rng, "article", "story", "content", "report", "piece")
    return [
        _pick(
            rng,
            f"This {thing} is for subscribers only.",
            f"This {thing} is available exclusively to {_pick(rng, 'subscribers', 'members', 'premium members')}.",
            f"The rest of this {thing} is for {_pick(rng, 'subscribers', 'members', 'registered users')}.",
            f"You have reached your limit of free {thing}s this month.",
            f"You have {rng.randint(1, 5)} free {thing}s left this month.",
            f"Subscriber-only {thing}",
            "Premium content",
            f"Exclusive {thing} for {_pick(rng, 'subscribers', 'members')}",
            f"Want to read the full {thing}?",
        ),
        _pick(
            rng,
            "Already a subscriber? Sign in",
            "Already a member? Log in to continue.",
            f"Subscribe to read the full {thing}.",
            "Continue reading with a subscription",
            "Register for free to keep reading",
            f"Get access to this {thing} and more for {rng.choice('$£€')}{rng.randint(1, 15)}.",
            "Start your free trial",
            "Log in or create a free account to continue.",
        ),
    ][: rng.choice((1, 2, 2))]


def related_list(rng: random.Random) -> list[str]:
    heading = _pick(
        rng, "Related", "Related stories", "More from this section", "You may also like",
        "Most read", "Recommended", "Trending now", "Latest news", "Read next", "More on this story",
        "Top stories", "Popular", "Editor's picks", "In other news", "Don't miss", "Also read",
        "Around the web", "More stories", "Watch next",
    )  # fmt: skip
    titles = [headline(rng) for _ in range(rng.randint(2, 6))]
    return [heading, *titles] if rng.random() < 0.8 else titles


def comment_prompt(rng: random.Random) -> list[str]:
    lines = [
        _pick(
            rng,
            "What do you think?",
            "Have your say",
            "Do you agree?",
            "What's your view?",
            f"{rng.randint(2, 900)} comments",
            "Join the conversation",
            "Comments",
            "Tell us what you think",
            "Share your thoughts",
        ),
        _pick(
            rng,
            "Let us know in the comments below.",
            "Leave a comment and tell us what you think.",
            "Comments are closed for this article.",
            "Please keep comments civil and on topic.",
            "Log in to join the discussion.",
            "Be the first to comment",
            "Show all comments",
        ),
    ]
    return lines[: rng.choice((1, 2, 2))] if rng.random() < 0.5 else lines


def editor_note(rng: random.Random) -> list[str]:
    return [
        _pick(
            rng,
            f"Correction: An earlier version of this article misstated the {_pick(rng, 'date', 'name', 'figure', 'title')} of the {_pick(rng, 'report', 'meeting', 'company')}.",
            "This article has been updated with additional information.",
            f"This story was originally published on {rng.choice(('March', 'June', 'October'))} {rng.randint(1, 28)} and has been updated.",
            f"Editor's note: This article is part of our series on {rng.choice(_BEATS)}.",
            f"The views expressed in this article are the author's own and do not necessarily reflect those of {outlet_name(rng)}.",
            f"This content was produced in partnership with {company_name(rng)}.",
            f"Disclosure: {outlet_name(rng)} receives funding from {company_name(rng)}.",
            "This article was amended to clarify a quote.",
        )
    ]


def app_promo(rng: random.Random) -> list[str]:
    outlet = outlet_name(rng)
    return [
        _pick(
            rng,
            f"Get the {outlet} app",
            "Download our app",
            "Listen to this article",
            "Watch: the moment it happened",
            "Advertisement",
            "Sponsored",
            "Podcast",
        ),
        _pick(
            rng,
            "Breaking news alerts and the day's top stories, on your phone.",
            "Available on the App Store and Google Play.",
            "Listen to our daily podcast wherever you get your podcasts.",
            f"{rng.randint(1, 9)}:{rng.randint(10, 59)}",
            "Story continues below advertisement",
        ),
    ][: rng.choice((1, 2))]
