"""Demo step ``cases``: the case loop on the demo district.

The command centre's platform exports cases from four channels (and collectors' reports) in
their own coordinate systems; they are imported (bad rows listed), 核实 tasks are made for
the reports of other channels and pushed to a local ODK Central as an entity list; the
collectors answer through the verification form (some late, some not at all, one device
changing its entity first), the answers come in through the normal intake and finish the
tasks, the entities are closed; the centre reports cases handled, 核查 tasks follow the same
way; then the on-time rates and the task map.

The local ODK Central is the tests' (``tests/fixtures/odk_server.py``): the demo runs from a
checkout. Without it the push and the answers are skipped.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from ..core.cases.codes import TaskKind, label
from ..core.i18n import tr
from ..core.workspace.store import Workspace
from . import case_platform as P

DATASET = "citymgmt_tasks"
FORM = "citymgmt_task_result"
PROJECT = 1
VERIFY_OUTCOMES = (("confirmed", 0.70), ("relocated", 0.15), ("not_confirmed", 0.15))
CHECK_OUTCOMES = (("handled", 0.80), ("not_handled", 0.12), ("partly_handled", 0.08))
UNANSWERED = 0.08  # tasks nobody answers in the demo: overdue


def _log(ctx: Any, text: str) -> None:
    ctx.log("   " + text)


def _to_wgs84(ws: Workspace) -> Any:
    from ..core.cases.positions import transform_xy

    def convert(x: float, y: float) -> tuple[float, float]:
        lon, lat = transform_xy(np.array([x]), np.array([y]), f"EPSG:{ws.srid}", "EPSG:4326")
        return float(lon[0]), float(lat[0])

    return convert


def _import(ctx: Any, ws: Workspace, path: Any) -> Any:
    from ..core.cases.batch import import_cases
    from ..core.cases.sources import mapping_store

    store = mapping_store(ctx.out_dir / "cases" / "case_mappings.json")
    report = import_cases(ws, str(path), store=store)
    _log(ctx, report.summary())
    for failure in report.failures:
        _log(ctx, tr("Demo", "  refused row {0}: {1}").format(failure.row_no, failure.reason))
    return report


def _central() -> Any:
    try:
        from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
    except ImportError:
        return None
    return CentralServer, EMAIL, PASSWORD


def step_cases(ctx: Any) -> None:
    ws = Workspace.open(str(ctx.workspace_path))
    try:
        _run(ctx, ws)
    finally:
        ws.close()


def _run(ctx: Any, ws: Workspace) -> None:
    from ..core.cases.store import now_utc

    rng = np.random.default_rng(ctx.seed + 13)
    start = now_utc().astimezone(_zone(ws))
    n = max(40, int(300 * ctx.scale))
    cases = P.platform_cases(ws, rng, n, start, _to_wgs84(ws))
    export = P.write_export(ctx.out_dir / "cases" / "platform-cases.csv", cases, P.bad_rows(start))
    ctx.output("case_export", export)
    report = _import(ctx, ws, export)
    again = _import(ctx, ws, export)
    counts = {c.channel: 0 for c in cases}
    for c in cases:
        counts[c.channel] += 1
    _log(
        ctx,
        tr("Demo", "cases by channel: {0}").format(
            ", ".join(f"{k} {v}" for k, v in counts.items())
        ),
    )
    server = _central()
    if server is None:
        _log(ctx, tr("Demo", "no local ODK Central in this installation: push skipped"))
        return
    CentralServer, email, password = server
    with CentralServer() as srv:
        srv.central.add_project(PROJECT, "城管核实核查")
        srv.central.add_form(PROJECT, FORM, "核实核查结果")
        loop = _Loop(ctx, ws, srv, email, password, rng)
        loop.round("verify", export, cases)
        loop.centre_reports_handled(cases, export)
        loop.round("check", export, cases)
        loop.target.client.http.close()
    ctx.facts["cases"] = {
        "imported": report.inserted,
        "again_unchanged": again.unchanged,
        "refused": len(report.failures),
        "push": loop.pushes,
    }
    _figures(ctx, ws)
    _task_map(ctx, ws)


def _zone(ws: Workspace) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ws.setting("timezone", "Asia/Shanghai"))


class _Loop:
    """Tasks out to the local Central, the collectors' answers back, the entities closed."""

    def __init__(self, ctx: Any, ws: Workspace, srv: Any, email: str, pw: str, rng: Any) -> None:
        from ..core.cases.entities import EntityClient
        from ..core.cases.sync import Target

        self.ctx, self.ws, self.srv, self.rng = ctx, ws, srv, rng
        self.target = Target(EntityClient(srv.url, email, pw), PROJECT, DATASET)
        self.email, self.password = email, pw
        self.answers = 0
        self.pushes: list[dict[str, int]] = []

    def push(self) -> None:
        from ..core.cases.sync import push_tasks

        report = push_tasks(self.ws, self.target)
        self.pushes.append(
            {"created": report.created, "closed": report.closed, "conflicts": report.conflicts}
        )
        _log(self.ctx, report.summary())

    def round(self, kind: str, export: Any, cases: list) -> None:
        from ..core.cases.store import now_utc
        from ..core.cases.tasks import ASSIGN_COLLECTOR, TaskPlan, create_tasks

        rule = "public_unverified" if kind == "verify" else "handled_unchecked"
        plan = TaskPlan(TaskKind(kind), assign=ASSIGN_COLLECTOR, rule=rule)
        # the 核实 tasks were made this morning, 3 h ago: the unanswered ones are overdue
        made_at = now_utc() - timedelta(hours=3 if kind == "verify" else 0)
        made = create_tasks(self.ws, plan, now=made_at)
        _log(self.ctx, tr("Demo", "{0} tasks: {1}").format(label(TaskKind(kind)), made.summary()))
        self.push()
        self.answer(made.created, kind)
        self.push()  # closes the answered tasks' entities

    def answer(self, task_ids: list[int], kind: str) -> None:
        """Collectors answer through the form; the intake stores it; results applied."""
        from ..core.cases.intake import apply_submitted_results
        from ..core.submissions import ingest
        from ..core.submissions.sources.odk import OdkClient, OdkSource

        tasks = _tasks(self.ws, task_ids)
        outcomes = VERIFY_OUTCOMES if kind == "verify" else CHECK_OUTCOMES
        store = self.srv.central.entities
        quiet = max(1, round(len(tasks) * UNANSWERED)) if len(tasks) > 3 else 0
        skipped = set(self.rng.choice(len(tasks), size=quiet, replace=False)) if quiet else set()
        for i, task in enumerate(tasks):
            if i in skipped:
                continue
            if self.rng.random() < 0.1:  # the device changed the entity first: a 409 later
                store.device_update(PROJECT, DATASET, task.entity_uuid, {"status": "submitted"})
            outcome = str(self.rng.choice([o for o, _ in outcomes], p=[p for _, p in outcomes]))
            self.answers += 1
            self.srv.central.add(PROJECT, FORM, self._row(task, outcome))
        client = OdkClient(self.srv.url, self.email, self.password)
        pulled = ingest(self.ws, OdkSource(client, PROJECT, FORM), photos=False)
        client.http.close()
        applied = apply_submitted_results(self.ws)
        _log(
            self.ctx, tr("Demo", "answers pulled: {0}; {1}").format(pulled.inserted, applied.text())
        )

    def _row(self, task: Any, outcome: str) -> dict[str, Any]:
        hours = (task.due_at - task.created_at).total_seconds() / 3600
        took = float(self.rng.gamma(4.0, hours / 5.0))  # most in time, some late
        when = (task.created_at + timedelta(hours=took)).astimezone(_zone(self.ws))
        x, y = task.x, task.y
        if outcome == "relocated":
            x, y = x + float(self.rng.uniform(-40, 40)), y + float(self.rng.uniform(-40, 40))
        from ..core.cases.store import now_utc

        lonlat = _to_wgs84(self.ws)(x, y)
        return P.result_row(task, outcome, when, lonlat, self.answers, now_utc())

    def centre_reports_handled(self, cases: list, export: Any) -> None:
        """The centre files and dispatches the confirmed cases; departments report most of
        them handled: the platform's next export says so."""
        from ..core.cases.store import find_case

        with self.ws.engine.connect() as conn:
            states = {c.row[0]: find_case(conn, self.ws, c.row[0]) for c in cases}
        for c in cases:
            case = states[c.row[0]]
            if case is not None and case.state == "reported" and self.rng.random() < 0.8:
                c.row[6] = "处置"
        P.write_export(export, cases, [])
        _import(self.ctx, self.ws, export)


