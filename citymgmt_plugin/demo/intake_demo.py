"""Demo step ``intake``: ingest the demo device export (broken submissions included), let the
obvious matches decide themselves, and print the review queue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.i18n import tr
from ..core.labels import (
    auto_match_text,
    crs_evidence_short_label,
    join,
    quarantine_reason_label,
    submission_state_label,
)
from ..core.workspace.store import Workspace


def _ingest(ctx: Any, ws: Workspace, export: Path) -> Any:
    """The device export ingested, then pulled again (nothing new); prints what happened."""
    from ..core.submissions import ingest
    from ..core.submissions.sources.files import DeviceExportSource

    report = ingest(ws, DeviceExportSource(export / "submissions.geojson", crs="unknown"))
    ctx.log("   " + report.summary())
    ctx.log(
        "   "
        + tr("Demo", "quarantined by reason: {0}").format(
            join(f"{quarantine_reason_label(k)} {v}" for k, v in sorted(report.reasons.items()))
        )
    )
    again = ingest(ws, DeviceExportSource(export / "submissions.geojson", crs="unknown"))
    ctx.log(
        "   "
        + tr("Demo", "pulled again: {0} new, {1} unchanged").format(again.inserted, again.unchanged)
    )
    ctx.log(
        "   "
        + tr(
            "Demo",
            "shifted positions: {0} flagged ({1} corrected from the photos' GPS), "
            "by evidence: {2}; devices sending GCJ-02: {3}",
        ).format(
            report.flagged,
            report.corrected,
            join(f"{crs_evidence_short_label(k)} {v}" for k, v in sorted(report.flags.items()))
            or "-",
            join(sorted(report.gcj_devices)) or "-",
        )
    )
    return report


def _log_duplicates(ctx: Any, ws: Workspace) -> dict:
    """The likely duplicates and the first three of them."""
    from ..core.submissions.review import duplicate_links

    links = duplicate_links(ws)
    ctx.log(
        "   "
        + tr("Demo", "likely duplicates: {0} (within {1:.0f} m and {2:.0f} h)").format(
            len(links), *_dup_rules(ws)
        )
    )
    for link in sorted(links.values(), key=lambda v: v.submission_id)[:3]:
        ctx.log(
            "     "
            + tr("Demo", "#{0} repeats {1} ({2:.0f} m, {3:.0f} min later)").format(
                link.submission_id, link.original_instance_id, link.distance_m, link.minutes
            )
        )
    return links


def _check_truth(ctx: Any, ws: Workspace, export: Path, links: dict) -> dict[str, float]:
    """Flags and duplicate links scored against the export's ground truth, if it has one."""
    truth_path = export / "ground_truth.json"
    if not truth_path.exists():
        return {}
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    ctx.facts["intake_truth_counts"] = truth.get("counts")
    scores = _scores(ws, truth, links)
    ctx.log(
        "   "
        + tr(
            "Demo",
            "against the ground truth: shifted (declared WGS84) precision {0:.2f} "
            "recall {1:.2f}; duplicates precision {2:.2f} recall {3:.2f}",
        ).format(
            scores["gcj02_precision"],
            scores["gcj02_recall"],
            scores["duplicate_precision"],
            scores["duplicate_recall"],
        )
    )
    return scores


def step_intake(ctx: Any) -> None:
    from ..core.submissions.review import auto_match, counts

    export = ctx.out_dir / "device-export"
    if not (export / "submissions.geojson").exists():
        ctx.log(
            tr("Demo", "   no device export in {0}: run the district step first").format(export)
        )
        return
    ws = Workspace.open(str(ctx.workspace_path))
    try:
        report = _ingest(ctx, ws, export)
        links = _log_duplicates(ctx, ws)
        matched = auto_match(ws)
        ctx.log("   " + tr("Demo", "auto-match: {0}").format(auto_match_text(matched)))
        state = counts(ws)
        ctx.log(
            "   "
            + tr("Demo", "review queue: {0}").format(
                join(f"{submission_state_label(k)} {v}" for k, v in sorted(state.items()))
            )
        )
        scores = _check_truth(ctx, ws, export, links)
        ctx.facts["intake"] = {
            "quarantined": report.quarantined,
            "flagged": report.flagged,
            "corrected": report.corrected,
            "flags": dict(report.flags),
            "gcj_devices": sorted(report.gcj_devices),
            "duplicates": len(links),
            "queue": state,
            **scores,
        }
    finally:
        ws.close()


def _dup_rules(ws: Workspace) -> tuple[float, float]:
    from ..core.submissions.judge.duplicates import DuplicateRules

    r = DuplicateRules.from_settings(ws.settings)
    return r.distance_m, r.window_h


def _scores(ws: Workspace, truth: dict, links: dict) -> dict[str, float]:
    """Precision and recall of the shifted-position flags (positions declared WGS84 but sent
    GCJ-02) and of the duplicate links (to the right original), against ground_truth.json."""
    from sqlalchemy import select

    s = ws.schema.submissions
    with ws.engine.connect() as conn:
        rows = conn.execute(select(s.c.id, s.c.instance_id, s.c.crs_flag)).all()
    iid = {r.id: r.instance_id for r in rows}
    flagged = {r.instance_id for r in rows if r.crs_flag}
    shifted = set(truth.get("gcj02_undeclared", []))
    dups = {d["instance_id"]: d["original"] for d in truth.get("duplicates", [])}
    right = sum(1 for k, v in links.items() if dups.get(iid[k]) == iid[v.original_id])

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    return {
        "gcj02_precision": ratio(len(flagged & shifted), len(flagged)),
        "gcj02_recall": ratio(len(flagged & shifted), len(shifted)),
        "duplicate_precision": ratio(right, len(links)),
        "duplicate_recall": ratio(right, len(dups)),
    }
