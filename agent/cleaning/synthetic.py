"""Synthetic boilerplate for training the model: the kinds publishers glue around articles.

Each generator writes one block of lines (one paragraph per line, as pasted text has it) from
interchangeable parts, so the model learns the shape of a kind (who is addressed, what is asked,
money, stamps, short title-like lines) rather than one publisher's sentence. Used only by
train.py; the tests use their own, differently worded examples.
"""

# ruff: noqa: E501  (phrase lists: a sentence per line reads better than a sentence cut in two)

from __future__ import annotations

import random
from collections.abc import Callable

from summarise_agent.cleaning.synthetic_edges import (
    app_promo,
    author_bio,
    comment_prompt,
    editor_note,
    paywall_cutoff,
    press_release_footer,
    related_list,
)

_OUTLETS = (
    "The Harbour Herald",
    "Northern Ledger",
    "City Wire",
    "The Daily Compass",
    "Metro Dispatch",
    "The Prairie Post",
    "Coastline News",
    "The Civic Times",
    "Bridge Street Journal",
    "Riverbend",
)
_NAMES = (
    "Maria Lopez",
    "Tom Becker",
    "Aisha Khan",
    "Peter O'Neill",
    "Lena Novak",
    "Samuel Osei",
    "Hannah Brooks",
    "Ravi Menon",
    "Julia Costa",
    "Daniel Weiss",
    "Chen Wei",
    "Olga Petrova",
)
_TOPICS = (
    "Politics",
    "Business",
    "World",
    "Economy",
    "Health",
    "Technology",
    "Climate",
    "Europe",
    "Elections",
    "Markets",
    "Sport",
    "Culture",
    "Science",
    "Education",
    "Energy",
    "Defence",
)
_HEADLINES = (
    "Council approves new budget after long debate",
    "Five things to know before the vote",
    "Why fuel prices keep rising this winter",
    "Opposition leader calls for early election",
    "Inside the talks that saved the steel plant",
    "Rail strike: what it means for commuters",
    "Investors shrug off latest inflation figures",
    "The town that voted to ban cars",
    "Minister resigns over housing scandal",
    "How a small startup took on the giants",
    "Storm leaves thousands without power",
    "Court blocks controversial mining permit",
)


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def donation_appeal(rng: random.Random) -> list[str]:
    outlet = rng.choice(_OUTLETS)
    lines = [
        _pick(
            rng,
            f"A message from {outlet}:",
            "A note to our readers",
            "Before you go...",
            f"Support {outlet}",
            "Dear reader,",
            "Dear readers,",
        ),
        _pick(
            rng,
            "Independent journalism has never been more important.",
            "We are facing unprecedented challenges to keep reporting.",
            "Our newsroom depends on readers like you, not on billionaire owners.",
            "Times are hard for local news, and we need your help to keep going.",
        ),
        _pick(
            rng,
            f"Please support us with a monthly gift starting from just ${rng.randint(1, 9)}.",
            f"A one-off contribution of {rng.choice('£$€')}{rng.randint(2, 50)} makes a difference.",
            "If you can, please donate today and help keep our journalism free for everyone.",
            "Every contribution, however big or small, keeps our reporting open to all.",
        ),
    ]
    if rng.random() < 0.7:
        lines.append(
            _pick(
                rng,
                "Thank you for standing with us.",
                "Thank you.",
                "Thank you for your support.",
                "We are grateful for every reader.",
            )
        )
    lines.append(
        _pick(
            rng,
            "Donate now",
            "Support us",
            "Remind me later",
            "Give monthly",
            "Contribute",
            "Maybe later",
            "Continue",
        )
    )
    return lines


def subscription_promo(rng: random.Random) -> list[str]:
    price = f"{rng.choice('$£€')}{rng.randint(1, 19)}.{rng.choice(['99', '00', '49'])}"
    return [
        _pick(
            rng,
            "Subscribe to keep reading",
            "Get unlimited access",
            "Special offer",
            "Limited time offer",
            "Become a subscriber",
            "Unlock every story",
        ),
        _pick(
            rng,
            f"Just {price} a month for the first year.",
            f"Only {price} per week. Cancel anytime.",
            f"Your first month for {price}, then save 40% on digital access.",
            "Subscribe now and get full access to our journalism on any device.",
        ),
        _pick(
            rng,
            "Subscribe now",
            "Start my subscription",
            "See all offers",
            "Already a subscriber? Log in",
            "Choose your plan",
            "Print & Digital",
            "Website access",
        ),
    ]


