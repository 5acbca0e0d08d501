"""The run's settings: ``config/default.toml`` with an optional override file on top, checked once.

Every key has a type, a range and, where it names codes, the codes allowed (``Settings`` below).
Column-map targets must be canonical column names and value-map targets canonical values. An
unknown key is an error that suggests the nearest known one. Every problem is found at once and
raised as one :class:`ConfigError` naming the file, the key, the value and what was expected.

Definition keys may stand at the top level, or inside any section of an override file
(``[supervision] target = 0.85``): the section is only a heading for the reader.
"""

from __future__ import annotations

import calendar as _calendar
import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from analysis.config_file import _EXPECTED, ConfigError, _lower_keys, _merge, _read_toml, _suggest
from analysis.inputs.dataset import ABSENCE_TYPES, ALLOWED_VALUES, COLUMNS, ROLES, SUPERVISION_TYPES
from analysis.measures import MEASURES
from analysis.paths import DEFAULT_CONFIG

REASONS = ("not_in_post", "maternity", "sickness", "annual_leave", "other")
# Literals built from the one list of each (pydantic checks them; mypy cannot read a built Literal).
Role = Literal[ROLES]  # type: ignore[valid-type]
SupervisionType = Literal[SUPERVISION_TYPES]  # type: ignore[valid-type]
AbsenceType = Literal[ABSENCE_TYPES]  # type: ignore[valid-type]
Reason = Literal[REASONS]  # type: ignore[valid-type]
# Tables a [columns.NAME] map may name: the four, and the SSD table read as allocations.
COLUMN_MAP_TABLES = {**{name: name for name in COLUMNS}, "ssd_involvements": "allocations"}
VALUE_MAP_COLUMNS = {column: allowed for (_, column), allowed in ALLOWED_VALUES.items()}
# Sections that are settings of their own, not headings over definition keys.
STRUCTURED_SECTIONS = ("calendar", "report", "columns", "values", "spc_improvement")
SPC_MEASURES = tuple(MEASURES)
Direction = Literal["increase", "decrease", "neutral"]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


