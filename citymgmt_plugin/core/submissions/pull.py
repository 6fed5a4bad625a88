"""Pull every configured source of a workspace, one after the other, with progress and cancel.

Two steps, so the network and database work can run in a background task:

1. :func:`plan_pull` (main thread): the workspace's source configurations, each with the
   account this computer bound to it (:mod:`.accounts`), read from QGIS's authentication
   database now (QGIS may ask for the master password). A source that must not be pulled
   (no account here, the address moved to another server, http not allowed) carries the
   reason instead and is not opened.
2. :func:`pull_sources` (any thread): opens each source and ingests it; every page is
   stored with its cursor (:func:`.ingest.ingest`), so a cancelled or failed pull keeps
   what was stored and the next one goes on from there. A source that is told review
   outcomes (ODK Central) then drains its outbox (:mod:`.writeback`) with the same account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..i18n import tr
from ..labels import join, source_label
from ..workspace.store import Workspace
from . import writeback
from .ingest import IngestError, IngestReport, ingest
from .records import SourceError
from .sources.accounts import AccountBindings, check_binding
from .sources.configs import (
    OdkLogin,
    SourceConfigError,
    open_source,
    source_configs,
)

_CTX = "Intake"
Resolve = Callable[[str], OdkLogin]  # authcfg id -> account (QGIS: qgis.accounts.odk_login)


@dataclass
class PlannedSource:
    key: str
    config: dict[str, Any]
    login: OdkLogin | None = field(default=None, repr=False)
    allow_http: bool = False
    problem: str | None = None  # why it is not pulled (translated)


def plan_source(
    key: str,
    config: dict[str, Any],
    bindings: AccountBindings,
    resolve: Resolve,
) -> PlannedSource:
    """``config`` with this computer's account, or the reason it cannot be pulled."""
    plan = PlannedSource(key, config)
    if config.get("type") != "odk":
        return plan
    binding = bindings.get(key)
    try:
        check_binding(key, str(config.get("url") or ""), binding)  # refuses None
        if binding is not None:
            plan.login = resolve(binding.authcfg)
            plan.allow_http = binding.allow_http
    except SourceConfigError as exc:
        plan.problem = str(exc)
    return plan


def plan_pull(ws: Workspace, bindings: AccountBindings, resolve: Resolve) -> list[PlannedSource]:
    """Every source configured in ``ws``, in key order, ready to pull or with its reason."""
    return [
        plan_source(key, config, bindings, resolve)
        for key, config in sorted(source_configs(ws).items())
    ]


@dataclass(frozen=True)
class PullProgress:
    index: int  # 0-based position of the source being pulled
    count: int  # sources being pulled
    key: str
    pages: int = 0
    read: int = 0
    total: int | None = None  # submissions this source sends, when it said

    @property
    def percent(self) -> float:
        # an unknown length: each page gets closer to the end
        within = min(self.read / self.total, 1.0) if self.total else 1.0 - 0.5**self.pages
        return 100.0 * (self.index + within) / max(self.count, 1)

    def text(self) -> str:
        if self.total:
            return tr(_CTX, "Pulling {0} ({1} of {2}): page {3}, {4} of {5} read.").format(
                self.key, self.index + 1, self.count, self.pages, self.read, self.total
            )
        return tr(_CTX, "Pulling {0} ({1} of {2}): page {3}, {4} read.").format(
            self.key, self.index + 1, self.count, self.pages, self.read
        )


@dataclass
class PullOutcome:
    reports: list[IngestReport] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (source key, message)
    cancelled: bool = False
    not_reached: list[str] = field(default_factory=list)  # keys left out by a cancel
    error: str | None = None  # the pull itself failed (translated)
    written_back: dict[str, int] = field(default_factory=dict)  # source -> decisions told

    @property
    def stored(self) -> int:
        return sum(r.inserted + r.edited for r in self.reports)

    def summary(self) -> str:
        lines = []
        for r in self.reports:
            text = r.summary()
            if r.error:
                text += " " + tr(_CTX, "Stopped: {0} The next pull goes on from here.").format(
                    r.error
                )
            lines.append(text)
        lines += [
            tr(_CTX, "{0}: not pulled. {1}").format(source_label(key), message)
            for key, message in self.problems
        ]
        lines += [
            tr(_CTX, "{0}: {1} earlier decisions written back.").format(source_label(key), n)
            for key, n in self.written_back.items()
            if n
        ]
        if self.error:
            lines.append(self.error)
        if self.cancelled:
            lines.append(tr(_CTX, "Pull cancelled: what was stored stays."))
        if self.not_reached:
            lines.append(
                tr(_CTX, "Not pulled: {0}.").format(join(source_label(k) for k in self.not_reached))
            )
        return "\n".join(lines)


def pull_sources(
    ws: Workspace,
    plans: list[PlannedSource],
    actor: str,
    progress: Callable[[PullProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PullOutcome:
    """Pull the planned sources in turn (the ones with a problem are reported, not opened)."""
    outcome = PullOutcome()
    stop = cancelled or (lambda: False)
    outcome.problems += [(p.key, p.problem) for p in plans if p.problem]
    todo = [p for p in plans if not p.problem]
    for i, plan in enumerate(todo):
        if stop():
            outcome.cancelled = True
            outcome.not_reached = [p.key for p in todo[i:]]
            break
        if progress is not None:
            progress(PullProgress(i, len(todo), plan.key))
        report = _pull_one(ws, plan, actor, i, len(todo), progress, stop, outcome)
        if report is None:
            continue
        outcome.reports.append(report)
        if report.cancelled:
            outcome.cancelled = True
            outcome.not_reached = [p.key for p in todo[i + 1 :]]
            break
    return outcome


def _pull_one(
    ws: Workspace,
    plan: PlannedSource,
    actor: str,
    index: int,
    count: int,
    progress: Callable[[PullProgress], None] | None,
    stop: Callable[[], bool],
    outcome: PullOutcome,
) -> IngestReport | None:
    try:
        source = open_source(ws, plan.config, login=plan.login, allow_http=plan.allow_http)
    except (SourceConfigError, SourceError, OSError, KeyError, ValueError) as exc:
        outcome.problems.append((plan.key, str(exc)))
        return None

    def step(report: IngestReport) -> None:
        if progress is not None:
            total = getattr(source, "total", None)
            progress(PullProgress(index, count, plan.key, report.pages, report.read, total))

    try:
        report = ingest(ws, source, actor=actor, progress=step, cancelled=stop)
    except IngestError as exc:
        return exc.report
    told = hasattr(source, "write_review") and not report.cancelled
    if told and writeback.pending_count(ws, source.key):
        drained = writeback.drain(ws, lambda _key: source, source=source.key)
        outcome.written_back[source.key] = drained.written
    return report


def bound_writer_for(
    ws: Workspace, bindings: AccountBindings, resolve: Resolve
) -> Callable[[str], Any]:
    """Write-back of review decisions through this computer's accounts (None: not possible,
    the decision is kept and written back later)."""
    cache: dict[str, Any] = {}

    def writer_for(key: str) -> Any:
        if key not in cache:
            config = source_configs(ws).get(key)
            cache[key] = None
            if config is not None and config.get("type") == "odk":
                plan = plan_source(key, config, bindings, resolve)
                if plan.problem is None:
                    cache[key] = open_source(
                        ws, config, login=plan.login, allow_http=plan.allow_http
                    )
        return cache[key]

    return writer_for
