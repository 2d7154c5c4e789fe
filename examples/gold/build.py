"""Rebuild examples/gold/: the gold records and the recorded model answers.

Gold records (NAME.SCHEMA.gold.json, for the schemas actors, positions and actions) are made by
the pipeline itself from the hand-written gold in gold_data.py, so their offsets and checks are
exactly what `summarise` computes, and they pass `summarise validate`. Model answers
(model_answers.py: the gold, altered the way real extractions go wrong) are served as Chat
Completions bodies from a local server and recorded with --record into replay/, so that
`summarise eval examples/gold --replay examples/gold/replay --model M` runs offline.
Re-run after a change to a prompt, a schema or the cleaner (the recordings are keyed by the
exact request), then review the diff:
    .venv/bin/python examples/gold/build.py
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE)]

from gold_data import GOLD  # noqa: E402
from model_answers import MODELS, Edit  # noqa: E402

from summarise_agent.cli import main  # noqa: E402
from summarise_agent.localserver import LocalChatServer, Reply, json_reply  # noqa: E402

SCHEMAS = {"actors": (), "positions": ("positions",), "actions": ("actions",)}
RESULT_KEY = {"positions": "positions", "actions": "proposed_actions"}
GOLD_MODEL = "gold"


def article_path(name: str) -> Path:
    return next(p for p in HERE.glob(f"{name}.*") if p.suffix in (".txt", ".md", ".html"))


def answer_for(schema: str, data: dict[str, Any]) -> dict[str, Any]:
    """The schema's answer from gold-shaped data: no tags, no aliases (gold-only keys)."""
    answer: dict[str, Any] = {} if schema == "actors" else {"summary": data["summary"]}
    answer["actors"] = [{k: v for k, v in a.items() if k != "aliases"} for a in data["actors"]]
    for part in SCHEMAS[schema]:
        answer[RESULT_KEY[part]] = [{k: v for k, v in item.items() if k != "tag"}
                                    for item in data[part]]
    return answer


def apply_edits(gold: dict[str, Any], edits: list[Edit]) -> dict[str, Any]:
    data = copy.deepcopy(gold)
    claims = {item["tag"]: item for part in ("positions", "actions") for item in data[part]}
    for edit in edits:
        kind, *args = edit
        if kind == "rename":
            _rename(data, *args)
        elif kind == "drop_actor":
            _drop_actor(data, args[0])
        elif kind == "add_actor":
            data["actors"].append(args[0])
        elif kind == "set":
            claims[args[0]][args[1]] = args[2]
        elif kind == "quote":
            claims[args[0]]["evidence"][0]["quote"] = args[1]
        elif kind == "drop":
            for part in ("positions", "actions"):
                data[part] = [item for item in data[part] if item["tag"] != args[0]]
        elif kind in ("add_position", "add_action"):
            data[kind.removeprefix("add_") + "s"].append({"tag": f"added-{len(claims)}", **args[0]})
        else:
            raise ValueError(f"unknown edit {edit}")
    return data


def _rename(data: dict[str, Any], old: str, new: str, name: str) -> None:
    for actor in data["actors"]:
        if actor["id"] == old:
            actor.update(id=new, name=name)
    for item in data["positions"]:
        item["actor"] = new if item["actor"] == old else item["actor"]
    for item in data["actions"]:
        item["proposer"] = new if item["proposer"] == old else item["proposer"]
        item["participants"] = [new if p == old else p for p in item["participants"]]


def _drop_actor(data: dict[str, Any], actor_id: str) -> None:
    data["actors"] = [a for a in data["actors"] if a["id"] != actor_id]
    data["positions"] = [p for p in data["positions"] if p["actor"] != actor_id]
    data["actions"] = [a for a in data["actions"] if a["proposer"] != actor_id]
    for item in data["actions"]:
        item["participants"] = [p for p in item["participants"] if p != actor_id]


def completion(content: str, request: dict[str, Any], model: str) -> dict[str, Any]:
    """A Chat Completions body; usage estimated at ~4 characters a token, like the real thing."""
    prompt = len(json.dumps(request.get("messages"))) + len(json.dumps(request.get("response_format")))
    prompt_tokens, completion_tokens = prompt // 4, len(content) // 4
    return {
        "id": f"chatcmpl-gold-{model}", "object": "chat.completion", "created": 1764025200,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content,
                                             "refusal": None, "annotations": []},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                "accepted_prediction_tokens": 0,
                                                "rejected_prediction_tokens": 0}},
        "service_tier": "default", "system_fingerprint": "fp_gold",
    }  # fmt: skip


def run(article: Path, schema: str, model: str, answer: dict[str, Any], output: Path,
        record: Path | None) -> None:
    content = json.dumps(answer, ensure_ascii=False)

    def respond(request: dict[str, Any]) -> Reply:
        return json_reply(200, completion(content, request, model))

    with LocalChatServer(respond) as server:
        args = [str(article), "--schema", schema, "--model", model, "--base-url",
                server.base_url, "--no-cache", "--output", str(output)]
        if record is not None:
            args += ["--record", str(record)]
        try:
            main(args)
        except SystemExit as exit_:
            if exit_.code:
                raise RuntimeError(f"{article.name} {schema} {model}: exit {exit_.code}") from None


def write_gold(name: str, schema: str, scratch: Path) -> None:
    target = HERE / f"{name}.{schema}.gold.json"
    run(article_path(name), schema, GOLD_MODEL, answer_for(schema, GOLD[name]), scratch, None)
    record = json.loads(scratch.read_text(encoding="utf-8"))
    if record["checks"]["not_found"] or record["checks"]["fuzzy"]:
        raise RuntimeError(f"{target.name}: a gold quote is not verbatim")
    target.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build() -> None:
    replay = HERE / "replay"
    shutil.rmtree(replay, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch_dir:
        config = Path(scratch_dir) / "empty-config.toml"  # no user settings leak in
        config.write_text("", encoding="utf-8")
        os.environ.update(OPENAI_API_KEY="local-build", SUMMARISE_CONFIG=str(config))
        scratch = Path(scratch_dir) / "out.json"
        for name in GOLD:
            for schema in SCHEMAS:
                write_gold(name, schema, scratch)
                for model, edits in MODELS.items():
                    answer = answer_for(schema, apply_edits(GOLD[name], edits.get(name, [])))
                    run(article_path(name), schema, model, answer, scratch, replay)
    print(f"wrote {len(GOLD) * len(SCHEMAS)} gold records and "
          f"{len(list(replay.glob('*.response.json')))} recordings")


if __name__ == "__main__":
    build()
