"""An in-process test double: a Python function answers instead of a server, no socket.

Like pydantic-ai's FunctionModel: `FunctionModel(answer)` is a Transport whose `answer(call)`
gets the request as the dialect built it (`call.messages`, `call.tools`, the whole `call.body`)
and returns the JSON text. The text is wrapped in a Chat Completions body of the request's
shape (a tool call when the request forces one), so the real parsing runs. Raising a
SummariseError (a failures.RequestRejected, say) plays a failing endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from summarise_agent.model.transport import Delivery


@dataclass(frozen=True)
class ModelCall:
    body: dict[str, Any]  # the request body, as it would go over HTTP

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body["messages"])

    @property
    def tools(self) -> bool:
        return "tools" in self.body


Answerer = Callable[[ModelCall], str]


class FunctionModel:
    def __init__(self, answer: Answerer, *, finish_reason: str = "stop") -> None:
        self._answer = answer
        self._finish_reason = finish_reason
        self.calls: list[ModelCall] = []
        self.endpoint = "function-model"

    async def send(self, body: dict[str, Any]) -> Delivery:
        call = ModelCall(json.loads(json.dumps(body)))  # a copy, as a server would see it
        self.calls.append(call)
        text = self._answer(call)
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if call.tools:
            name = body["tools"][0]["function"]["name"]
            function = {"name": name, "arguments": text}
            message = {"role": "assistant", "content": None,
                       "tool_calls": [{"id": f"call_{len(self.calls)}", "type": "function",
                                       "function": function}]}  # fmt: skip
        completion = {
            "object": "chat.completion",
            "choices": [{"index": 0, "message": message, "finish_reason": self._finish_reason}],
            "usage": {"prompt_tokens": len(json.dumps(call.messages)) // 4,
                      "completion_tokens": len(text) // 4 + 1},
        }  # fmt: skip
        return Delivery(json.dumps(completion).encode("utf-8"), 1)

    async def close(self) -> None:
        """Nothing to release."""
