"""The HTTP API ("secure gateway"); the only importer of fastapi and starlette in privrag."""

from privrag.api.app import create_app

__all__ = ["create_app"]
