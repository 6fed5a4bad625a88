"""Pushing tasks to ODK Central from the dock: where to (the office's entity list, kept in
the workspace), with whose account (this person's QGIS authentication configuration, bound
on this computer to that server), and the push itself as a background task."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsTask
from qgis.gui import QgsAuthConfigSelect
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)
from sqlalchemy.exc import DBAPIError

from ..core.cases.sync import PushReport, Target, load_target, push_tasks, save_target
from ..core.i18n import tr
from ..core.workspace.store import Workspace

_CTX = "TaskDock"
DEFAULT_DATASET = "citymgmt_tasks"


def target_key(url: str, project: str, dataset: str) -> str:
    """The key this computer binds the push account under (like a source's)."""
    return f"tasks:{url.rstrip('/')}/{project}/{dataset}"


class PushDialog(QDialog):
    """Entity list and account for the push; accepted: saved and bound, ready to push."""

    def __init__(self, ws: Workspace, bindings: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("citymgmtPushDialog")
        self.setWindowTitle(tr(_CTX, "Push tasks to ODK Central"))
        self.ws = ws
        self.bindings = bindings
        self.url = QLineEdit(objectName="urlEdit")
        self.url.setPlaceholderText("https://central.example.org")
        self.project = QLineEdit(objectName="projectEdit")
        self.dataset = QLineEdit(DEFAULT_DATASET, objectName="datasetEdit")
        self.close_mode = QComboBox(objectName="closeCombo")
        self.close_mode.addItem(tr(_CTX, "Mark closed (status)"), "update")
        self.close_mode.addItem(tr(_CTX, "Delete the entity"), "delete")
        self.auth_select = QgsAuthConfigSelect(self, "")
        self.auth_select.setObjectName("authSelect")
        self.allow_http = QCheckBox(tr(_CTX, "Allow unencrypted http (not recommended)"))
        self.allow_http.setObjectName("allowHttp")
        self.status = QLabel(objectName="statusLabel")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr(_CTX, "Server"), self.url)
        form.addRow(tr(_CTX, "Project id"), self.project)
        form.addRow(tr(_CTX, "Entity list"), self.dataset)
        form.addRow(tr(_CTX, "Finished tasks"), self.close_mode)
        form.addRow(tr(_CTX, "Your account"), self.auth_select)
        form.addRow("", self.allow_http)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(tr(_CTX, "Push"))
        buttons.button(QDialogButtonBox.Cancel).setText(tr(_CTX, "Cancel"))  # Qt's may be absent
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self._load()

    def _load(self) -> None:
        saved = load_target(self.ws) or {}
        self.url.setText(saved.get("url", ""))
        self.project.setText(str(saved.get("project", "")))
        self.dataset.setText(saved.get("dataset") or DEFAULT_DATASET)
        self.close_mode.setCurrentIndex(max(self.close_mode.findData(saved.get("close")), 0))
        binding = self.bindings.get(self.key()) if saved else None
        if binding is not None:
            self.auth_select.setConfigId(binding.authcfg)
            self.allow_http.setChecked(binding.allow_http)

    def key(self) -> str:
        return target_key(
            self.url.text().strip(), self.project.text().strip(), self.dataset.text().strip()
        )

    def accept(self) -> None:
        """Check, save the office's target, bind this person's account; then close."""
        from ..core.submissions.sources.configs import SourceConfigError, check_server_url

        url, project, dataset = (w.text().strip() for w in (self.url, self.project, self.dataset))
        authcfg = self.auth_select.configId()
        try:
            check_server_url(url, self.allow_http.isChecked())
        except SourceConfigError as exc:
            self.status.setText(str(exc))
            return
        if not project or not dataset or not authcfg:
            self.status.setText(tr(_CTX, "Give the project, the entity list and your account."))
            return
        try:
            save_target(self.ws, url, project, dataset, self.close_mode.currentData())
        except DBAPIError:
            self.status.setText(tr(_CTX, "Only an admin may change where the office pushes tasks."))
            return
        self.bindings.bind(self.key(), authcfg, url, self.allow_http.isChecked())
        super().accept()


def bound_target(ws: Workspace, bindings: Any) -> tuple[Target, str]:
    """The saved target with this person's account (main thread: QGIS may ask for its
    master password); SourceConfigError with the reason when there is none."""
    from ..core.cases.entities import EntityClient
    from ..core.qgis.accounts import odk_login
    from ..core.submissions.sources.accounts import check_binding
    from ..core.submissions.sources.configs import SourceConfigError

    saved = load_target(ws)
    if not saved:
        raise SourceConfigError(tr(_CTX, "Choose where to push first."))
    key = target_key(saved["url"], saved["project"], saved["dataset"])
    binding = bindings.get(key)
    check_binding(key, saved["url"], binding)
    login = odk_login(binding.authcfg)
    client = EntityClient(saved["url"], login.email, login.password)
    return Target(client, saved["project"], saved["dataset"]), saved.get("close", "update")


class PushTask(QgsTask):
    """The push in QGIS's task manager: progress per chunk, cancel between chunks (what was
    confirmed stays stored; the next push goes on)."""

    done = pyqtSignal(object, str)  # PushReport, error message ('' when none)

    def __init__(self, ws: Workspace, target: Target, close: str, actor: str) -> None:
        super().__init__(tr(_CTX, "Push tasks to ODK Central"), QgsTask.CanCancel)
        self.ws, self.target, self.close, self.actor = ws, target, close, actor
        self.report = PushReport()
        self.error = ""

    def run(self) -> bool:
        try:
            self.report = push_tasks(
                self.ws,
                self.target,
                close=self.close,
                progress=self._progress,
                cancelled=self.isCanceled,
                actor=self.actor,
            )
        except Exception as exc:  # a server or database failure: what was confirmed stays
            self.error = tr(_CTX, "The push stopped: {0}").format(exc)
            return False
        return True

    def _progress(self, done: int, total: int) -> None:
        self.setProgress(100.0 * done / total if total else 100.0)

    def finished(self, ok: bool) -> None:
        self.report.cancelled = self.report.cancelled or self.isCanceled()
        self.done.emit(self.report, "" if ok else self.error)
