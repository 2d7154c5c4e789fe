"""What a re-ask says after an answer that failed validation or grounding.

Only the wording lives here; the turns around it (the last answer echoed, in which role the
feedback goes) are the dialect's (agent/model/dialects.py). The messages are rebuilt from the
original request every time: original messages, the last answer, and one message naming its
problems. Never a growing history: the third attempt costs what the second did.
"""

from __future__ import annotations

MAX_LISTED_PROBLEMS = 20  # a few hundred tokens at most; the model fixes the first ones first


def feedback_text(problems: list[str]) -> str:
    listed = problems[:MAX_LISTED_PROBLEMS]
    more = len(problems) - len(listed)
    return (
        "Your answer was not accepted:\n"
        + "\n".join(f"- {problem}" for problem in listed)
        + (f"\n- ... and {more} more problems of the same kinds" if more > 0 else "")
        + "\nAnswer again with the complete, corrected record. Copy every quote verbatim "
        "from the article."
    )
