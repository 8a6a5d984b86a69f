"""OpenAPI description of every endpoint: each endpoint declares its document with
`@documented(...)`; `openapi_document(routes)` (see web/operations.py) assembles them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Param:
    """A query (or path) parameter."""

    name: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    description: str = ""
    location: str = "query"  # "query" | "path" | "header"


@dataclass(frozen=True)
class EndpointDoc:
    summary: str
    tags: tuple[str, ...]
    auth: bool
    params: tuple[Param, ...]
    body: dict[str, Any] | None  # JSON schema of the request body
    responses: dict[int, str]  # status -> description


def documented(*, summary: str, tags: list[str], auth: bool = True,
               params: list[Param] | None = None, body: dict[str, Any] | None = None,
               responses: dict[int, str] | None = None) -> Callable[[F], F]:
    def attach(endpoint: F) -> F:
        endpoint.__openapi__ = EndpointDoc(  # type: ignore[attr-defined]
            summary, tuple(tags), auth, tuple(params or ()), body,
            responses or {200: "OK"})
        return endpoint

    return attach