def _tasks(ws: Workspace, ids: list[int]) -> list[Any]:
    from ..core.cases.queue import list_tasks

    wanted = set(ids)
    return [t for t in list_tasks(ws) if t.id in wanted]


def _figures(ctx: Any, ws: Workspace) -> None:
    from ..core.cases.figures import task_figures

    figures = task_figures(ws)
    out = {}
    for kind in TaskKind:
        rate = figures.district(kind)
        if rate is None:
            continue
        out[kind.value] = {
            "on_time": rate.on_time,
            "late": rate.late,
            "overdue": rate.overdue,
            "rate": rate.rate,
            "median_hours": rate.median_hours,
        }
        _log(
            ctx,
            tr(
                "Demo",
                "{0}: on time {1:.0%} ({2} on time, {3} late, {4} overdue), median {5:.1f} h",
            ).format(
                label(kind),
                rate.rate or 0,
                rate.on_time,
                rate.late,
                rate.overdue,
                rate.median_hours or 0,
            ),
        )
    busiest = sorted(
        (r for r in figures.by_collector if r.rate is not None), key=lambda r: (-r.counted, r.group)
    )[:3]
    for r in busiest:
        _log(
            ctx,
            tr("Demo", "  collector {0} {1}: on time {2:.0%} of {3}").format(
                r.group, label(TaskKind(r.kind)), r.rate, r.counted
            ),
        )
    _log(ctx, tr("Demo", "overdue tasks: {0}").format(len(figures.overdue)))
    ctx.facts["task_figures"] = out


def _task_map(ctx: Any, ws: Workspace) -> None:
    from qgis.core import QgsProject, QgsRectangle

    from ..core.qgis.layers import load_workspace_layers
    from ..core.qgis.render import render_layers_png

    project = QgsProject()
    layers = load_workspace_layers(ws, project)
    tasks = layers["tasks"]
    tasks.updateExtents()
    box = QgsRectangle(tasks.extent())
    shown = [
        layers[k] for k in ("tasks", "resp_grids", "main_roads", "admin_street") if k in layers
    ]
    path = render_layers_png(
        shown,
        box,
        ctx.out_dir / "tasks.png",
        project=project,
        size=(1600, 1200),
        title=tr("Demo", "Verification and check tasks"),
    )
    project.clear()
    ctx.output("task map", path)
