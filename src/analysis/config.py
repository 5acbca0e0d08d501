"""The run's configuration: ``config/default.toml`` with an optional override file on top."""

from __future__ import annotations

import copy
import sys
import tomllib
from pathlib import Path
from typing import Any

from analysis.paths import DEFAULT_CONFIG

# Sections that hold nested tables rather than definition keys.
_STRUCTURED_SECTIONS = {"columns", "values", "calendar", "report"}


class ConfigError(Exception):
    """The configuration file is missing, not TOML, or holds a value of the wrong kind."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file {path} does not exist.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from exc


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _hoist_definitions(override: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Let an override set definition keys inside any section, e.g. ``[supervision] target``."""
    flat = {k: v for k, v in override.items() if not isinstance(v, dict) or k in _STRUCTURED_SECTIONS}
    for section, table in override.items():
        if isinstance(table, dict) and section not in _STRUCTURED_SECTIONS:
            for key, value in table.items():
                if key in known:
                    flat[key] = value
                else:
                    print(f"warning: config key [{section}] {key} is not one this tool knows; ignored",
                          file=sys.stderr)
    for key in list(flat):
        if key not in known and key not in _STRUCTURED_SECTIONS:
            print(f"warning: config key {key} is not one this tool knows; ignored", file=sys.stderr)
            del flat[key]
    return flat


def _lower_keys(table: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): (v.strip() if isinstance(v, str) else v) for k, v in table.items()}


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """Read the default configuration, then the keys ``path`` sets on top of it.

    Parameters
    ----------
    path
        An override TOML file, or ``None`` for the defaults alone.

    Returns
    -------
    dict
        Definition keys at the top level; ``calendar``, ``report``, ``columns.NAME`` and
        ``values.NAME`` as tables. Column and value map keys are lower-cased and trimmed.

    Raises
    ------
    ConfigError
        If a file is missing or is not valid TOML, or a threshold has the wrong type.
    """
    config = _read_toml(DEFAULT_CONFIG)
    if path is not None:
        known = {k for k, v in config.items() if not isinstance(v, dict)}
        config = _merge(config, _hoist_definitions(_read_toml(Path(path)), known))
    for group in ("columns", "values"):
        config[group] = {name: _lower_keys(table) for name, table in config.get(group, {}).items()}
    _check_types(config)
    return config


def _check_types(config: dict[str, Any]) -> None:
    ints = ["nqsw_months", "absence_threshold_days", "grace_days", "nqsw_band_months", "max_caseload"]
    for key in ints:
        if not isinstance(config.get(key), int) or isinstance(config.get(key), bool) or config[key] < 0:
            raise ConfigError(f"Config key {key} must be a whole number of at least 0, not {config.get(key)!r}.")
    target = config.get("target")
    if not isinstance(target, (int, float)) or not 0 <= target <= 1:
        raise ConfigError(f"Config key target must be a fraction between 0 and 1, not {target!r}.")
    limits = config.get("nqsw_max_caseload")
    if not (isinstance(limits, list) and len(limits) == 2 and all(isinstance(x, int) for x in limits)):
        raise ConfigError(f"Config key nqsw_max_caseload must be two whole numbers, not {limits!r}.")
    snapshot = str(config.get("caseload_snapshot", ""))
    parts = snapshot.lstrip("-").split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not (1 <= int(parts[0]) <= 12):
        raise ConfigError(f"Config key caseload_snapshot must be MM-DD, not {snapshot!r}.")


def snapshot_month_day(config: dict[str, Any]) -> tuple[int, int]:
    """The caseload snapshot as (month, day)."""
    month, day = str(config["caseload_snapshot"]).lstrip("-").split("-")
    return int(month), int(day)
