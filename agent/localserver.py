"""A small OpenAI-compatible Chat Completions server on 127.0.0.1, for --replay and for tests.

It speaks HTTP like a real endpoint, so the real `openai` client, our retries and timeouts run
end to end. What it answers is decided by a Responder: `--replay` looks up recordings; the test
suite scripts exact replies and faults (status codes, Retry-After, delays, dropped connections).
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (client timeouts)
    drop: bool = False  # reset the connection instead of answering


Responder = Callable[[dict[str, Any]], Reply]


def json_reply(
    status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> Reply:
    body = json.dumps(payload).encode("utf-8")
    return Reply(status=status, body=body, headers=headers or {})


def error_reply(status: int, message: str, code: str | None = None, **headers: str) -> Reply:
    error = {"message": message, "type": code or "error", "code": code}
    return json_reply(status, {"error": error}, headers)


class _QuietHTTPServer(ThreadingHTTPServer):
    """socketserver prints a traceback to stderr when a handler fails (a client resetting a
    keep-alive connection, say). Inside `summarise --replay` that would reach the user: record
    the error instead."""

    daemon_threads = True
    block_on_close = False
    # socketserver's default listen backlog is 5: a burst of concurrent requests (batch, chunks)
    # overflows it, the kernel drops the extra connections and the client's short connect
    # timeout reports an unreachable server on a busy machine
    request_queue_size = 256
    handler_errors: list[str]

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        self.handler_errors.append(f"{type(error).__name__}: {error}")


class LocalChatServer:
    """Context manager: serves POST .../chat/completions from `responder` on a free port."""

    def __init__(self, responder: Responder, models_owner: str | None = None) -> None:
        self.responder = responder
        # GET /models lists one model owned by this (a server family's mark, model/probe.py);
        # None: 404, as a server that lists no models
        self.models_owner = models_owner
        self.requests: list[dict[str, Any]] = []  # every request body received, in order
        self._server = _QuietHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.handler_errors = []
        # shutdown() waits for the serve loop's next poll: keep it short, tests start hundreds
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> LocalChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _make_handler(server: LocalChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if server.models_owner is None or not self.path.rstrip("/").endswith("/models"):
                self._send(error_reply(404, f"no route {self.path}", "not_found"))
                return
            listed = [{"id": "local-model", "object": "model", "owned_by": server.models_owner}]
            self._send(json_reply(200, {"object": "list", "data": listed}))

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(error_reply(404, f"no route {self.path}", "not_found"))
                return
            try:
                request = json.loads(raw)
            except json.JSONDecodeError:
                self._send(error_reply(400, "request body is not JSON", "invalid_request"))
                return
            server.requests.append(request)
            self._send(server.responder(request))

        def _send(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                # SO_LINGER 0: close sends a TCP reset, as a crashed proxy would
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                return
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: the tests and --replay read the server's requests, not its log."""

    return Handler
