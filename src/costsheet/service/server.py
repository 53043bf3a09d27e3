"""Serving the app under uvicorn, with the connection limits uvicorn lacks.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but has
no limit on how long a client may take to send its request headers: 200
connections sending one header byte every few seconds stay open for as
long as they like.  :class:`GuardedH11Protocol` is uvicorn's h11 protocol
with two additions:

- a **header timeout**: from a connection's start, or from the first byte of
  its next request, the headers must be complete within ``header_timeout``
  seconds, else the connection is closed (with a 408 ``header-timeout``
  answer if part of a request had arrived);
- a **connection limit** answered in the service's JSON shape: a request
  that arrives while more than ``max_connections`` connections are open is
  answered 503 ``too-many-connections`` and its connection is closed
  (uvicorn's own ``limit_concurrency`` answers in plain text).

The body has its own time limit in :class:`~costsheet.service.limits.BodyLimitMiddleware`
(the application sees the body; it does not see the headers arrive).
uvicorn and h11 are imported here, so only ``costsheet serve`` imports this module.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import error_body
from .settings import ServiceSettings

__all__ = ["GuardedH11Protocol", "config", "protocol_class", "serve", "serve_web"]


def _raw_answer(status: str, code: str, detail: str) -> bytes:
    body = json.dumps(error_body(code, detail)).encode("ascii")
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header timeout and a JSON-answered connection limit (see the module)."""

    #: seconds the request headers may take to arrive
    header_timeout: float = 10.0
    #: open connections beyond which requests are refused
    max_connections: int = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_concurrency = None  # the limit is _admit's, answered as JSON
        self._header_timer: asyncio.TimerHandle | None = None
        self._partial_request = False
        self.app = self._admit(self.app)

    def _admit(self, app: Any) -> Any:
        connections = self.connections
        limit = self.max_connections
        refusal = {
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
        body = json.dumps(
            error_body("too-many-connections", f"more than {limit} connections are open; retry in a moment")
        ).encode("ascii")

        async def admit(scope: Any, receive: Any, send: Any) -> None:
            if len(connections) > limit:
                await send(refusal)
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)

        return admit

    # ------------------------------------------------------------ the header timer

    # the transport type of uvicorn's own override (narrower than asyncio.BaseProtocol's)
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and self.conn.their_state is h11.IDLE:
            self._start_header_timer()  # the next request on a kept-alive connection begins
        self._partial_request = True
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._stop_header_timer()
            self._partial_request = False

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._stop_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self._partial_request:
            self.transport.write(
                _raw_answer(
                    "408 Request Timeout",
                    "header-timeout",
                    f"the request headers did not arrive within {self.header_timeout:g} s",
                )
            )
        self.transport.close()


def protocol_class(settings: ServiceSettings) -> type[GuardedH11Protocol]:
    """The protocol class with this instance's header timeout and connection limit."""
    return type(
        "CostsheetH11Protocol",
        (GuardedH11Protocol,),
        {
            "header_timeout": settings.header_timeout,
            "max_connections": settings.max_connections,
        },
    )


def config(settings: ServiceSettings, host: str, port: int, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration of ``costsheet serve`` (``options`` go to uvicorn, e.g. ``log_level``)."""
    from . import create_app

    return uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        http=protocol_class(settings),
        ws="none",
        lifespan="on",
        # uvicorn annotates an int but hands the value to loop.call_later, which takes fractions of a second
        timeout_keep_alive=settings.keep_alive_timeout,  # type: ignore[arg-type]
        **options,
    )


def serve(settings: ServiceSettings, host: str, port: int, **options: Any) -> None:
    """Run the service until it is stopped (Ctrl-C, SIGTERM)."""
    uvicorn.Server(config(settings, host, port, **options)).run()


def serve_web(
    ruleset: str, master_data: tuple[str, ...], host: str, port: int, history: str | None = None, **options: Any
) -> None:
    """Run ``costsheet web`` until it is stopped: the ruleset is loaded first (its diagnostics are a
    page, not a refusal to start), then served with the service's connection guards."""
    from .web import Project, create_web_app

    settings = ServiceSettings()
    app = create_web_app(Project(ruleset, master_data), history=history)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            http=protocol_class(settings),
            ws="none",
            lifespan="on",
            # uvicorn annotates an int but hands the value to loop.call_later, which takes fractions of a second
            timeout_keep_alive=settings.keep_alive_timeout,  # type: ignore[arg-type]
            timeout_graceful_shutdown=1,  # open event streams do not hold the stop up
            **options,
        )
    )
    server.run()
