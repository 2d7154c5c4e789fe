"""Structured-output dialects: one row per way a server is asked for a schema-shaped answer.

A dialect fixes three things together, so they can never disagree: the request's shape (where
the schema goes and in which form), how the answer is read (message content or a tool call),
and how a re-ask is phrased (a tool turn, or a plain user turn every server accepts).

The schema goes in one of two forms: `strict` is OpenAI's strict subset (no bounds, patterns or
lengths: OpenAI rejects them); `bounded` keeps maxItems, maxLength and patterns, which the
grammar engines of llama.cpp, vLLM and Ollama enforce, so a small model cannot loop forever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from summarise_agent.model.grammar import GRAMMAR_REVISION
from summarise_agent.schema_registry import SchemaSpec


class OutputMode(StrEnum):
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    TOOLS = "tools"


class Carrier(StrEnum):
    """Where the schema travels in the request."""

    RESPONSE_FORMAT = "response_format"  # {"type": "json_schema", "json_schema": {...}}
    JSON_OBJECT_SCHEMA = "json_object_schema"  # {"type": "json_object", "schema": {...}}
    GUIDED_JSON = "guided_json"  # vLLM's extra body field
    PROMPT = "prompt"  # {"type": "json_object"}, the schema written into the system prompt
    TOOL = "tool"  # one function whose parameters are the schema, forced


@dataclass(frozen=True)
class ModelSettings:
    """What every request of a run carries besides the messages."""

    model: str
    temperature: float
    seed: int | None
    max_output_tokens: int


@dataclass(frozen=True)
class Dialect:
    name: str
    mode: OutputMode
    carrier: Carrier
    bounded: bool  # send the bounded schema (grammar engines) instead of the strict subset
    reask_role: str = "user"  # tools: "tool" answers the call; "user" is accepted everywhere
    guidance_in_prompt: bool = False  # tools: also describe the schema in the system prompt
    sampling: tuple[tuple[str, Any], ...] = ()  # the server family's extra sampling fields

    @property
    def answer_settings(self) -> dict[str, Any]:
        """What shapes the answer besides the name, for the answer cache key: the grammar form's
        revision (bounded dialects) and the sampling fields. Empty for the strict dialects,
        whose requests (and cache keys) are as they always were."""
        settings: dict[str, Any] = dict(self.sampling)
        if self.bounded:
            settings["grammar"] = GRAMMAR_REVISION
        return settings

    @property
    def constrained(self) -> bool:
        """Whether the server constrains the answer to the schema while sampling (every carrier
        but the prompt): an answer cut off at the cap is then valid up to its last item."""
        return self.carrier is not Carrier.PROMPT

    def messages(self, messages: list[dict[str, Any]], schema: SchemaSpec) -> list[dict[str, Any]]:
        """The conversation as this dialect sends it (schema text folded in where needed)."""
        if self.carrier is Carrier.PROMPT:
            lead = "Answer with one JSON object, and nothing else, that matches this JSON Schema:"
        elif self.guidance_in_prompt:  # small models' chat templates do not show tools
            lead = (
                f"Call the function `{schema.name}` once, with arguments matching this JSON Schema:"
            )
        else:
            return list(messages)
        return _with_system_suffix(messages, f"{lead}\n{_schema_text(schema, self.bounded)}")

    def request(
        self,
        messages: list[dict[str, Any]],
        schema: SchemaSpec,
        settings: ModelSettings,
        followup: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The Chat Completions request body; `followup` holds a re-ask's turns."""
        body: dict[str, Any] = {
            "model": settings.model,
            "temperature": settings.temperature,
            "max_tokens": settings.max_output_tokens,
            "messages": [*self.messages(messages, schema), *(followup or [])],
        }
        if settings.seed is not None:
            body["seed"] = settings.seed
        body.update(self.sampling)
        body.update(self._schema_fields(schema))
        return body

    def _schema_fields(self, schema: SchemaSpec) -> dict[str, Any]:
        json_schema = _sent_schema(schema, self.bounded)
        if self.carrier is Carrier.RESPONSE_FORMAT:
            named = {"name": schema.name, "strict": True, "schema": json_schema}
            return {"response_format": {"type": "json_schema", "json_schema": named}}
        if self.carrier is Carrier.JSON_OBJECT_SCHEMA:
            return {"response_format": {"type": "json_object", "schema": json_schema}}
        if self.carrier is Carrier.GUIDED_JSON:
            return {"guided_json": json_schema}
        if self.carrier is Carrier.PROMPT:
            return {"response_format": {"type": "json_object"}}
        function: dict[str, Any] = {
            "name": schema.name,
            "description": "Record the extraction.",
            "parameters": json_schema,
        }
        if not self.bounded:
            function["strict"] = True
        return {
            "tools": [{"type": "function", "function": function}],
            "tool_choice": {"type": "function", "function": {"name": schema.name}},
        }

    def reask_turns(self, answer_text: str, turn: dict[str, Any], feedback: str) -> list[Any]:
        """The turns after the original messages: the last answer, then what is wrong."""
        calls = turn.get("tool_calls")
        if calls and self.reask_role == "tool":
            # a tool call must be answered by a tool message before anything else
            call_id = calls[0].get("id") or "call_0"
            return [turn, {"role": "tool", "tool_call_id": call_id, "content": feedback}]
        if calls:  # servers that refuse tool turns: the call's arguments as plain content
            turn = {"role": "assistant", "content": answer_text}
        return [turn, {"role": "user", "content": feedback}]


