"""Estimated cost of a run: tokens times a price table the user can override.

Prices are US dollars per million tokens. The built-in table holds OpenAI's list prices for
a few common models (as published in 2025; check your provider's page, they change). A file
given with `--prices FILE` (or the `prices_file` setting) adds or replaces models, TOML or JSON:

    ["gpt-4o-mini"]
    input = 0.15          # prompt tokens
    cached_input = 0.075  # prompt tokens served from the provider's prompt cache
    output = 0.60         # completion tokens

A model is looked up exactly, then by the longest table name it starts with
(`gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`). No price: the cost is null.

Answers from a provider batch (`--provider-batch`) are priced at BATCH_DISCOUNT of the table's
prices (OpenAI's Batch API: 50% of every token price); online re-asks at the full price.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.errors import ConfigError

BATCH_DISCOUNT = 0.5  # a provider batch's price as a fraction of the online price


@dataclass(frozen=True)
class Price:
    input: float
    cached_input: float
    output: float

    def cost(self, prompt_tokens: int, cached_tokens: int, completion_tokens: int) -> float:
        uncached = max(0, prompt_tokens - cached_tokens)
        dollars = (uncached * self.input + cached_tokens * self.cached_input
                   + completion_tokens * self.output)  # fmt: skip
        return dollars / 1_000_000

    def at_batch_rate(self) -> Price:
        return Price(self.input * BATCH_DISCOUNT, self.cached_input * BATCH_DISCOUNT,
                     self.output * BATCH_DISCOUNT)  # fmt: skip


BUILT_IN_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.075, 0.60),
    "gpt-4o": Price(2.50, 1.25, 10.00),
    "gpt-4.1": Price(2.00, 0.50, 8.00),
    "gpt-4.1-mini": Price(0.40, 0.10, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.025, 0.40),
}


class PriceTable:
    def __init__(self, prices: dict[str, Price]) -> None:
        self.prices = dict(prices)

    @classmethod
    def load(cls, override: Path | None) -> PriceTable:
        prices = dict(BUILT_IN_PRICES)
        if override is not None:
            prices.update(_read_price_file(override))
        return cls(prices)

    def price_of(self, model: str) -> Price | None:
        if model in self.prices:
            return self.prices[model]
        prefixes = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(prefixes, key=len)] if prefixes else None


def _read_price_file(path: Path) -> dict[str, Price]:
    try:
        text = path.read_text(encoding="utf-8")
        raw: Any = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"price table {path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"price table {path}: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"price table {path}: expected a table of models")
    prices = {}
    for model, entry in raw.items():
        try:
            prices[model] = Price(float(entry["input"]),
                                  float(entry.get("cached_input", entry["input"])),
                                  float(entry["output"]))  # fmt: skip
        except (TypeError, KeyError, ValueError, AttributeError):
            raise ConfigError(
                f"price table {path}: model {model!r} needs numbers 'input' and 'output' "
                "(and optionally 'cached_input'), in dollars per million tokens"
            ) from None
    return prices
