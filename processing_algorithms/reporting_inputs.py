"""Inputs of the reporting algorithms: the contract profile, the reports of a layer, a duty
roster table. Adapters only: what the values mean is core/reporting's."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from qgis.core import QgsProcessingContext, QgsProcessingException

from citymgmt_plugin.core.reporting.profile import (
    ContractProfile,
    ProfileError,
    default_profile,
    load_profile_file,
)
from citymgmt_plugin.core.reporting.reports import NULL_TIME, Reports
from citymgmt_plugin.core.reporting.roster import read_roster_rows
from citymgmt_plugin.core.reporting.worktime import WorkingTime, WorkTimeError
from citymgmt_plugin.core.submissions.review.candidates import payload_value

from .readers import (
    python_value,
    qdatetime_to_epoch,
    text_values,
    truthy_values,
)

# Threshold parameters: (parameter, rates/volumes field). Empty: the profile's figure.
RATE_PARAMETERS = (
    ("MIN_COMPONENT_SHARE", "component_share"),
    ("MIN_VALID_RATE", "valid_rate"),
    ("MIN_CLOSURE_RATE", "closure_rate"),
    ("MIN_PER_COLLECTOR_DAY", "per_collector_day"),
    ("MIN_BALANCE", "balance"),
)
VOLUME_PARAMETERS = (("ANNUAL_TARGET", "annual_valid"), ("MONTHLY_TARGET", "monthly_valid"))


def _given(parameters: dict[str, Any], name: str) -> bool:
    value = parameters.get(name)
    return value is not None and value != ""


def contract_profile(alg: Any, parameters: dict[str, Any], context: QgsProcessingContext):
    """The CONTRACT file's profile (default: the shipped seed-000 contract), with the
    thresholds, valid states and working time given as parameters put over it."""
    path = alg.parameterAsFile(parameters, "CONTRACT", context) if "CONTRACT" in parameters else ""
    try:
        profile = load_profile_file(path) if path else default_profile()
    except ProfileError as exc:
        raise QgsProcessingException(str(exc)) from exc
    rates = {f: alg.parameterAsDouble(parameters, p, context)
             for p, f in RATE_PARAMETERS if _given(parameters, p)}  # fmt: skip
    volumes = {f: int(alg.parameterAsDouble(parameters, p, context))
               for p, f in VOLUME_PARAMETERS if _given(parameters, p)}  # fmt: skip
    profile = profile.with_rates(**rates).with_volumes(**volumes)
    states = alg.parameterAsString(parameters, "VALID_STATES", context).strip()
    if _given(parameters, "VALID_STATES") and states:
        profile = replace(profile, valid_states=tuple(s.strip() for s in states.split(",")))
    return _with_working_time(alg, parameters, context, profile)


def _with_working_time(alg, parameters, context, profile: ContractProfile) -> ContractProfile:
    text = alg.parameterAsString(parameters, "WORKING_TIME", context).strip()
    if not _given(parameters, "WORKING_TIME") or not text:
        return profile
    wt = profile.working_time
    try:
        periods = WorkingTime.from_texts(
            [p for p in text.replace("，", ",").split(",") if p.strip()],
            wt.weekends, wt.holidays, wt.holiday_dates, wt.workday_dates,
        )  # fmt: skip
    except WorkTimeError as exc:
        raise QgsProcessingException(
            alg.tr("The working day must end after it starts: {0}").format(exc)
        ) from exc
    return replace(profile, working_time=periods)


@dataclass(frozen=True)
class ReportFields:
    """The report fields the KPIs read ('' for a field not given)."""

    time: str
    collector: str
    kind: str
    category: str
    state: str
    status: str = ""
    channel: str = ""
    due: str = ""
    closed: str = ""
    payload: str = ""  # the workspace's JSON payload: the status when there is no field

    @property
    def wanted(self) -> list[str]:
        names = (self.time, self.collector, self.kind, self.category, self.state, self.status,
                 self.channel, self.due, self.closed, self.payload)  # fmt: skip
        return [f for f in dict.fromkeys(names) if f]


def reports_from_columns(attrs: dict[str, np.ndarray], n: int, f: ReportFields, times) -> Reports:
    """core's Reports from the columns read (``times``: epoch seconds of the time field)."""
    closed, closed_at = _closure(attrs, f)
    return Reports(
        time=times,
        collector=text_values(attrs[f.collector]),
        kind=text_values(attrs[f.kind]),
        category=text_values(attrs[f.category]),
        state=text_values(attrs[f.state]) if f.state else ["accepted"] * n,
        closed=closed,
        status=_statuses(attrs, f),
        channel=text_values(attrs[f.channel]) if f.channel else None,
        due=_epochs(attrs[f.due]) if f.due else None,
        closed_at=closed_at,
    )


def _epochs(values: np.ndarray) -> np.ndarray:
    return np.fromiter((qdatetime_to_epoch(v) for v in values), dtype=np.int64, count=len(values))


def _closure(attrs: dict[str, np.ndarray], f: ReportFields):
    """(closed flags, closure times): a date-time closure field gives the times."""
    if not f.closed:
        return None, None
    values = attrs[f.closed]
    from qgis.PyQt.QtCore import QDate, QDateTime

    sample = next((python_value(v) for v in values if python_value(v) is not None), None)
    if isinstance(sample, (QDateTime, QDate)):
        return None, _epochs(values)
    return truthy_values(values), None


def _statuses(attrs: dict[str, np.ndarray], f: ReportFields) -> list[str | None] | None:
    if f.status:
        return text_values(attrs[f.status])
    if not f.payload:
        return None
    out: list[str | None] = []
    for v in attrs[f.payload]:
        v = python_value(v)
        try:
            data = json.loads(v) if isinstance(v, str) else v
        except ValueError:
            data = None
        status = payload_value(data, "status", "component_status")
        out.append(None if status is None else str(status).strip())
    return out


def roster_from_source(alg: Any, parameters: dict[str, Any], context: QgsProcessingContext):
    """The ROSTER table (collector, day, status; English or Chinese field names) as a core
    Roster; None when not given. Bad rows are listed in the log by the caller."""
    if not _given(parameters, "ROSTER"):
        return None, []
    src = alg.parameterAsSource(parameters, "ROSTER", context)
    if src is None:
        raise QgsProcessingException(alg.tr("The duty roster could not be read."))
    names = [n.lower() for n in src.fields().names()]
    picks = []
    for options in (("collector_code", "collector", "采集员"), ("day", "date", "日期"),
                    ("status", "state", "状态")):  # fmt: skip
        found = [names.index(o) for o in options if o in names]
        if not found:
            raise QgsProcessingException(
                alg.tr("The duty roster needs a field named one of: {0}").format(", ".join(options))
            )
        picks.append(found[0])
    rows = ([python_value(feat.attributes()[i]) for i in picks] for feat in src.getFeatures())
    read = read_roster_rows((_day_value(r) for r in rows), first_line=1)
    return read.roster, read.problems


def _day_value(row: list) -> list:
    from qgis.PyQt.QtCore import QDate, QDateTime

    day = row[1]
    if isinstance(day, QDateTime):
        day = day.date()
    if isinstance(day, QDate):
        day = day.toPyDate() if day.isValid() else None
    return [row[0], day, row[2]]


def shift_times(times: np.ndarray, shift: int) -> np.ndarray:
    return np.where(times == NULL_TIME, NULL_TIME, times + shift) if shift else times
