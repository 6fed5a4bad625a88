"""考核: the month's scores per collector and per contractor, and the payment they decide.

Seed 002 (Panzhihua): 「开展项目实施的监督考核，按照考核结果支付相应支付项目进度款项」 and
「月度考核与年度履约验收相结合」. The scoring sheet (:mod:`.sheet`, part of the contract
profile) says what each unit costs:

- *collector score* = base score − every collector deduction, each capped (confirmed 漏报,
  错报, late 核实 / 核查 tasks, days off the prescribed route, absences, valid reports short
  of the per-collector rate × scheduled days); never below 0;
- *contractor score* = the mean score of its collectors − the contractor deductions (per
  percentage point the month's valid problem reports fall short of the monthly floor, per
  percentage point each contract rate falls short of its threshold); never below 0;
- *payment* = the monthly fee × the share of the payment band the contractor score reaches;
  the rest is withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .profile import ContractProfile
from .results import KpiResult
from .sheet import COLLECTOR_ITEMS, ScoringSheet

RATE_KPIS = ("valid_rate", "component_share", "closure_rate", "on_time_verify", "on_time_check")


@dataclass
class CollectorUnits:
    """What a collector is charged with in the month, in the sheet's units."""

    missed: int = 0
    wrong: int = 0
    late_verify: int = 0
    late_check: int = 0
    route_deviation: int = 0  # days
    absence: int = 0  # days
    shortfall: float = 0.0  # valid problem reports

    def get(self, item: str) -> float:
        return float(getattr(self, item))


@dataclass
class ScoreRow:
    collector: str
    name: str
    contractor: str
    units: CollectorUnits
    deductions: dict[str, float] = field(default_factory=dict)
    score: float = 0.0


@dataclass
class ContractorRow:
    contractor: str
    collectors: int
    collector_mean: float
    deductions: dict[str, float]
    score: float
    pay_share: float
    fee: float
    payable: float

    @property
    def withheld(self) -> float:
        return self.fee - self.payable


def collector_scores(
    units: Mapping[str, CollectorUnits],
    names: Mapping[str, tuple[str, str]],
    sheet: ScoringSheet,
) -> list[ScoreRow]:
    """One row per collector (sorted by code); ``names``: code -> (name, contractor)."""
    rows = []
    for code in sorted(units):
        u = units[code]
        deductions = {
            item: sheet.collector[item].points_for(u.get(item))
            for item in COLLECTOR_ITEMS
            if item in sheet.collector
        }
        name, contractor = names.get(code, ("", ""))
        score = max(0.0, sheet.base_score - sum(deductions.values()))
        rows.append(ScoreRow(code, name, contractor, u, deductions, score))
    return rows


def contractor_deductions(kpis: KpiResult, profile: ContractProfile) -> dict[str, float]:
    """Points off the contractor for the month's volume and rates (see the module docs)."""
    sheet = profile.sheet
    out: dict[str, float] = {}
    vol = sheet.contractor.get("volume_shortfall")
    monthly = _row(kpis, "monthly_valid")
    if vol is not None and monthly is not None and monthly.threshold:
        short = max(0.0, (monthly.threshold - float(monthly.value or 0)) / monthly.threshold)
        out["volume_shortfall"] = vol.points_for(100.0 * short)
    rate = sheet.contractor.get("rate_shortfall")
    if rate is not None:
        points = 0.0
        for kpi in RATE_KPIS:
            r = _row(kpis, kpi)
            if r is not None and r.value is not None and r.threshold is not None:
                points += rate.points * max(0.0, 100.0 * (r.threshold - float(r.value)))
        out["rate_shortfall"] = min(points, rate.cap) if rate.cap is not None else points
    return out


def _row(kpis: KpiResult, kpi: str):
    try:
        return kpis.row(kpi)
    except KeyError:
        return None


def contractor_scores(
    rows: Sequence[ScoreRow], kpis: KpiResult, profile: ContractProfile, default_name: str
) -> list[ContractorRow]:
    """One row per contractor (collectors without one: ``default_name``) with its payment."""
    sheet = profile.sheet
    groups: dict[str, list[ScoreRow]] = {}
    for r in rows:
        groups.setdefault(r.contractor or default_name, []).append(r)
    off = contractor_deductions(kpis, profile)
    out = []
    for name in sorted(groups) or [default_name]:
        members = groups.get(name, [])
        mean = sum(r.score for r in members) / len(members) if members else sheet.base_score
        score = max(0.0, mean - sum(off.values()))
        share = sheet.pay_share(score)
        fee = sheet.monthly_fee
        out.append(
            ContractorRow(name, len(members), mean, dict(off), score, share, fee, fee * share)
        )
    return out
