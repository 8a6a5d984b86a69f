"""How long to wait before trying again: the one backoff formula (reconnects, retries of a
send or an API call). Ground floor: imports nothing of ours."""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_delay(attempt: int, *, base: float, cap: float, jitter: float,
                  rand: Callable[[], float] = random.random) -> float:
    """Seconds before retry `attempt` (0-based): base·2^attempt, at most `cap`, less a random
    share of up to `jitter` of it (jitter 0.5 is "equal jitter": between half and all)."""
    delay = min(cap, base * 2 ** min(attempt, 32))
    return delay * (1.0 - jitter * rand())
