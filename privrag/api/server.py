"""Run the app on uvicorn: in the foreground (``privrag serve``) or in a background thread on a
free loopback port (tests, the load bench).

Slow clients are cut off: uvicorn closes idle keep-alive connections itself, and our protocol
closes a connection whose request line and headers have not all arrived within
``api_header_timeout_s`` of its opening (or of the previous response); the gateway bounds the
time for the body (408).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "privrag.api.app.JsonLogFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "privrag": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol plus a deadline for each request's headers."""

    header_timeout = 10.0

    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE:
            self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        deadline = self._header_deadline
        if deadline is not None:
            deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def _server_options(app: Any) -> dict[str, Any]:
    """uvicorn options from the app's settings (timeouts), when it is a privrag app."""
    gateway = getattr(getattr(app, "state", None), "gateway", None)
    settings = getattr(gateway, "settings", None)
    header_timeout = settings.api_header_timeout_s if settings is not None else 10.0
    protocol = type(
        "HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": header_timeout}
    )
    options: dict[str, Any] = {"http": protocol, "access_log": False}
    if settings is not None:
        options["timeout_keep_alive"] = settings.api_keep_alive_s
    return options


def serve(app: Any, *, host: str, port: int) -> None:
    """Serve until interrupted. uvicorn's access log is off: it would log raw paths; the
    gateway writes its own JSON line per request with the route template instead."""
    uvicorn.run(app, host=host, port=port, log_config=LOG_CONFIG, **_server_options(app))


class BackgroundServer:
    """uvicorn in a daemon thread on 127.0.0.1 and a port the OS picks."""

    def __init__(self, app: Any, *, log_config: dict[str, Any] | None = None) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_config=log_config, lifespan="on", **_server_options(app))
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self, timeout: float = 30.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
