"""Bodies are JSON whatever the request's Content-Type says.

``curl -d '{"name":"acme"}'`` sends ``application/x-www-form-urlencoded``; FastAPI would then not
parse the body as JSON and answer a puzzling "Input should be a valid dictionary". Every body
route of this API takes JSON only, so a body under any other declared type is read as JSON (and
refused as ``invalid_json`` if it is not). Multipart uploads are never JSON: those get 415.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from privrag.api import errors

_JSON = b"application/json"
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class JsonBodies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"content-type"]
        declared = next((v for k, v in scope.get("headers", []) if k == b"content-type"), b"")
        if declared.lower().startswith(b"multipart/"):
            payload = errors.body_bytes(
                "unsupported_media_type",
                "request bodies are JSON (Content-Type: application/json), not multipart",
                "",
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": 415,
                    "headers": [
                        (b"content-type", _JSON),
                        (b"content-length", str(len(payload)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": payload})
            return
        # In place: the gateway reads what the router records in this very scope (the route).
        scope["headers"] = [*headers, (b"content-type", _JSON)]
        await self.app(scope, receive, send)
