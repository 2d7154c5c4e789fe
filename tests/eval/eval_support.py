"""Tiny gold sets and outputs written by the tests: records in the output contract's shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLD_SET = ROOT / "examples" / "gold"


def record(schema: str, result: dict[str, Any], model: str = "gold") -> dict[str, Any]:
    return {
        "format_version": 2,
        "schema": {"name": schema, "version": 1, "sha256": "0" * 64},
        "prompt": {"name": schema, "version": 1, "sha256": "0" * 64},
        "model": model,
        "source": {"name": "article.txt", "sha256": "0" * 64, "characters": 0},
        "result": result,
        "checks": {},
    }


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def actor(id_: str, name: str, kind: str = "person") -> dict[str, Any]:
    return {"id": id_, "name": name, "kind": kind, "role": None, "affiliation": None}


def position(actor_id: str, topic: str, stance: str, quote: str) -> dict[str, Any]:
    return {"actor": actor_id, "topic": topic, "stance": stance, "summary": topic,
            "evidence": [{"quote": quote}]}  # fmt: skip


def action(proposer: str, text: str, status: str, participants: list[str],
           quote: str) -> dict[str, Any]:  # fmt: skip
    return {"proposer": proposer, "action": text, "participants": participants,
            "status": status, "conditions": [], "evidence": [{"quote": quote}]}  # fmt: skip


def copy_gold_set(target: Path, names: list[str] | None = None) -> Path:
    """examples/gold (articles and gold records only), or just the named articles."""
    target.mkdir(parents=True, exist_ok=True)
    for path in GOLD_SET.iterdir():
        wanted = names is None or path.name.split(".")[0] in names
        if wanted and (path.suffix in (".txt", ".md", ".html") or path.name.endswith(".gold.json")):
            shutil.copy(path, target / path.name)
    return target


def gold_as_outputs(gold_dir: Path, outputs: Path) -> Path:
    """Every gold record copied as its own output (NAME.SCHEMA.gold.json -> NAME.SCHEMA.json)."""
    outputs.mkdir(parents=True, exist_ok=True)
    for path in gold_dir.glob("*.gold.json"):
        shutil.copy(path, outputs / path.name.replace(".gold.json", ".json"))
    return outputs


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
