"""Entries a consumer holds in memory: one ordered queue per chat, so one slow chat never
holds up the others, and the next head that may go."""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass


def _order(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


@dataclass(eq=False)
class Entry:
    id: str
    fields: dict[str, str]
    failures: int = 0
    retry_at: float = 0.0

    @property
    def chat(self) -> str:
        return self.fields["to"]


class Schedule:
    """Entries held in memory, one ordered queue per chat; yields the next sendable head."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._chats: dict[str, list[Entry]] = {}
        self._chat_next: dict[str, float] = {}
        self._heap: list[tuple[float, tuple[int, int], int, str]] = []
        self._tokens: dict[str, int] = {}
        self._counter = itertools.count()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: str) -> bool:
        return entry_id in self._entries

    def ids(self) -> list[str]:
        return list(self._entries)

    def add(self, entry: Entry) -> None:
        self._entries[entry.id] = entry
        queue = self._chats.setdefault(entry.chat, [])
        bisect.insort(queue, entry, key=lambda e: _order(e.id))  # reclaimed entries may be older
        if queue[0] is entry:
            self._push(entry.chat)

    def peek(self, now: float) -> tuple[Entry | None, float]:
        """The head that may go now (or None) and when the earliest head may go."""
        while self._heap:
            ready, _, token, chat = self._heap[0]
            if self._tokens.get(chat) != token:
                heapq.heappop(self._heap)
                continue
            return (self._chats[chat][0] if ready <= now else None), ready
        return None, math.inf

    def done(self, entry: Entry, chat_next: float) -> None:
        self._remove(entry)
        self._chat_next[entry.chat] = chat_next
        if len(self._chat_next) > 10_000:
            now = time.monotonic()
            self._chat_next = {c: t for c, t in self._chat_next.items()
                               if t > now or c in self._chats}
        self._refresh(entry.chat)

    def defer(self, entry: Entry, retry_at: float, chat_next: float) -> None:
        entry.retry_at = retry_at
        self._chat_next[entry.chat] = chat_next
        self._refresh(entry.chat)

    def drop(self, ids: Iterable[str]) -> None:
        for entry_id in ids:
            if (entry := self._entries.get(entry_id)) is not None:
                self._remove(entry)
                self._refresh(entry.chat)

    def _remove(self, entry: Entry) -> None:
        del self._entries[entry.id]
        queue = self._chats[entry.chat]
        queue.pop(next(i for i, e in enumerate(queue) if e is entry))

    def _push(self, chat: str) -> None:
        head = self._chats[chat][0]
        ready = max(self._chat_next.get(chat, 0.0), head.retry_at)
        token = self._tokens[chat] = next(self._counter)
        heapq.heappush(self._heap, (ready, _order(head.id), token, chat))

    def _refresh(self, chat: str) -> None:
        if self._chats.get(chat):
            self._push(chat)
        else:
            self._chats.pop(chat, None)
            self._tokens.pop(chat, None)

