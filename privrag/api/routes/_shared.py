"""What every route module shares: the gateway dependency and the documented error answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from privrag.api.schemas import ErrorBody
from privrag.api.state import Gateway, gateway

GatewayDep = Annotated[Gateway, Depends(gateway)]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in (*statuses, 401, 403, 422, 429, 500, 503)}