def adblock_appeal(rng: random.Random) -> list[str]:
    outlet = rng.choice(_OUTLETS)
    return [
        _pick(
            rng,
            "It looks like you are using an ad blocker",
            "Ad blocker detected",
            "Please turn off your ad blocker",
        ),
        _pick(
            rng,
            f"{outlet} relies on advertising revenue to pay our reporters.",
            "Ads help us keep our journalism free for everyone.",
            f"Please whitelist {outlet} or disable your ad blocker to keep reading.",
        ),
        _pick(
            rng, "How to disable", "I have disabled my ad blocker", "Continue without supporting us"
        ),
    ]


def newsletter_signup(rng: random.Random) -> list[str]:
    topic = rng.choice(_TOPICS)
    return [
        _pick(
            rng,
            f"The {topic} Briefing",
            f"Get our {topic} newsletter",
            "Sign up for our newsletter",
            "Stay informed",
            "Morning Headlines",
        ),
        _pick(
            rng,
            "The best of our journalism, delivered to your inbox every weekday.",
            f"Sign up to receive the top {topic.lower()} stories in your inbox each morning.",
            "Enter your email address",
            "By signing up you agree to our privacy policy.",
        ),
        _pick(
            rng,
            "Sign up",
            "Subscribe",
            "Thanks for signing up!",
            "Please enter a valid email address.",
            "You're all set.",
            "Something went wrong. Please try again.",
        ),
    ]


def contributor_credit(rng: random.Random) -> list[str]:
    a, b = rng.sample(_NAMES, 2)
    return [
        _pick(
            rng,
            f"Additional reporting by {a}; editing by {b}",
            f"({a} reported from Lagos. Editing by {b}.)",
            f"{a} contributed reporting.",
            f"Reporting by {a}; Writing by {b}; Editing by {b}",
            f"Compiled by {a} for {rng.choice(_OUTLETS)}.",
        )
    ]


def topic_tags(rng: random.Random) -> list[str]:
    tags = rng.sample(_TOPICS, rng.randint(3, 6))
    if rng.random() < 0.5:
        return [_pick(rng, "Tags:", "Topics:", "Filed under:") + " " + ", ".join(tags)]
    return [_pick(rng, "Related topics", "Topics", "More on this"), *tags]


def cookie_notice(rng: random.Random) -> list[str]:
    return [
        _pick(
            rng,
            "We use cookies to improve your experience on our site and to show you relevant advertising.",
            "This website uses cookies. By continuing to browse you agree to our use of cookies.",
            "We and our partners store and access information on your device to personalise content.",
        ),
        _pick(
            rng,
            "Accept all",
            "Manage preferences",
            "OK",
            "I agree",
            "Cookie settings",
            "Learn more",
        ),
    ]


def share_prompt(rng: random.Random) -> list[str]:
    return [
        _pick(
            rng,
            "Share this article",
            "Share on Facebook",
            "Found this useful? Share it with a friend!",
            "Share",
            "Copy link",
            "Tweet this",
        ),
        *rng.sample(
            ("Facebook", "Twitter", "WhatsApp", "Email", "LinkedIn", "Print"), rng.randint(0, 3)
        ),
    ]


def copyright_line(rng: random.Random) -> list[str]:
    year = rng.randint(2005, 2025)
    return [
        _pick(
            rng,
            f"© {year} {rng.choice(_OUTLETS)}. All rights reserved.",
            f"Copyright {year} {rng.choice(_OUTLETS)}. This material may not be published, broadcast, rewritten or redistributed.",
            f"(c) {year} {rng.choice(_OUTLETS)} Ltd",
        )
    ]


def stamps(rng: random.Random) -> list[str]:
    day, hour = rng.randint(1, 28), rng.randint(1, 12)
    return [
        _pick(
            rng,
            f"Published {day} March 2024, {hour}:{rng.randint(10, 59)} GMT",
            f"Updated: Nov. {day}, 2019 at {hour}:05 p.m.",
            f"{rng.randint(2, 12)} min read",
            f"Last modified on {day}/0{rng.randint(1, 9)}/2023",
        ),
    ]


GENERATORS: tuple[Callable[[random.Random], list[str]], ...] = (
    donation_appeal,
    subscription_promo,
    paywall_cutoff,
    adblock_appeal,
    newsletter_signup,
    press_release_footer,
    related_list,
    contributor_credit,
    topic_tags,
    cookie_notice,
    share_prompt,
    copyright_line,
    author_bio,
    comment_prompt,
    stamps,
    editor_note,
    app_promo,
)


def boilerplate_chunk(rng: random.Random) -> list[str]:
    return rng.choice(GENERATORS)(rng)
