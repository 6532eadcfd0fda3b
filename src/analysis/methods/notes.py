"""Caveat notes: the one way the methods gather what they say about each series.

A `Notes` collects messages for rows of a table and joins each row's messages with ";", in the
order they were added; a row without a message gets "". The `flags` of the result table, the
`note` of each progress method and the `flags` of a projection are all built this way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

SEPARATOR = ";"


class Notes:
    """Messages for `n` rows, kept as (rows, messages) and joined once by `joined`."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._rows: list[np.ndarray] = []
        self._messages: list[np.ndarray] = []

    def add_rows(self, rows: np.ndarray, messages: Sequence[str] | np.ndarray) -> None:
        """Add `messages[k]` to row `rows[k]`."""
        if len(rows):
            self._rows.append(np.asarray(rows, dtype=np.int64))
            self._messages.append(np.asarray(messages, dtype=object))

    def add(self, mask: np.ndarray, text: str) -> None:
        """Add `text` to every row where `mask`."""
        rows = np.flatnonzero(mask)
        self.add_rows(rows, np.full(rows.size, text, dtype=object))

    def add_each(self, mask: np.ndarray, make: Callable[[int], str]) -> None:
        """Add `make(row)` to every row where `mask` (a message that names the row's values)."""
        rows = np.flatnonzero(mask)
        self.add_rows(rows, [make(int(i)) for i in rows])

    def add_notes(self, notes: np.ndarray, where: np.ndarray, prefix: str = "") -> None:
        """Add the non-empty joined notes of another table (aligned rows) where `where`, with
        `prefix` before each of their messages."""
        notes = np.asarray(notes, dtype=object)
        rows = np.flatnonzero(where & (notes != ""))
        messages = notes[rows]
        if prefix:
            messages = [SEPARATOR.join(prefix + m for m in s.split(SEPARATOR)) for s in messages]
        self.add_rows(rows, messages)

    def extend(self, other: Notes) -> None:
        """Add every message of `other` (same rows), after those already here."""
        self._rows.extend(other._rows)
        self._messages.extend(other._messages)

    def joined(self) -> np.ndarray:
        """One string per row: its messages joined with ";" ("" without any)."""
        out = np.full(self.n, "", dtype=object)
        if not self._rows:
            return out
        rows = np.concatenate(self._rows)
        messages = np.concatenate(self._messages)
        order = np.argsort(rows, kind="stable")
        rows, messages = rows[order], messages[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        joined = np.add.reduceat(messages + SEPARATOR, starts)
        out[rows[starts]] = [s[: -len(SEPARATOR)] for s in joined]
        return out
