"""Processing algorithms run one after another as QGIS background tasks, with one progress.

Each run is a ``QgsProcessingAlgRunnerTask`` (the Processing toolbox's own way to run an
algorithm off the main thread) with its own context; when it has run, ``step_done`` hands
over its context, whose layers the caller then loads. Cancel stops the running task and
the ones after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.i18n import tr


class RecordingFeedback(QgsProcessingFeedback):
    """Keeps the warnings and errors an algorithm reports, for the dialog to show."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def reportError(self, error: str, fatalError: bool = False) -> None:
        self.messages.append(error)
        super().reportError(error, fatalError)

    def pushWarning(self, warning: str) -> None:
        self.messages.append(warning)
        super().pushWarning(warning)


@dataclass
class AlgRun:
    """One algorithm run: its id, parameters and what the user calls it."""

    alg_id: str
    params: dict[str, Any]
    label: str
    context: QgsProcessingContext | None = field(default=None, repr=False)
    feedback: RecordingFeedback | None = field(default=None, repr=False)
    results: dict[str, Any] = field(default_factory=dict, repr=False)


class AlgorithmQueue(QObject):
    """Runs ``runs`` in order; ``progress(percent, label)`` over all of them."""

    progress = pyqtSignal(float, str)
    step_done = pyqtSignal(object)  # AlgRun, with its context and results
    finished = pyqtSignal(bool, str)  # all ran, message (why not)

    def __init__(self, project: QgsProject, runs: list[AlgRun], parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.runs = runs
        self.index = -1
        self.task: QgsProcessingAlgRunnerTask | None = None
        self.cancelled = False
        self._keep: list[Any] = []  # algorithm, context and feedback live while the task runs

    def start(self) -> None:
        self._next()

    def cancel(self) -> None:
        self.cancelled = True
        if self.task is not None:
            self.task.cancel()

    @property
    def running(self) -> bool:
        return self.task is not None

    def _next(self) -> None:
        self.index += 1
        if self.cancelled:
            self._finish(False, tr("WeeklyChecks", "Cancelled."))
            return
        if self.index >= len(self.runs):
            self._finish(True, "")
            return
        run = self.runs[self.index]
        alg = QgsApplication.processingRegistry().createAlgorithmById(run.alg_id)
        if alg is None:
            self._finish(
                False, tr("WeeklyChecks", "Algorithm {0} is not available.").format(run.alg_id)
            )
            return
        run.context = QgsProcessingContext()
        run.context.setProject(self.project)
        run.feedback = RecordingFeedback()
        run.context.setFeedback(run.feedback)
        task = QgsProcessingAlgRunnerTask(alg, run.params, run.context, run.feedback)
        self._keep = [alg, task]
        task.progressChanged.connect(lambda p, i=self.index: self._progress(i, p))
        task.executed.connect(lambda ok, results, r=run: self._executed(r, ok, results))
        self.task = task
        self.progress.emit(100.0 * self.index / len(self.runs), run.label)
        QgsApplication.taskManager().addTask(task)

    def _progress(self, index: int, percent: float) -> None:
        if 0 <= index < len(self.runs):
            share = (index + percent / 100.0) / len(self.runs)
            self.progress.emit(100.0 * share, self.runs[index].label)

    def _executed(self, run: AlgRun, ok: bool, results: dict) -> None:
        self.task = None
        cancelled = self.cancelled or (run.feedback is not None and run.feedback.isCanceled())
        if not ok or cancelled:
            if cancelled:
                self._finish(False, tr("WeeklyChecks", "Cancelled."))
            else:
                why = run.feedback.messages[-1] if run.feedback and run.feedback.messages else ""
                self._finish(False, tr("WeeklyChecks", "{0} failed: {1}").format(run.label, why))
            return
        run.results = dict(results or {})
        self.step_done.emit(run)
        self._next()

    def _finish(self, ok: bool, message: str) -> None:
        self.task = None
        self._keep = []
        self.finished.emit(ok, message)
