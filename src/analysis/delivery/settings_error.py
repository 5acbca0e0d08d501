"""The one error every email setting raises."""

from __future__ import annotations


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variables, never a secret."""
