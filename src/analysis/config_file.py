"""Settings files as data: TOML read with a refusal naming the file, an override merged onto the defaults.

And the words for a mistyped key or value, and the error that carries every problem at once.
"""

from __future__ import annotations

import copy
import difflib
import tomllib
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """The settings cannot be used: a file is missing or not TOML, or keys are wrong.

    ``problems`` holds one sentence per problem; ``str(exc)`` joins them.
    """

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(
            "; ".join(self.problems)
            if len(self.problems) == 1
            else f"{len(self.problems)} problems in the settings:\n  " + "\n  ".join(self.problems)
        )


def _lower_keys(table: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): (v.strip() if isinstance(v, str) else v) for k, v in table.items()}


def _suggest(word: str, choices: Any) -> str:
    near = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file {path} does not exist.") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"Config file {path} is a folder: expected a TOML file.") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Config file {path} is not UTF-8 text: expected a TOML file.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from exc
    except OSError as exc:
        raise ConfigError(f"Config file {path} cannot be read: {exc.strerror or exc}.") from exc


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


_EXPECTED = {
    "list_type": 'expected a list in square brackets, e.g. ["a", "b"]',
    "int_type": "expected a whole number, without quotes",
    "float_type": "expected a number, without quotes",
    "string_type": "expected text in quotes",
    "bool_type": "expected true or false",
    "dict_type": "expected a [section] of keys",
    "model_type": "expected a [section] of keys",
}
