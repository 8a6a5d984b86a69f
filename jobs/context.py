"""What every job receives: the shared resources of the worker process."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.settings import Settings


@dataclass
class JobContext:
    settings: Settings
    database_url: str
    engine: AsyncEngine
    redis: Redis
    http: httpx.AsyncClient
