"""The contract profile: the figures and rules a city's contract sets, as data.

A profile is JSON (the shipped examples are the seed contracts in
``resources/contracts/*.json``); a workspace keeps its own in the ``contract_profile``
setting (:mod:`.profile_store`). Every threshold may be ``null``: the contract sets no
such figure, and the KPI is shown without a verdict. What each field means and which seed
sentence it comes from: the README's *Contract KPIs* section and each measure's docstring.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..i18n import tr
from ..paths import resource
from ..workspace.schema.census import PROBLEM_STATUSES as CENSUS_PROBLEM_STATUSES
from .sheet import ScoringSheet, SheetError
from .worktime import WorkingTime, WorkTimeError

_CTX = "Kpi"
DEFAULT_PROFILE = "suzhou-2021"
VALID_STATES = ("accepted", "updated")  # filed / accepted (立案): DOMAIN.md
PROBLEM_STATUSES = CENSUS_PROBLEM_STATUSES


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the field (translated)."""


@dataclass(frozen=True)
class Volumes:
    """Seed 000: 「项目服务期内有效上报事件问题总量不少于15万件，项目服务期第二个月起，每月不少
    于1万件」: an annual total and a monthly floor from the second service month."""

    annual_valid: int | None = 150_000
    monthly_valid: int | None = 10_000
    monthly_from_month: int = 2


@dataclass(frozen=True)
class Rates:
    """Rate thresholds (0-1; ``per_collector_day`` in reports). None: not in the contract."""

    valid_rate: float | None = 0.90
    component_share: float | None = 0.20
    closure_rate: float | None = 0.90
    per_collector_day: float | None = None
    on_time_verify: float | None = None
    on_time_check: float | None = None
    balance: float | None = 0.5  # no contract figure: the contract asks for 均衡 only


@dataclass(frozen=True)
class MissedRules:
    """When a problem found by another channel is a 漏报 candidate (see :mod:`.missed`)."""

    distance_m: float = 50.0  # a collector's report this near matches the problem
    match_before_h: float = 72.0  # ... reported up to this long before it was found
    match_after_h: float = 2.0  # ... or this long after
    patrol_before_h: float = 24.0  # the collector patrolled the grid this long before
    road_tolerance_m: float = 30.0  # a fix this near a main road of the grid is on it


