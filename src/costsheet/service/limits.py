"""Request limits that must hold before any parsing starts.

The body limits are plain ASGI middleware, so an oversized request is refused
from its ``Content-Length`` (or while it streams in) before FastAPI reads it
into memory, and a body that trickles in is refused once its time is up.  The
nesting scan is a single pass over the text: it refuses a formula like
``((((…1…))))`` or ``- - - … 1`` before the parser ever sees it.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .errors import error_body

__all__ = ["BodyLimitMiddleware", "position", "too_deep"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_OPERATORS = frozenset("+-*/%§\u2212\u2013")
_PARENTHESIS = re.compile(r"[()]")


def too_deep(text: str, limit: int, *, operators: bool = False) -> int | None:
    """The offset in ``text`` where nesting first exceeds ``limit``, or ``None``.

    Nesting counts open parentheses; with ``operators`` (a formula) a run of
    operator signs counts too, since ``- - - 1`` nests as deep as ``(((1)))``
    (whitespace does not break a run).  One pass, no recursion, so it is
    safe on any input.
    """
    if not operators:
        return _too_many_parentheses(text, limit)
    depth = run = 0
    for offset, char in enumerate(text):
        if char.isspace():
            continue
        run = run + 1 if operators and char in _OPERATORS else 0
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        if depth + run > limit:
            return offset
    return None


def _too_many_parentheses(text: str, limit: int) -> int | None:
    """:func:`too_deep` without operators: only parentheses count, found by a regular expression.

    A 1 MB ruleset is scanned in milliseconds (the request waits on the
    server's event loop for this scan)."""
    if text.count("(") <= limit:
        return None
    depth = 0
    for match in _PARENTHESIS.finditer(text):
        if match.group() == "(":
            depth += 1
            if depth > limit:
                return match.start()
        elif depth:
            depth -= 1
    return None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``max_bytes`` (413) or slower than ``timeout`` seconds (408).

    The body is read (at most ``max_bytes``, within ``timeout`` of the end of
    the headers) before the application runs and replayed to it, so the
    application never sees a partial body and a refusal can always be sent
    as a proper response.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = 30.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await self._refuse(send, 400, "bad-request", "the Content-Length header is not a number")
                return
            if declared > self.max_bytes:
                await self._too_large(send)
                return
        try:
            async with asyncio.timeout(self.timeout):
                body = await self._read_body(receive)
        except TimeoutError:
            await self._refuse(
                send, 408, "body-timeout", f"the request body did not arrive within {self.timeout:g} s; send it at once"
            )
            return
        if body is None:  # the client went away
            return
        if len(body) > self.max_bytes:
            await self._too_large(send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or ``None`` on disconnect; reading stops just past ``max_bytes``."""
        chunks: list[bytes] = []
        size = 0
        while size <= self.max_bytes:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _too_large(self, send: Send) -> None:
        await self._refuse(
            send,
            413,
            "request-too-large",
            f"the request body is larger than {self.max_bytes} bytes; send a smaller ruleset or split it",
        )

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, detail: str) -> None:
        payload = json.dumps(error_body(code, detail)).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
