"""The language being written now: a context variable (a notebook's kernel, a thread writing the
team pages, the email being built each set it), English unless set, and ``_``/``n_`` in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from analysis.vocabulary.language import Language, language

_ACTIVE: ContextVar[Language | None] = ContextVar("language", default=None)
ENGLISH = Language("en")


def current() -> Language:
    """The language being written (English unless set)."""
    return _ACTIVE.get() or ENGLISH


def use(code: str) -> Language:
    """Write in ``code`` from now on in this context (a notebook does so once, from its ``lang``).

    Raises
    ------
    ValueError
        If ``code`` is not a language this tool writes.
    """
    chosen = language(code)
    _ACTIVE.set(chosen)
    return chosen


@contextmanager
def speaking(code: str) -> Iterator[Language]:
    """Write in ``code`` inside the ``with`` block, then as before."""
    token = _ACTIVE.set(language(code))
    try:
        yield current()
    finally:
        _ACTIVE.reset(token)


def _(message: str, **values: Any) -> str:
    """``message`` in the language being written."""
    return current()._(message, **values)


def n_(singular: str, plural: str, n: int, **values: Any) -> str:
    """A message whose words follow the count ``n``, in the language being written."""
    return current().n_(singular, plural, n, **values)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogues where it is written; it is translated where shown (``_(text)``)."""
    return message