@dataclass(frozen=True)
class ContractProfile:
    id: str = DEFAULT_PROFILE
    name: str = ""
    source: str = ""
    service_start: date | None = None
    service_end: date | None = None  # the last day of service (inclusive)
    timezone: str = "Asia/Shanghai"
    volumes: Volumes = field(default_factory=Volumes)
    rates: Rates = field(default_factory=Rates)
    collectors_on_duty: int | None = None  # seed 002: 「每天安排不低于53名信息采集员」
    working_time: WorkingTime = field(default_factory=WorkingTime)
    valid_states: tuple[str, ...] = VALID_STATES
    problem_statuses: tuple[str, ...] = PROBLEM_STATUSES
    missed: MissedRules = field(default_factory=MissedRules)
    sheet: ScoringSheet = field(default_factory=ScoringSheet)
    citations: Mapping[str, str] = field(default_factory=dict)

    def with_rates(self, **changes: Any) -> ContractProfile:
        return replace(self, rates=replace(self.rates, **changes))

    def with_volumes(self, **changes: Any) -> ContractProfile:
        return replace(self, volumes=replace(self.volumes, **changes))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContractProfile:
        """A profile from its JSON object; ProfileError names the field that is wrong."""
        if not isinstance(data, Mapping):
            raise ProfileError(tr(_CTX, "A contract profile is a JSON object."))
        service = dict(data.get("service") or {})
        staff = dict(data.get("staff") or {})
        defs = dict(data.get("definitions") or {})
        try:
            profile = cls(
                id=str(data.get("id") or "custom"),
                name=str(data.get("name") or ""),
                source=str(data.get("source") or ""),
                service_start=_date(service.get("start"), "service.start"),
                service_end=_date(service.get("end"), "service.end"),
                timezone=str(data.get("timezone") or "Asia/Shanghai"),
                volumes=_volumes(data.get("volumes")),
                rates=_rates(data.get("rates")),
                collectors_on_duty=_opt_int(staff.get("collectors_on_duty"), "staff"),
                working_time=_working_time(data.get("working_time")),
                valid_states=_texts(defs.get("valid_states"), VALID_STATES),
                problem_statuses=_texts(defs.get("problem_statuses"), PROBLEM_STATUSES),
                missed=_missed(data.get("missed")),
                sheet=ScoringSheet.from_dict(data.get("assessment")),
                citations={str(k): str(v) for k, v in dict(data.get("citations") or {}).items()},
            )
        except (WorkTimeError, SheetError) as exc:
            raise ProfileError(str(exc)) from exc
        _check(profile)
        return profile

    def to_dict(self) -> dict[str, Any]:
        wt = self.working_time
        return {
            "id": self.id,
            "name": self.name,
            "source": self.source,
            "service": {
                "start": self.service_start.isoformat() if self.service_start else None,
                "end": self.service_end.isoformat() if self.service_end else None,
            },
            "timezone": self.timezone,
            "volumes": dict(vars(self.volumes)),
            "rates": dict(vars(self.rates)),
            "staff": {"collectors_on_duty": self.collectors_on_duty},
            "working_time": {
                "periods": wt.texts,
                "weekends": wt.weekends,
                "holidays": wt.holidays,
                "holiday_dates": sorted(d.isoformat() for d in wt.holiday_dates),
                "workday_dates": sorted(d.isoformat() for d in wt.workday_dates),
            },
            "definitions": {
                "valid_states": list(self.valid_states),
                "problem_statuses": list(self.problem_statuses),
            },
            "missed": dict(vars(self.missed)),
            "assessment": self.sheet.to_dict(),
            "citations": dict(self.citations),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _field_error(name: str) -> ProfileError:
    return ProfileError(tr(_CTX, "The contract profile's {0} is not valid.").format(name))


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _field_error(name) from None


def _opt_number(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _field_error(name) from None
    if number < 0:
        raise _field_error(name)
    return number


def _opt_int(value: Any, name: str) -> int | None:
    number = _opt_number(value, name)
    return None if number is None else round(number)


def _texts(value: Any, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    return tuple(str(v).strip() for v in value if str(v).strip())


def _volumes(data: Any) -> Volumes:
    d = dict(data or {})
    return Volumes(
        annual_valid=_opt_int(d.get("annual_valid"), "volumes.annual_valid"),
        monthly_valid=_opt_int(d.get("monthly_valid"), "volumes.monthly_valid"),
        monthly_from_month=_opt_int(d.get("monthly_from_month", 2), "volumes") or 1,
    )


def _rates(data: Any) -> Rates:
    d = dict(data or {})
    known = set(vars(Rates()))
    for name in d:
        if name not in known:
            raise _field_error(f"rates.{name}")
    values = {name: _opt_number(d.get(name), f"rates.{name}") for name in known if name in d}
    for name, v in values.items():
        if v is not None and name != "per_collector_day" and v > 1:
            raise ProfileError(
                tr(_CTX, "The rate {0} is a share between 0 and 1 (90 % is 0.9).").format(name)
            )
    return Rates(**values)


def _working_time(data: Any) -> WorkingTime:
    d = dict(data or {})
    if not d:
        return WorkingTime()
    dates = {k: [_date(v, f"working_time.{k}") for v in d.get(k) or []]
             for k in ("holiday_dates", "workday_dates")}  # fmt: skip
    return WorkingTime.from_texts(
        d.get("periods") or ["08:30-12:00", "13:00-17:30"],
        bool(d.get("weekends", True)),
        bool(d.get("holidays", True)),
        [v for v in dates["holiday_dates"] if v],
        [v for v in dates["workday_dates"] if v],
    )


def _missed(data: Any) -> MissedRules:
    d = dict(data or {})
    base = MissedRules()
    values = {}
    for name in vars(base):
        if name in d:
            v = _opt_number(d[name], f"missed.{name}")
            values[name] = getattr(base, name) if v is None else v
    return MissedRules(**values)


def _check(p: ContractProfile) -> None:
    if p.service_start and p.service_end and p.service_end < p.service_start:
        raise ProfileError(tr(_CTX, "The service period ends before it starts."))
    if not p.valid_states:
        raise _field_error("definitions.valid_states")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(p.timezone)
    except Exception:
        raise _field_error("timezone") from None


def load_profile_file(path: str | Path) -> ContractProfile:
    """A profile from a JSON file; ProfileError with the reason when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProfileError(
            tr(_CTX, "Cannot read the contract profile {0}: {1}").format(path, exc.strerror)
        ) from exc
    return profile_from_json(text)


def profile_from_json(text: str) -> ContractProfile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            tr(_CTX, "The contract profile is not valid JSON (line {0}: {1}).").format(
                exc.lineno, exc.msg
            )
        ) from exc
    return ContractProfile.from_dict(data)


def shipped_profiles() -> dict[str, Path]:
    """The example profiles shipped in ``resources/contracts`` by id (file stem)."""
    folder = resource("contracts")
    return {p.stem: p for p in sorted(folder.glob("*.json"))}


def default_profile() -> ContractProfile:
    """The shipped Suzhou 2021 contract (seed 000), the fullest of the seed contracts."""
    return load_profile_file(shipped_profiles()[DEFAULT_PROFILE])
