"""A local fake of OpenAI's Files and Batches endpoints, over real HTTP on 127.0.0.1, so the
openai SDK and `summarise batch --provider-batch` run end to end against it.

Routes: POST /v1/files (multipart upload), GET /v1/files/ID/content, POST /v1/batches,
GET /v1/batches/ID, GET /v1/batches (list, newest first), and POST /v1/chat/completions (the
online re-asks, answered by `chat`). Batches stay `in_progress` until the test ends them with
`finish`, `expire`, `cancel` or `fail`, or `auto_finish_after` polls. Faults: `hold[route]` is an
Event the handler waits on before answering (so a test can kill the client mid-step), and
`drop_after[route]` counts answers to drop after the work is done (a lost response).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from batch_support import ArticleResponder

# (custom_id, request body) -> (status code, response body), or None for "not answered"
Answerer = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]] | None]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client killed mid-answer (the crash tests): nothing to report."""


class FakeBatchApi:
    def __init__(self, chat: ArticleResponder | None = None) -> None:
        self.chat = chat or ArticleResponder()
        self.files: dict[str, dict[str, Any]] = {}  # id -> {"meta": ..., "data": bytes}
        self.batches: dict[str, dict[str, Any]] = {}
        self.chat_requests: list[dict[str, Any]] = []
        self.arrived: dict[str, threading.Event] = {}  # route -> set when a request arrives
        self.hold: dict[str, threading.Event] = {}
        self.drop_after: dict[str, int] = {}
        self.auto_finish_after: int | None = None  # polls of a batch before it completes
        self._lock = threading.Lock()
        self._count = 0
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)  # fmt: skip

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeBatchApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for event in self.hold.values():
            event.set()
        self._server.shutdown()
        self._server.server_close()

    # what tests look at

    def requests_of(self, batch_id: str) -> list[dict[str, Any]]:
        data = self.files[self.batches[batch_id]["input_file_id"]]["data"]
        return [json.loads(line) for line in data.splitlines()]

    def batch_ids(self) -> list[str]:
        return sorted(self.batches, key=lambda b: self.batches[b]["created_at"])

    # how tests end a batch

    def finish(self, batch_id: str, answer: Answerer | None = None) -> None:
        self._end(batch_id, "completed", answer or self.valid_answer, None)

    def expire(self, batch_id: str, answered: int) -> None:
        self._end(batch_id, "expired", self.valid_answer, answered)

    def cancel(self, batch_id: str, answered: int = 0) -> None:
        self._end(batch_id, "cancelled", self.valid_answer, answered)

    def fail(self, batch_id: str, message: str) -> None:
        batch = self.batches[batch_id]
        batch["status"] = "failed"
        batch["errors"] = {"object": "list", "data": [{"code": "invalid_request",
                                                       "message": message}]}  # fmt: skip

    def valid_answer(self, custom_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        reply = self.chat(body)
        return reply.status, json.loads(reply.body)

    def _end(self, batch_id: str, status: str, answer: Answerer, answered: int | None) -> None:
        batch = self.batches[batch_id]
        outputs, errors = [], []
        for number, request in enumerate(self.requests_of(batch_id)):
            custom_id = request["custom_id"]
            got = answer(custom_id, request["body"]) if answered is None or number < answered \
                else None  # fmt: skip
            if got is None:
                code = "batch_expired" if status == "expired" else "batch_cancelled"
                errors.append({"id": f"req_{number}", "custom_id": custom_id, "response": None,
                               "error": {"code": code, "message": f"This request was {status}"}})
                continue
            code, body = got
            line = {"id": f"req_{number}", "custom_id": custom_id, "error": None,
                    "response": {"status_code": code, "request_id": f"r{number}", "body": body}}
            (outputs if code == 200 else errors).append(line)
        batch["status"] = status
        batch["request_counts"] = {"total": len(outputs) + len(errors),
                                   "completed": len(outputs), "failed": len(errors)}  # fmt: skip
        if outputs:
            batch["output_file_id"] = self._store(_jsonl(outputs), "batch_output")["id"]
        if errors:
            batch["error_file_id"] = self._store(_jsonl(errors), "batch_output")["id"]

    # the endpoints

    def _store(self, data: bytes, purpose: str, filename: str = "out.jsonl") -> dict[str, Any]:
        with self._lock:
            self._count += 1
            file_id = f"file-{self._count:04d}"
        meta = {"id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                "filename": filename, "purpose": purpose, "status": "processed"}  # fmt: skip
        self.files[file_id] = {"meta": meta, "data": data}
        return meta

    def upload(self, content_type: str, raw: bytes) -> dict[str, Any]:
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[str(name)] = (part.get_filename(), part.get_payload(decode=True))
        filename, data = fields["file"]
        purpose = fields["purpose"][1].decode()
        return self._store(data, purpose, filename or "upload.jsonl")

    def create(self, request: dict[str, Any]) -> dict[str, Any]:
        assert request["input_file_id"] in self.files, "unknown input file"
        assert request["endpoint"] == "/v1/chat/completions"
        assert request["completion_window"] == "24h"
        with self._lock:
            self._count += 1
            batch_id = f"batch_{self._count:04d}"
        batch = {"id": batch_id, "object": "batch", "endpoint": request["endpoint"],
                 "errors": None, "input_file_id": request["input_file_id"],
                 "completion_window": "24h", "status": "in_progress", "output_file_id": None,
                 "error_file_id": None, "created_at": int(time.time()) + len(self.batches),
                 "metadata": request.get("metadata"), "polls": 0,
                 "request_counts": {"total": 0, "completed": 0, "failed": 0}}  # fmt: skip
        self.batches[batch_id] = batch
        return batch

    def retrieve(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        batch["polls"] += 1
        if self.auto_finish_after is not None and batch["status"] == "in_progress" \
                and batch["polls"] > self.auto_finish_after:  # fmt: skip
            self.finish(batch_id)
        return batch

    def listing(self) -> dict[str, Any]:
        data = sorted(self.batches.values(), key=lambda b: -b["created_at"])
        return {"object": "list", "data": data, "has_more": False,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None}  # fmt: skip


def _jsonl(lines: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def _handler(api: FakeBatchApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?")[0].rstrip("/")
            parts = path.split("/")
            if path.endswith("/content"):
                self._answer("content", 200, api.files[parts[-2]]["data"], "application/jsonl")
            elif path.endswith("/batches"):
                self._json("list", api.listing())
            else:
                self._json("retrieve", api.retrieve(parts[-1]))

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.rstrip("/")
            if path.endswith("/files"):
                self._json("upload", api.upload(self.headers["Content-Type"], raw))
            elif path.endswith("/batches"):
                self._json("create", api.create(json.loads(raw)))
            else:
                request = json.loads(raw)
                api.chat_requests.append(request)
                reply = api.chat(request)
                self._answer("chat", reply.status, reply.body, "application/json",
                             reply.headers)  # fmt: skip

        def _json(self, route: str, payload: dict[str, Any]) -> None:
            body = {key: value for key, value in payload.items() if key != "polls"}
            self._answer(route, 200, json.dumps(body).encode(), "application/json")

        def _answer(self, route: str, status: int, body: bytes, kind: str,
                    headers: dict[str, str] | None = None) -> None:  # fmt: skip
            api.arrived.setdefault(route, threading.Event()).set()
            if route in api.hold:
                api.hold[route].wait()
            if api.drop_after.get(route, 0) > 0:  # the work is done, the answer is lost
                api.drop_after[route] -= 1
                self.close_connection = True
                return
            self.send_response(status)
            for name, value in {"Content-Type": kind, **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Silent."""

    return Handler
