"""Run the app on uvicorn: in the foreground (``privrag serve``) or in a background thread on a
free loopback port (tests, the load bench)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

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


def serve(app: Any, *, host: str, port: int) -> None:
    """Serve until interrupted. uvicorn's access log is off: it would log raw paths; the
    gateway writes its own JSON line per request with the route template instead."""
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=LOG_CONFIG)


class BackgroundServer:
    """uvicorn in a daemon thread on 127.0.0.1 and a port the OS picks."""

    def __init__(self, app: Any, *, log_config: dict[str, Any] | None = None) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, access_log=False, log_config=log_config, lifespan="on")
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
