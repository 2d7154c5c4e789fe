"""Re-asking after an answer that failed validation or grounding.

The messages are rebuilt from the original request every time: original messages, the last
answer, and one message naming its problems. Never a growing history: the third attempt costs
what the second did, and the model sees only what is wrong now.
"""

from __future__ import annotations

from typing import Any

from agent.mode import ModelAnswer

MAX_LISTED_PROBLEMS = 20  # a few hundred tokens at most; the model fixes the first ones first


def reask_messages(
    original: list[dict[str, Any]], answer: ModelAnswer, problems: list[str]
) -> list[dict[str, Any]]:
    listed = problems[:MAX_LISTED_PROBLEMS]
    more = len(problems) - len(listed)
    feedback = (
        "Your answer was not accepted:\n"
        + "\n".join(f"- {problem}" for problem in listed)
        + (f"\n- ... and {more} more problems of the same kinds" if more > 0 else "")
        + "\nAnswer again with the complete, corrected record. Copy every quote verbatim "
        "from the article."
    )
    calls = answer.assistant_message.get("tool_calls")
    if calls:  # a tool call must be answered by a tool message before anything else
        reply = {"role": "tool", "tool_call_id": calls[0].get("id", "call_0"), "content": feedback}
    else:
        reply = {"role": "user", "content": feedback}
    return [*original, answer.assistant_message, reply]