def _sent_schema(schema: SchemaSpec, bounded: bool) -> dict[str, Any]:
    """The strict subset, or the grammar form of the bounded schema (grammar.py)."""
    return schema.grammar_json_schema if bounded else schema.json_schema


def _schema_text(schema: SchemaSpec, bounded: bool) -> str:
    return json.dumps(_sent_schema(schema, bounded), ensure_ascii=False, separators=(",", ":"))


def _with_system_suffix(messages: list[dict[str, Any]], suffix: str) -> list[dict[str, Any]]:
    first, *rest = messages
    return [{**first, "content": f"{first['content']}\n\n{suffix}"}, *rest]


_TABLE = (
    Dialect("openai-json-schema", OutputMode.JSON_SCHEMA, Carrier.RESPONSE_FORMAT, bounded=False),
    Dialect("json-schema-bounded", OutputMode.JSON_SCHEMA, Carrier.RESPONSE_FORMAT, bounded=True),
    Dialect("json-object-schema", OutputMode.JSON_SCHEMA, Carrier.JSON_OBJECT_SCHEMA, bounded=True),
    Dialect("guided-json", OutputMode.JSON_SCHEMA, Carrier.GUIDED_JSON, bounded=True),
    Dialect("openai-tools", OutputMode.TOOLS, Carrier.TOOL, bounded=False, reask_role="tool"),
    Dialect("tools-bounded", OutputMode.TOOLS, Carrier.TOOL, bounded=True,
            guidance_in_prompt=True),
    Dialect("json-object", OutputMode.JSON_OBJECT, Carrier.PROMPT, bounded=False),
)  # fmt: skip
DIALECTS: dict[str, Dialect] = {dialect.name: dialect for dialect in _TABLE}

# What `auto` tries, strongest first, per server family (probe.py tells the family). A
# rejected request moves to the next one; an explicit --mode keeps only that mode's rows.
FAMILY_ORDER: dict[str, tuple[str, ...]] = {
    "openai": ("openai-json-schema", "openai-tools", "json-object"),
    "llama-cpp-python": ("json-object-schema", "tools-bounded", "json-object"),
    "llama-server": ("json-schema-bounded", "tools-bounded", "json-object"),
    "vllm": ("json-schema-bounded", "guided-json", "openai-tools", "json-object"),
    "ollama": ("json-schema-bounded", "openai-tools", "json-object"),
    "unknown": ("openai-json-schema", "json-object-schema", "openai-tools", "tools-bounded",
                "json-object"),
}  # fmt: skip

# Sampling fields sent to a family's servers besides temperature and seed. llama.cpp's samplers
# (llama-cpp-python, llama-server) take `repeat_penalty`; llama-cpp-python's default of 1.1 let
# Gemma 3 270M write "1000000..." into every string a grammar allowed (measured; 1.3 gives
# names from the article). It penalises tokens among the last 64 of the context, so a quote's
# words are hindered only when they repeat within it. Other families keep their defaults.
FAMILY_SAMPLING: dict[str, tuple[tuple[str, Any], ...]] = {
    "llama-cpp-python": (("repeat_penalty", 1.3),),
    "llama-server": (("repeat_penalty", 1.3),),
}

# OpenAI models that predate strict json_schema response formats: tools first.
TOOLS_FIRST_MODELS = ("gpt-3.5-turbo", "gpt-4-turbo", "gpt-4-0", "gpt-4-1106")


def candidate_dialects(family: str, mode: str, model: str) -> list[Dialect]:
    """The dialects to try, in order, for this server family, --mode and model."""
    names = FAMILY_ORDER.get(family, FAMILY_ORDER["unknown"])
    sampling = FAMILY_SAMPLING.get(family, ())
    dialects = [replace(DIALECTS[name], sampling=sampling) for name in names]
    if mode != "auto":
        dialects = [dialect for dialect in dialects if dialect.mode == mode]
    elif model.startswith(TOOLS_FIRST_MODELS):
        dialects.sort(key=lambda dialect: dialect.mode is not OutputMode.TOOLS)
    return dialects
