"""The 考核 scoring sheet as data: deductions, caps, payment bands.

Seed 002 (Panzhihua): 「开展项目实施的监督考核，按照考核结果支付相应支付项目进度款项」,
「月度考核与年度履约验收相结合」 and 「案件漏报、错报等被考核事项」: the contractor is
assessed every month, 漏报 and 错报 among the items, and paid by the result. The seeds do
not publish their deduction figures: the shipped sheets mark theirs as examples, and a city
enters its own in the contract profile.

Collector items (points per unit, capped per month):

- ``missed``: per confirmed 漏报; ``wrong``: per 错报 (report rejected for a coded reason);
- ``late_verify`` / ``late_check``: per 核实 / 核查 task done after its deadline or not done;
- ``route_deviation``: per day whose off-route share of the patrol exceeds ``off_share``;
- ``absence``: per day absent from the duty roster;
- ``shortfall``: per valid report short of the per-collector rate × scheduled days.

Contractor items: ``volume_shortfall`` per percentage point the month's valid problem
reports fall short of the monthly floor; ``rate_shortfall`` per percentage point each
contract rate (valid rate, component share, closure rate, on-time rates) falls short.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..i18n import tr

_CTX = "Kpi"
COLLECTOR_ITEMS = (
    "missed",
    "wrong",
    "late_verify",
    "late_check",
    "route_deviation",
    "absence",
    "shortfall",
)
CONTRACTOR_ITEMS = ("volume_shortfall", "rate_shortfall")


class SheetError(ValueError):
    """A scoring sheet that cannot be used (the message says what, translated)."""


@dataclass(frozen=True)
class Deduction:
    """Points per unit, at most ``cap`` points a month (None: no cap)."""

    points: float = 0.0
    cap: float | None = None
    off_share: float = 0.2  # route_deviation only: a day counts above this off-route share

    def points_for(self, units: float) -> float:
        pts = max(0.0, float(units)) * self.points
        return min(pts, self.cap) if self.cap is not None else pts


@dataclass(frozen=True)
class Band:
    min_score: float
    share: float  # of the monthly fee paid


@dataclass(frozen=True)
class ScoringSheet:
    base_score: float = 100.0
    collector: Mapping[str, Deduction] = field(default_factory=dict)
    contractor: Mapping[str, Deduction] = field(default_factory=dict)
    monthly_fee: float = 0.0
    bands: tuple[Band, ...] = (Band(0.0, 1.0),)
    note: str = ""

    def item(self, name: str) -> Deduction:
        return self.collector.get(name) or self.contractor.get(name) or Deduction()

    def pay_share(self, score: float) -> float:
        """The share of the fee a score earns: the band with the highest minimum it reaches."""
        for band in sorted(self.bands, key=lambda b: -b.min_score):
            if score >= band.min_score - 1e-9:
                return band.share
        return 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ScoringSheet:
        data = dict(data or {})
        pay = dict(data.get("payment") or {})
        try:
            return cls(
                base_score=float(data.get("base_score", 100.0)),
                collector=_items(data.get("collector"), COLLECTOR_ITEMS),
                contractor=_items(data.get("contractor"), CONTRACTOR_ITEMS),
                monthly_fee=float(pay.get("monthly_fee") or 0.0),
                bands=_bands(pay.get("bands")),
                note=str(data.get("note") or ""),
            )
        except (TypeError, ValueError, KeyError) as exc:
            if isinstance(exc, SheetError):
                raise
            raise SheetError(
                tr(_CTX, "The scoring sheet has a value that is not a number.")
            ) from exc

    def to_dict(self) -> dict[str, Any]:
        def item(d: Deduction, name: str) -> dict[str, Any]:
            out: dict[str, Any] = {"points": d.points, "cap": d.cap}
            if name == "route_deviation":
                out["off_share"] = d.off_share
            return out

        return {
            "note": self.note,
            "base_score": self.base_score,
            "collector": {k: item(v, k) for k, v in self.collector.items()},
            "contractor": {k: item(v, k) for k, v in self.contractor.items()},
            "payment": {
                "monthly_fee": self.monthly_fee,
                "bands": [{"min_score": b.min_score, "share": b.share} for b in self.bands],
            },
        }


def _items(data: Any, known: tuple[str, ...]) -> dict[str, Deduction]:
    out = {}
    for name, value in dict(data or {}).items():
        if name not in known:
            raise SheetError(
                tr(_CTX, "Unknown deduction {0!r} in the scoring sheet; known: {1}.").format(
                    name, ", ".join(known)
                )
            )
        v = dict(value or {})
        cap = v.get("cap")
        d = Deduction(
            float(v.get("points", 0.0)),
            None if cap is None else float(cap),
            float(v.get("off_share", 0.2)),
        )
        if d.points < 0 or (d.cap is not None and d.cap < 0):
            raise SheetError(tr(_CTX, "Deductions and caps cannot be negative ({0}).").format(name))
        out[name] = d
    return out


def _bands(data: Any) -> tuple[Band, ...]:
    bands = tuple(
        Band(float(b["min_score"]), float(b["share"]))
        for b in (data or [{"min_score": 0, "share": 1}])
    )
    if any(not 0 <= b.share <= 1.5 for b in bands):
        raise SheetError(tr(_CTX, "A payment band's share must be between 0 and 1.5."))
    return bands
