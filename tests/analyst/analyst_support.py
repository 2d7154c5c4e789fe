"""Helpers for the analyst tests (provenance, export, index page, CLI polish): a plain module,
not a conftest (tests/conftest.py is imported by name; a second `conftest` would shadow it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarise_agent.localserver import Reply

RESPONSES = Path(__file__).resolve().parents[1] / "fixtures" / "responses"


def answer_with(name: str, edit: Any = None) -> Reply:
    """The recorded response NAME, its answer passed through EDIT(result) first."""
    body = json.loads((RESPONSES / f"{name}.json").read_text(encoding="utf-8"))
    message = body["choices"][0]["message"]
    result = json.loads(message["content"])
    if edit is not None:
        edit(result)
    message["content"] = json.dumps(result)
    return Reply(status=200, body=json.dumps(body).encode("utf-8"))


def html_page(text: str, *, head: str) -> bytes:
    """An HTML page around a plain article: each paragraph a <p>, the metadata in <head>."""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
    page = f"<!DOCTYPE html><html><head>{head}</head><body><article>{paragraphs}</article>"
    return (page + "</body></html>").encode("utf-8")
