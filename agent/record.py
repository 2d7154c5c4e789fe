"""The output record of one article, exactly as the output contract lays it out.

Key order here is the file's key order. Everything is a function of the cleaned text, schema,
prompt, model, settings and the model's answer: nothing volatile.
"""

from __future__ import annotations

import hashlib
from typing import Any

from agent.grounding import GroundingReport
from agent.prompts import PromptVersion
from agent.schema_registry import SchemaSpec


def text_sha256(text: str) -> str:
    """The hash that names a cleaned text, in outputs and in cache keys alike."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_record(
    *,
    schema: SchemaSpec,
    prompt: PromptVersion,
    model: str,
    source_name: str,
    text: str,
    grounding: GroundingReport,
    dangling_actor_ids: int,
    chunking: dict[str, Any] | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "schema": {"name": schema.name, "version": schema.version, "sha256": schema.sha256},
        "prompt": {"name": prompt.name, "version": prompt.version, "sha256": prompt.sha256},
        "model": model,
    }
    if chunking is not None:  # how a long article was split (agent/chunking.py)
        record["settings"] = {"chunking": chunking}
    return record | {
        "source": {
            "name": source_name,
            "sha256": text_sha256(text),
            "characters": len(text),
        },
        "result": grounding.result,
        "checks": {
            "quotes": grounding.quotes,
            "exact": grounding.exact,
            "fuzzy": grounding.fuzzy,
            "not_found": len(grounding.not_found),
            "dangling_actor_ids": dangling_actor_ids,
        },
    }
