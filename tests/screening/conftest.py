"""Screening's end-to-end tests run against the same live loopback server as tests/api."""

from tests.api.conftest import api, serve_api

__all__ = ["api", "serve_api"]
