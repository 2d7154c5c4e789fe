"""Token estimates, for rate limiting and the context-window check, without a tokenizer.

Only an estimate is needed (a limiter paces, a check refuses the clearly impossible; the
endpoint's own context_length_exceeded error catches the rest), and a tokenizer per model
family would be a heavy dependency for little gain.
"""

from __future__ import annotations


def estimate_text_tokens(text: str) -> int:
    """About four UTF-8 bytes a token: right for English, cautious for Cyrillic and CJK,
    whose characters take two or three bytes and near one token each."""
    return len(text.encode("utf-8")) // 4 + 1
