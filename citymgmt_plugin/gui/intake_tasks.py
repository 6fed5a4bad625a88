"""Background tasks for intake: the pull of every source, and short calls to a server.

``run()`` works in QGIS's task thread and touches no widget: it reports through
``setProgress`` and signals, which Qt delivers to the widgets on the main thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..core.i18n import tr
from ..core.submissions.pull import PlannedSource, PullOutcome, PullProgress, pull_sources
from ..core.workspace.store import Workspace

_CTX = "ReviewDock"


class PullTask(QgsTask):
    """Pull the planned sources in turn; cancel stops between pages, keeping what was stored."""

    note = pyqtSignal(str)  # what is being pulled now
    done = pyqtSignal(object)  # PullOutcome (its summary says what happened)

    def __init__(self, ws: Workspace, plans: list[PlannedSource], actor: str) -> None:
        super().__init__(tr(_CTX, "Pull field submissions"), QgsTask.CanCancel)
        self.ws = ws
        self.plans = plans
        self.actor = actor
        self.outcome = PullOutcome()
        self.error: str | None = None

    def run(self) -> bool:
        try:
            self.outcome = pull_sources(
                self.ws, self.plans, self.actor, progress=self._progress, cancelled=self.isCanceled
            )
        except Exception as exc:  # a database failure: the pages stored before it stay
            self.error = tr(_CTX, "The pull stopped: {0}").format(exc)
            return False
        return True

    def _progress(self, p: PullProgress) -> None:
        self.setProgress(p.percent)
        self.note.emit(p.text())

    def finished(self, ok: bool) -> None:
        if not ok:
            self.outcome.error = self.error
            self.outcome.cancelled = self.outcome.cancelled or self.isCanceled()
        self.done.emit(self.outcome)


class CallTask(QgsTask):
    """One short call (log in and list, read a folder) off the main thread.

    ``done(result, error)``: the call's result, or None and the message of ``errors``.
    """

    done = pyqtSignal(object, str)

    def __init__(
        self,
        description: str,
        call: Callable[[], Any],
        errors: tuple[type[BaseException], ...] = (Exception,),
    ) -> None:
        super().__init__(description, QgsTask.CanCancel)
        self.call = call
        self.errors = errors
        self.result: Any = None
        self.error = ""

    def run(self) -> bool:
        try:
            self.result = self.call()
        except self.errors as exc:
            self.error = str(exc)
            return False
        except Exception as exc:  # unexpected: still a message, never a silent stop
            self.error = tr(_CTX, "Failed: {0}").format(exc)
            return False
        return True

    def finished(self, ok: bool) -> None:
        self.done.emit(self.result if ok else None, "" if ok else self.error)
