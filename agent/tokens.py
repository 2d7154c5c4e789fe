"""Token estimates, for rate limiting and the context-window check, without a tokenizer.

Only an estimate is needed (a limiter paces, a check refuses the clearly impossible; the
endpoint's own context_length_exceeded error catches the rest), and a tokenizer per model
family would be a heavy dependency for little gain.
"""

from __future__ import annotations

from typing import Any


def estimate_text_tokens(text: str) -> int:
    """About four UTF-8 bytes a token: right for English, cautious for Cyrillic and CJK,
    whose characters take two or three bytes and near one token each."""
    return len(text.encode("utf-8")) // 4 + 1


def estimate_tokens(request: dict[str, Any]) -> int:
    """A Chat Completions request's size: the prompt's tokens plus the answer budget."""
    prompt = "".join(str(message.get("content") or "") for message in request["messages"])
    return estimate_text_tokens(prompt) + int(request.get("max_tokens") or 1000)
