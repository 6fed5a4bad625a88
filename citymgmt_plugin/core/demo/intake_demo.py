"""Demo step ``intake``: ingest the demo device export (broken submissions included), let the
obvious matches decide themselves, and print the review queue."""

from __future__ import annotations

import json
from typing import Any

from ..i18n import tr
from ..store import Workspace


def step_intake(ctx: Any) -> None:
    from ..intake import ingest
    from ..intake.files import DeviceExportSource
    from ..review import auto_match, counts

    export = ctx.out_dir / "device-export"
    if not (export / "submissions.geojson").exists():
        ctx.log(
            tr("Demo", "   no device export in {0}: run the district step first").format(export)
        )
        return
    ws = Workspace.open(str(ctx.workspace_path))
    try:
        report = ingest(
            ws, DeviceExportSource(export / "submissions.geojson", crs="unknown"), actor="demo"
        )
        ctx.log("   " + report.summary())
        ctx.log(
            "   "
            + tr("Demo", "quarantined by reason: {0}").format(
                ", ".join(f"{k} {v}" for k, v in sorted(report.reasons.items()))
            )
        )
        again = ingest(
            ws, DeviceExportSource(export / "submissions.geojson", crs="unknown"), actor="demo"
        )
        ctx.log(
            "   "
            + tr("Demo", "pulled again: {0} new, {1} unchanged").format(
                again.inserted, again.unchanged
            )
        )
        matched = auto_match(ws, reviewer="demo-auto")
        ctx.log("   " + tr("Demo", "auto-match: {0}").format(dict(matched)))
        state = counts(ws)
        ctx.log(
            "   "
            + tr("Demo", "review queue: {0}").format(
                ", ".join(f"{k} {v}" for k, v in sorted(state.items()))
            )
        )
        truth_path = export / "ground_truth.json"
        if truth_path.exists():
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            ctx.facts["intake_truth_counts"] = truth.get("counts")
        ctx.facts["intake"] = {
            "quarantined": report.quarantined,
            "flagged": report.flagged,
            "queue": state,
        }
    finally:
        ws.close()
