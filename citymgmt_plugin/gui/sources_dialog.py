"""The sources dialog: add, edit, test and remove the field-device sources of a workspace.

The workspace keeps what the office shares (:func:`..core.submissions.save_source_config`);
which QGIS authentication configuration an ODK source uses stays on this computer
(:class:`..core.submissions.sources.accounts.AccountBindings`). Talking to a server or
reading a folder runs in a background task, one at a time, so the dialog never freezes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
)

from ..core.i18n import tr
from ..core.labels import source_label
from ..core.submissions import remove_source_config, save_source_config, source_configs
from ..core.submissions.sources.accounts import AccountBindings, check_binding
from ..core.submissions.sources.configs import SourceConfigError, source_key
from ..core.submissions.sources.discovery import DiscoveryError
from ..core.workspace.store import Workspace
from .intake_tasks import CallTask
from .source_editors import FolderEditor, OdkEditor

_CTX = "Sources"
EMPTY, ODK, FOLDER = 0, 1, 2


class SourcesDialog(QDialog):
    changed = pyqtSignal()  # a source was saved or removed

    def __init__(
        self, ws: Workspace, bindings: AccountBindings, actor: str, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("citymgmtSourcesDialog")
        self.setWindowTitle(tr(_CTX, "Field-device sources"))
        self.ws = ws
        self.bindings = bindings
        self.actor = actor
        self.editing: str | None = None  # key of the source in the editor; None: a new one
        self.task: CallTask | None = None
        self._build()
        self.refresh_list()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        self.source_list = QListWidget(objectName="sourceList")
        self.source_list.setMinimumHeight(90)
        self.source_list.setMaximumHeight(180)
        self.source_list.setWordWrap(True)
        self.source_list.setTextElideMode(Qt.ElideMiddle)
        lay.addWidget(self.source_list)
        row = QHBoxLayout()
        self.add_odk_button = QPushButton(tr(_CTX, "Add ODK Central…"), objectName="addOdk")
        self.add_folder_button = QPushButton(tr(_CTX, "Add device folder…"), objectName="addFolder")
        self.remove_button = QPushButton(tr(_CTX, "Remove"), objectName="removeSource")
        for b in (self.add_odk_button, self.add_folder_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        lay.addLayout(row)
        self.stack = QStackedWidget(self)
        placeholder = QLabel(tr(_CTX, "Choose a source to edit it, or add one."))
        placeholder.setAlignment(Qt.AlignCenter)
        self.odk = OdkEditor(self.run_call, self.say, self)
        self.folder = FolderEditor(self.run_call, self.say, self)
        for page in (placeholder, self.odk, self.folder):
            self.stack.addWidget(page)
        lay.addWidget(self.stack, 1)
        self.busy = QProgressBar(objectName="sourcesBusy")
        self.busy.setRange(0, 0)  # a call without steps: just busy
        self.busy.setMaximumHeight(10)
        self.busy.setTextVisible(False)
        self.busy.hide()
        lay.addWidget(self.busy)
        self.status = QLabel(objectName="sourcesStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.status)
        buttons = QHBoxLayout()
        self.test_button = QPushButton(tr(_CTX, "Test"), objectName="testSource")
        self.save_button = QPushButton(tr(_CTX, "Save"), objectName="saveSource")
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText(tr(_CTX, "Close"))  # Qt's own may be absent
        close.rejected.connect(self.reject)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.add_odk_button.clicked.connect(self.add_odk)
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_button.clicked.connect(lambda: self.remove())  # not clicked's bool
        self.test_button.clicked.connect(lambda: self.test())
        self.save_button.clicked.connect(lambda: self.save())
        self.source_list.currentItemChanged.connect(self._chosen)
        self._show_editor(EMPTY)

    # -- the list -------------------------------------------------------------------------
    def refresh_list(self, select: str | None = None) -> None:
        self.source_list.blockSignals(True)
        self.source_list.clear()
        for key, config in sorted(source_configs(self.ws).items()):
            item = QListWidgetItem(self._describe(key, config))
            item.setData(Qt.UserRole, key)
            self.source_list.addItem(item)
            if key == select:
                self.source_list.setCurrentItem(item)
        self.source_list.blockSignals(False)

    def _describe(self, key: str, config: dict[str, Any]) -> str:
        if config.get("type") == "file":
            name = source_label(key)  # the default name "device" reads "device export"
            return tr(_CTX, "Device folder {0}").format(name) + "\n" + str(config.get("path", ""))
        if config.get("type") != "odk":
            return key
        binding = self.bindings.get(key)
        try:
            check_binding(key, str(config.get("url") or ""), binding)
        except SourceConfigError:
            account = (
                tr(_CTX, "no account on this computer")
                if binding is None
                else tr(_CTX, "address changed: choose your account again")
            )
        else:
            account = tr(_CTX, "your account: {0}").format(_auth_name(binding.authcfg))
        label = source_label(key)  # "ODK Central host, project 7, form f" for odk:host/7/f
        if label == key:  # a name the office gave
            label = tr(_CTX, "ODK Central {0}").format(key)
        return label + "\n" + account

    def keys(self) -> list[str]:
        return [self.source_list.item(i).data(Qt.UserRole) for i in range(self.source_list.count())]

    def select(self, key: str) -> bool:
        for i in range(self.source_list.count()):
            item = self.source_list.item(i)
            if item.data(Qt.UserRole) == key:
                self.source_list.setCurrentRow(i)
                if self.editing != key or self.stack.currentIndex() == EMPTY:
                    self._chosen(item)  # it was current already: no signal
                return True
        return False

    def _chosen(self, item: QListWidgetItem | None, *_: Any) -> None:
        if item is None:
            return
        key = item.data(Qt.UserRole)
        config = source_configs(self.ws).get(key)
        if config is None:
            return
        self.editing = key
        self.say("", True)
        if config.get("type") == "odk":
            warning = self.odk.load(config, self.bindings.get(key))
            self._show_editor(ODK)
            if warning:
                self.say(warning, False)
        elif config.get("type") == "file":
            self.folder.load(key, config)
            self._show_editor(FOLDER)
        else:
            self._show_editor(EMPTY)
            self.say(
                tr(_CTX, "{0} is configured with the ingest command.").format(source_label(key)),
                True,
            )

    def _show_editor(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        self.test_button.setEnabled(page != EMPTY)
        self.save_button.setEnabled(page != EMPTY)
        self.remove_button.setEnabled(self.editing is not None)

    def add_odk(self) -> None:
        self.editing = None
        self.source_list.setCurrentRow(-1)
        self.odk.clear()
        self._show_editor(ODK)
        self.say(tr(_CTX, "New ODK Central source: give the server and your account."), True)

    def add_folder(self) -> None:
        self.editing = None
        self.source_list.setCurrentRow(-1)
        self.folder.clear()
        self._show_editor(FOLDER)
        self.say(tr(_CTX, "New device folder source."), True)

    # -- actions --------------------------------------------------------------------------
    def save(self) -> str | None:
        """Store the source in the editor; returns its key, or None (the reason is shown)."""
        try:
            if self.stack.currentIndex() == ODK:
                config, authcfg, allow = self.odk.values()
                key = source_key(config)
            elif self.stack.currentIndex() == FOLDER:
                key, config = self.folder.values()
                if self.editing != key and key in source_configs(self.ws):
                    raise SourceConfigError(tr(_CTX, "A source named {0} exists.").format(key))
            else:
                return None
            save_source_config(self.ws, key, config, self.actor)
            if config["type"] == "odk":
                self.bindings.bind(key, authcfg, config["url"], allow)
        except SourceConfigError as exc:
            self.say(str(exc), False)
            return None
        message = tr(_CTX, "Saved {0}.").format(source_label(key))
        old = self.editing
        if old is not None and old != key:
            remove_source_config(self.ws, old, self.actor)
            self.bindings.forget(old)
            message += " " + tr(
                _CTX, "It replaces {0}; submissions already stored under that name stay."
            ).format(source_label(old))
        self.editing = key
        self.refresh_list(select=key)
        self._show_editor(self.stack.currentIndex())
        self.say(message, True)
        self.changed.emit()
        return key

    def remove(self, confirm: bool = True) -> bool:
        key = self.editing
        if key is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                tr(_CTX, "Remove source"),
                tr(
                    _CTX,
                    "Remove {0}? Submissions already stored stay; it is no longer pulled.",
                ).format(source_label(key)),
            )
            if answer != QMessageBox.Yes:
                return False
        remove_source_config(self.ws, key, self.actor)
        self.bindings.forget(key)
        self.editing = None
        self.refresh_list()
        self._show_editor(EMPTY)
        self.say(
            tr(_CTX, "Removed {0}; its stored submissions stay.").format(source_label(key)), True
        )
        self.changed.emit()
        return True

    def test(self) -> CallTask | None:
        editor = self.odk if self.stack.currentIndex() == ODK else self.folder
        try:
            return editor.test(lambda text: self.say(tr(_CTX, "Test passed: {0}").format(text)))
        except SourceConfigError as exc:
            self.say(str(exc), False)
            return None

    # -- background calls -----------------------------------------------------------------
    def run_call(
        self, description: str, call: Callable[[], Any], on_result: Callable[[Any], None]
    ) -> CallTask | None:
        """Run ``call`` in a background task (one at a time); ``on_result`` gets its result,
        a failure shows its message."""
        if self.task is not None:
            self.say(tr(_CTX, "Still busy with the server; wait a moment."), False)
            return None
        task = CallTask(description, call, (DiscoveryError, SourceConfigError))

        def done(result: Any, error: str) -> None:
            self.task = None
            self._busy(False)
            if error or result is None:
                self.say(
                    tr(_CTX, "Failed: {0}").format(error or tr(_CTX, "cancelled")),
                    False,
                )
                return
            self.say("", True)
            on_result(result)

        task.done.connect(done)
        self.task = task
        self._busy(True)
        self.say(description + "…", True)
        QgsApplication.taskManager().addTask(task)
        return task

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for b in (self.test_button, self.save_button, self.odk.load_button):
            b.setEnabled(not busy and self.stack.currentIndex() != EMPTY)

    def say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet("" if ok else "color: #b22222;")
        self.status.setText(text)

    def done(self, result: int) -> None:
        if self.task is not None:  # the call's answer would find no dialog
            self.task.cancel()
        super().done(result)


def _auth_name(authcfg: str) -> str:
    config = QgsApplication.authManager().availableAuthMethodConfigs().get(authcfg)
    return f"{config.name()} ({authcfg})" if config is not None else authcfg