class CalendarSettings(BaseModel):
    """Whose bank holidays are not working days (the ``holidays`` package's codes)."""

    model_config = _STRICT
    country: str = Field("GB", description="a country code of the holidays package, e.g. GB")
    subdivision: str | None = Field("WLS", description="a subdivision code of that country, e.g. WLS")

    @model_validator(mode="after")
    def _known_to_holidays(self) -> CalendarSettings:
        import holidays

        supported = holidays.list_supported_countries()
        if self.country not in supported:
            near = difflib.get_close_matches(self.country.upper(), list(supported), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ValueError(f"country {self.country!r} is not a country the holidays package knows{hint}")
        if self.subdivision is not None and self.subdivision not in supported[self.country]:
            raise ValueError(
                f"subdivision {self.subdivision!r} is not one of {self.country}'s: expected one of "
                + ", ".join(supported[self.country])
            )
        return self


def _english() -> list[Literal["en", "cy"]]:
    return ["en"]


class ReportSettings(BaseModel):
    """How the reports are titled and what window they show."""

    model_config = _STRICT
    authority: str = Field(min_length=1, max_length=200, description="the authority named in the title")
    window_months: int = Field(3, ge=0, le=120, description="months before the report month the trend starts")
    contact: str = Field("", max_length=300, description="who to ask about the figures, on the workbook's cover")
    languages: list[Literal["en", "cy"]] = Field(
        default_factory=_english, min_length=1, description="the languages the reports are written in"
    )

    @field_validator("languages")
    @classmethod
    def _once_each(cls, values: list[str]) -> list[str]:
        return _unique(values)


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("each value may appear once")
    return values


class Settings(BaseModel):
    """Every threshold and mapping of a run, typed and checked (see ``config/default.toml``)."""

    model_config = _STRICT

    supervision_roles: list[Role] = Field(min_length=1)
    nqsw_months: int = Field(ge=1, le=60)
    absence_threshold_days: int = Field(ge=1, le=23)
    target: float = Field(gt=0, le=1)
    grace_days: int = Field(ge=0, le=31)
    counting_supervision_types: list[SupervisionType] = Field(min_length=1)
    exclusion_reasons: list[Reason]
    caseload_snapshot: str = Field(pattern=r"^\d{2}-\d{2}$")
    headline_roles: list[Role] = Field(min_length=1)
    nqsw_band_months: int = Field(ge=1, le=59)
    nqsw_max_caseload: list[Annotated[int, Field(ge=0, le=1000)]] = Field(min_length=2, max_length=2)
    max_caseload: int = Field(ge=1, le=1000)
    complex_case_types: list[Annotated[str, Field(min_length=1)]]
    non_case_holding_roles: list[Role]
    unmatched_share: float = Field(0.05, ge=0, le=1)
    planned_absence_types: list[AbsenceType] = ["annual_leave", "maternity"]
    forecast_shrinkage: float = Field(3.0, ge=0, le=100)
    forecast_person_months: int = Field(6, ge=1, le=36)
    forecast_team_months: int = Field(12, ge=1, le=36)
    forecast_unavailable_months: int = Field(12, ge=1, le=36)
    forecast_draws: int = Field(2000, ge=200, le=100_000)
    forecast_seed: int = Field(20191201, ge=0)
    spc_first_month: Month | None = None
    spc_rebase_months: list[Month] = []
    spc_improvement: dict[Literal[SPC_MEASURES], Direction] = {  # type: ignore[valid-type]
        m.name: m.improvement for m in MEASURES.values()
    }
    calendar: CalendarSettings = CalendarSettings()
    report: ReportSettings
    columns: dict[str, dict[str, str]]
    values: dict[str, dict[str, str]]

    _unique_lists = field_validator(
        "supervision_roles",
        "counting_supervision_types",
        "headline_roles",
        "non_case_holding_roles",
        "spc_rebase_months",
        "exclusion_reasons",
        "planned_absence_types",
    )(_unique)

    @field_validator("spc_improvement")
    @classmethod
    def _every_measure(cls, given: dict[str, str]) -> dict[str, str]:
        """A measure the settings leave out improves the way the measures registry says."""
        return {name: given.get(name, measure.improvement) for name, measure in MEASURES.items()}

    @field_validator("exclusion_reasons")
    @classmethod
    def _every_reason(cls, reasons: list[str]) -> list[str]:
        if sorted(reasons) != sorted(REASONS):
            raise ValueError("expected each of " + ", ".join(REASONS) + " once, in the order that breaks ties")
        return reasons

    @field_validator("caseload_snapshot")
    @classmethod
    def _month_day(cls, text: str) -> str:
        month, day = int(text[:2]), int(text[3:])
        if not 1 <= month <= 12 or not 1 <= day <= _calendar.monthrange(2020, month)[1]:
            raise ValueError("expected a real month and day as MM-DD, e.g. 09-30")
        return text

    @field_validator("complex_case_types")
    @classmethod
    def _trimmed_lower(cls, values: list[str]) -> list[str]:
        return [v.strip().lower() for v in values]

    @field_validator("columns")
    @classmethod
    def _column_maps(cls, maps: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        problems = []
        for table, mapping in maps.items():
            if table not in COLUMN_MAP_TABLES:
                problems.append(
                    f"[columns.{table}] is not a table{_suggest(table, COLUMN_MAP_TABLES)}: expected "
                    + ", ".join(COLUMN_MAP_TABLES)
                )
                continue
            canonical = COLUMNS[COLUMN_MAP_TABLES[table]]
            for header, target in mapping.items():
                if target not in canonical:
                    problems.append(
                        f"[columns.{table}] {header!r} = {target!r}: {target!r} is not a column of "
                        f"{COLUMN_MAP_TABLES[table]}{_suggest(target, canonical)}; expected one of "
                        + ", ".join(canonical)
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return {table: _lower_keys(mapping) for table, mapping in maps.items()}

    @field_validator("values")
    @classmethod
    def _value_maps(cls, maps: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        problems = []
        for column, mapping in maps.items():
            if column not in VALUE_MAP_COLUMNS:
                problems.append(
                    f"[values.{column}] is not a coded column{_suggest(column, VALUE_MAP_COLUMNS)}: "
                    "expected " + ", ".join(VALUE_MAP_COLUMNS)
                )
                continue
            allowed = VALUE_MAP_COLUMNS[column]
            for code, target in mapping.items():
                if target not in allowed:
                    problems.append(
                        f"[values.{column}] {code!r} = {target!r}: {target!r} is not a {column}"
                        f"{_suggest(target, allowed)}; expected one of " + ", ".join(allowed)
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return {column: _lower_keys(mapping) for column, mapping in maps.items()}

    @field_validator("nqsw_band_months")
    @classmethod
    def _band_inside_the_status(cls, band: int, info: ValidationInfo) -> int:
        months = info.data.get("nqsw_months")
        if months is not None and band >= months:
            raise ValueError(
                f"nqsw_band_months ({band}) must be less than nqsw_months ({months}): the bands "
                f"are [0, {band}) and [{band}, {months}) months since qualifying"
            )
        return band

    # --- derived values, so that no caller parses a setting again
    @property
    def snapshot_month_day(self) -> tuple[int, int]:
        """The caseload snapshot as (month, day)."""
        return int(self.caseload_snapshot[:2]), int(self.caseload_snapshot[3:])

    def with_changes(self, **changes: Any) -> Settings:
        """A checked copy with ``changes`` applied (a wrong value raises ``ConfigError``)."""
        return _validate({**self.model_dump(), **changes}, "changes")


def _hoist(override: dict[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """Definition keys set inside a heading section moved to the top level; unknown keys found."""
    definitions = [name for name in Settings.model_fields if name not in STRUCTURED_SECTIONS]
    known = [*definitions, *STRUCTURED_SECTIONS]
    flat: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in override.items():
        if key in known:
            flat[key] = value
        elif isinstance(value, dict):
            for inner, inner_value in value.items():
                if inner in definitions:
                    flat[inner] = inner_value
                else:
                    problems.append(f"{where}: [{key}] {inner} is not a setting{_suggest(inner, known)}")
        else:
            problems.append(f"{where}: {key} is not a setting{_suggest(key, known)}")
    return flat, problems


def _validate(raw: dict[str, Any], where: str | dict[str, str]) -> Settings:
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError([_describe(dict(error), raw, where) for error in exc.errors()]) from None


def _describe(error: dict[str, Any], raw: dict[str, Any], where: str | dict[str, str]) -> str:
    """One pydantic error as: file: key = value: what was expected."""
    loc = [str(part) for part in error["loc"]]
    if error["type"] == "extra_forbidden":
        parent = Settings.model_fields.get(loc[0]) if len(loc) > 1 else None
        fields = (
            parent.annotation.model_fields  # type: ignore[union-attr]
            if parent is not None and hasattr(parent.annotation, "model_fields")
            else Settings.model_fields
        )
        key = ".".join(loc)
        source = where if isinstance(where, str) else where.get(loc[0], where["default"])
        return f"{source}: {key} is not a setting{_suggest(loc[-1], fields)}"
    top = loc[0] if loc else ""
    source = where if isinstance(where, str) else where.get(top, where["default"])
    key = top + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc[1:])
    message = _EXPECTED.get(error["type"]) or str(error["msg"]).removeprefix("Value error, ").replace(
        "Input should be", "expected"
    )
    if error["type"] == "string_pattern_mismatch":
        message = "expected MM-DD, e.g. 09-30" if top == "caseload_snapshot" else "expected a month as YYYY-MM"
    if error["type"] == "missing":
        return f"{source}: {key} is missing: expected it to be set"
    shown = error.get("input")
    if isinstance(shown, dict) and error["type"] == "value_error":
        return f"{source}: [{key}] {message}" if top not in ("columns", "values") else f"{source}: {message}"
    return f"{source}: {key} = {shown!r}: {message}"


def load_config(path: str | Path | None = None) -> Settings:
    """Read the defaults, put the keys ``path`` sets on top, and check everything.

    Parameters
    ----------
    path
        An override TOML file, or ``None`` for the defaults alone.

    Returns
    -------
    Settings
        Every setting, typed; column and value map keys lower-cased and trimmed.

    Raises
    ------
    ConfigError
        If a file is missing or is not TOML, or any key is unknown, of the wrong type, out of
        range or names an unknown code: every problem at once.
    """
    base = _read_toml(DEFAULT_CONFIG)
    where: dict[str, str] = {"default": str(DEFAULT_CONFIG)}
    if path is None:
        return _validate(base, where)
    override, problems = _hoist(_read_toml(Path(path)), str(path))
    merged = _merge(base, override)
    where.update({key: str(path) for key in override})
    if "nqsw_months" in override:  # the band is checked against it
        where["nqsw_band_months"] = str(path)
    try:
        settings = _validate(merged, where)
    except ConfigError as exc:
        problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return settings


def settings_digest(config: Settings) -> str:
    """The SHA-256 of every resolved setting (the defaults with the run's file on top), as canonical JSON:
    recorded in the manifest, and the key a notebook's cached tables are read by."""
    import hashlib
    import json

    text = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
