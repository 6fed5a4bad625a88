"""The workspace dialog: choose a GeoPackage or PostGIS workspace, create or upgrade its
schema, connect it and load its layers. Thin over core.connection and core.layers."""

from __future__ import annotations

import contextlib
import traceback
from dataclasses import replace
from typing import Any

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMessageLog,
    QgsProject,
    QgsTask,
)
from qgis.gui import (
    QgsAuthConfigSelect,
    QgsFileWidget,
    QgsMessageBar,
    QgsProjectionSelectionWidget,
)
from qgis.PyQt.QtCore import Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QGuiApplication
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url

from ..core.i18n import tr
from ..core.labels import scheme_label
from ..core.qgis.connection import credentials_for, open_workspace
from ..core.qgis.layer_task import LoadLayersTask
from ..core.qgis.layers import workspace_crs
from ..core.qgis.session import last_workspace, project_workspace, remember_workspace
from ..core.workspace.connection import (
    CURRENT,
    EMPTY,
    NEW_FILE,
    OUTDATED,
    SchemaState,
    schema_state,
    spec_to_string,
    upgrade_workspace,
)
from ..core.workspace.credentials import Credentials
from ..core.workspace.schema import DEFAULT_SRID
from ..core.workspace.store import (
    DEFAULT_PG_SCHEMA,
    UpgradeOptions,
    Workspace,
    WorkspaceError,
    WorkspaceSpec,
    describe_actor,
    with_schema,
)
from .map_view import zoom_canvas_after_layers
from .widgets import GrowingLabel, push_message

LOG_TAG = "citymgmt"


def unexpected_error(exc: BaseException) -> str:
    """A translated one-line message; the traceback goes to the QGIS log only."""
    QgsMessageLog.logMessage(
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        LOG_TAG,
        Qgis.Critical,
    )
    if isinstance(exc, WorkspaceError):
        return str(exc)
    return tr("Workspace", "Unexpected error ({0}): {1}. Details are in the log panel.").format(
        type(exc).__name__, str(exc).splitlines()[0] if str(exc) else ""
    )


class UpgradeTask(QgsTask):
    """Create or upgrade a workspace schema in the background."""

    done = pyqtSignal(bool, str)  # ok, revision or translated error message

    def __init__(
        self, spec: WorkspaceSpec, options: UpgradeOptions, credentials: Credentials | None
    ) -> None:
        # a migration runs in one transaction and cannot stop half-way: not cancellable
        super().__init__(tr("Workspace", "Create or upgrade the workspace schema"), QgsTask.Flags())
        self.spec = spec
        self.options = options
        self.credentials = credentials
        self.revision = ""
        self.error = ""

    def run(self) -> bool:
        try:
            self.revision = upgrade_workspace(self.spec, self.options, self.credentials)
            return True
        except Exception as exc:  # reported in finished(), in the main thread
            self.error = unexpected_error(exc)
            return False

    def finished(self, result: bool) -> None:
        self.done.emit(result, self.revision if result else self.error)


class WorkspaceDialog(QDialog):
    """Connect a workspace; ``ctx.set_workspace`` is called on success."""

    connected = pyqtSignal(object)  # Workspace

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: SchemaState | None = None
        self.task: UpgradeTask | LoadLayersTask | None = None
        self.loaded_layers: dict[str, Any] = {}  # of the last "Load layers"
        self.setWindowTitle(tr("Workspace", "City management workspace"))
        self._build()
        initial = ""
        if ctx is not None and ctx.workspace is not None:
            initial = spec_to_string(ctx.workspace.spec)
        initial = initial or project_workspace() or last_workspace()
        if initial:
            with contextlib.suppress(WorkspaceError):
                self.set_spec(WorkspaceSpec.parse(initial))
        self._update_kind()
        self._set_state(None)

    # -- widgets ---------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.bar = QgsMessageBar(self)
        self.bar.setSizePolicy(QSizePolicy.Minimum, QSizePolicy.Fixed)
        layout.addWidget(self.bar)
        where = QGroupBox(tr("Workspace", "Where the workspace is"))
        where_layout = QVBoxLayout(where)
        where_layout.addLayout(self._build_kinds())
        where_layout.addWidget(self._build_gpkg_page())
        where_layout.addWidget(self._build_pg_page())
        where_layout.addLayout(self._build_status_row())
        layout.addWidget(where)
        layout.addWidget(self._build_options())
        self._build_buttons(layout)
        self._connect_signals()

    def _build_kinds(self) -> QHBoxLayout:
        """GeoPackage file or PostGIS database."""
        kinds = QHBoxLayout()
        self.gpkg_radio = QRadioButton(tr("Workspace", "GeoPackage file"))
        self.pg_radio = QRadioButton(tr("Workspace", "PostGIS database"))
        self.gpkg_radio.setChecked(True)
        self.kind_group = QButtonGroup(self)
        for b in (self.gpkg_radio, self.pg_radio):
            self.kind_group.addButton(b)
            kinds.addWidget(b)
        kinds.addStretch(1)

        return kinds

    def _build_gpkg_page(self) -> QWidget:
        gpkg_page = QWidget()
        gpkg_form = QFormLayout(gpkg_page)
        self.file_widget = QgsFileWidget()
        self.file_widget.setStorageMode(QgsFileWidget.SaveFile)
        self.file_widget.setConfirmOverwrite(False)
        self.file_widget.setFilter(tr("Workspace", "GeoPackage (*.gpkg)"))
        self.file_widget.setDialogTitle(tr("Workspace", "Open or create a GeoPackage workspace"))
        self.file_widget.setToolTip(
            tr("Workspace", "An existing workspace, or the name of a new file to create.")
        )
        gpkg_form.addRow(tr("Workspace", "File"), self.file_widget)
        self.gpkg_auth_select = QgsAuthConfigSelect(self, "ogr")
        self.gpkg_auth_select.setToolTip(
            tr(
                "Workspace",
                "Optional: a QGIS authentication configuration whose user name is recorded "
                "as the person making each change (otherwise the system login).",
            )
        )
        gpkg_form.addRow(tr("Workspace", "Sign in as"), self.gpkg_auth_select)
        self.gpkg_page = gpkg_page

        return gpkg_page

    def _build_pg_page(self) -> QWidget:
        pg_page = QWidget()
        pg_form = QFormLayout(pg_page)
        modes = QHBoxLayout()
        self.service_radio = QRadioButton(tr("Workspace", "Service (pg_service.conf)"))
        self.host_radio = QRadioButton(tr("Workspace", "Host"))
        self.service_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        for b in (self.service_radio, self.host_radio):
            self.mode_group.addButton(b)
            modes.addWidget(b)
        modes.addStretch(1)
        pg_form.addRow(tr("Workspace", "Connection"), modes)
        self.service_edit = QLineEdit()
        self.service_edit.setPlaceholderText(tr("Workspace", "service name, e.g. citymgmt"))
        pg_form.addRow(tr("Workspace", "Service"), self.service_edit)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("127.0.0.1")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        host_row = QHBoxLayout()
        host_row.addWidget(self.host_edit, 1)
        host_row.addWidget(QLabel(tr("Workspace", "Port")))
        host_row.addWidget(self.port_spin)
        pg_form.addRow(tr("Workspace", "Host"), host_row)
        self.db_edit = QLineEdit()
        pg_form.addRow(tr("Workspace", "Database"), self.db_edit)
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText(
            tr("Workspace", "optional: from the authentication or the service")
        )
        pg_form.addRow(tr("Workspace", "User"), self.user_edit)
        self.auth_select = QgsAuthConfigSelect(self, "postgres")
        pg_form.addRow(tr("Workspace", "Authentication"), self.auth_select)
        self.schema_edit = QLineEdit(DEFAULT_PG_SCHEMA)
        pg_form.addRow(tr("Workspace", "Schema"), self.schema_edit)
        self.pg_page = pg_page
        self._host_rows = [self.host_edit, self.port_spin, self.db_edit, self.user_edit]

        return pg_page

    def _build_status_row(self) -> QHBoxLayout:
        status_row = QHBoxLayout()
        self.status_label = GrowingLabel()
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.check_button = QPushButton(tr("Workspace", "Check"))
        self.check_button.setToolTip(tr("Workspace", "Connect and read the schema state"))
        status_row.addWidget(QLabel(tr("Workspace", "Schema:")))
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.check_button)
        return status_row

    def _build_options(self) -> QGroupBox:
        """Settings fixed when a schema is created: CRS, grid codes, identifier scheme."""
        self.options_box = QGroupBox(tr("Workspace", "New schema options (fixed at creation)"))
        options = QFormLayout(self.options_box)
        self.crs_widget = QgsProjectionSelectionWidget()
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{DEFAULT_SRID}"))
        for combo in self.crs_widget.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        options.addRow(tr("Workspace", "Workspace CRS"), self.crs_widget)
        self.legacy14_check = QCheckBox(tr("Workspace", "Also accept legacy 14-digit codes"))
        options.addRow(tr("Workspace", "Unit grid codes"), self.legacy14_check)
        self.scheme_combo = QComboBox()
        self.scheme_combo.addItem(
            tr("Workspace", "16 digits (GB/T 30428.2-2013, 2-digit minor class)"), "legacy16"
        )
        self.scheme_combo.addItem(
            tr("Workspace", "17 digits (2026 form, 3-digit minor class)"), "std17"
        )
        self.scheme_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.scheme_combo.setMinimumContentsLength(16)
        options.addRow(tr("Workspace", "Component identifiers"), self.scheme_combo)

        return self.options_box

    def _build_buttons(self, layout: QVBoxLayout) -> None:
        buttons = QHBoxLayout()
        self.upgrade_button = QPushButton(tr("Workspace", "Create or upgrade schema"))
        self.connect_button = QPushButton(tr("Workspace", "Connect"))
        self.load_button = QPushButton(tr("Workspace", "Load layers"))
        self.close_button = QPushButton(tr("Workspace", "Close"))
        buttons.addWidget(self.upgrade_button)
        buttons.addStretch(1)
        for b in (self.connect_button, self.load_button, self.close_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        progress = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.cancel_button = QPushButton(tr("Workspace", "Cancel"))
        self.cancel_button.setToolTip(tr("Workspace", "Stop loading; the project stays as it was"))
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.cancel_button)
        layout.addLayout(progress)
        self.progress.hide()
        self.cancel_button.hide()

    def _connect_signals(self) -> None:
        self.kind_group.buttonToggled.connect(self._update_kind)
        self.mode_group.buttonToggled.connect(self._update_kind)
        for edit in (
            self.service_edit,
            self.host_edit,
            self.db_edit,
            self.user_edit,
            self.schema_edit,
        ):
            edit.textEdited.connect(self._spec_edited)
        self.port_spin.valueChanged.connect(self._spec_edited)
        self.file_widget.fileChanged.connect(self._spec_edited)
        self.auth_select.selectedConfigIdChanged.connect(self._spec_edited)
        self.gpkg_auth_select.selectedConfigIdChanged.connect(self._spec_edited)
        self.check_button.clicked.connect(self.check_state)
        self.upgrade_button.clicked.connect(self.upgrade_schema)
        self.connect_button.clicked.connect(self._connect_clicked)
        self.load_button.clicked.connect(self.load_layers)
        self.cancel_button.clicked.connect(self.cancel_loading)
        self.close_button.clicked.connect(self.reject)

    def _update_kind(self, *_args: Any) -> None:
        gpkg = self.gpkg_radio.isChecked()
        self.gpkg_page.setVisible(gpkg)
        self.pg_page.setVisible(not gpkg)
        if self.isVisible():
            QTimer.singleShot(0, self.adjustSize)  # after the layout saw the page change
        service = self.service_radio.isChecked()
        self.service_edit.setEnabled(service)
        for w in self._host_rows:
            w.setEnabled(not service)
        self._spec_edited()

    def _spec_edited(self, *_args: Any) -> None:
        self._set_state(None)

    # -- spec <-> widgets --------------------------------------------------------------

    def spec(self) -> WorkspaceSpec:
        """The workspace the widgets describe; WorkspaceError (translated) when incomplete."""
        if self.gpkg_radio.isChecked():
            path = self.file_widget.filePath().strip()
            if not path:
                raise WorkspaceError(tr("Workspace", "Choose a GeoPackage file."))
            if not path.lower().endswith(".gpkg"):
                path += ".gpkg"
            spec = WorkspaceSpec.parse(path)
            authcfg = self.gpkg_auth_select.configId() or ""
            return replace(spec, authcfg=authcfg) if authcfg else spec
        schema = self.schema_edit.text().strip() or DEFAULT_PG_SCHEMA
        authcfg = self.auth_select.configId() or ""
        if self.service_radio.isChecked():
            service = self.service_edit.text().strip()
            if not service or any(c.isspace() for c in service):
                raise WorkspaceError(tr("Workspace", "Give a service name without spaces."))
            spec = WorkspaceSpec("postgres", service=service, authcfg=authcfg)
        else:
            host, db = self.host_edit.text().strip(), self.db_edit.text().strip()
            if not host or not db:
                raise WorkspaceError(tr("Workspace", "Give the host and the database."))
            url = URL.create(
                "postgresql+psycopg2",
                username=self.user_edit.text().strip() or None,
                host=host,
                port=self.port_spin.value(),
                database=db,
            ).render_as_string(hide_password=False)
            spec = WorkspaceSpec("postgres", url=url, authcfg=authcfg)
        return with_schema(spec, schema)

    def set_spec(self, spec: WorkspaceSpec) -> None:
        if spec.kind == "gpkg":
            self.gpkg_radio.setChecked(True)
            self.file_widget.setFilePath(spec.path)
            self.gpkg_auth_select.setConfigId(spec.authcfg)
        else:
            self.pg_radio.setChecked(True)
            self.schema_edit.setText(spec.schema)
            self.auth_select.setConfigId(spec.authcfg)
            if spec.service:
                self.service_radio.setChecked(True)
                self.service_edit.setText(spec.service)
            else:
                self.host_radio.setChecked(True)
                url = make_url(spec.url)
                self.host_edit.setText(url.host or "")
                self.port_spin.setValue(int(url.port or 5432))
                self.db_edit.setText(url.database or "")
                self.user_edit.setText(url.username or "")
        self._update_kind()

    # -- state -------------------------------------------------------------------------

    def _set_state(self, state: SchemaState | None, error: str = "") -> None:
        self.state = state
        busy = self.task is not None
        if error:
            self.status_label.setText(error)
            self.status_label.setStyleSheet("color: #b00020;")
        elif state is None:
            self.status_label.setText(tr("Workspace", "not checked yet"))
            self.status_label.setStyleSheet("color: #606060;")
        else:
            self.status_label.setText(state.describe())
            color = "#1a7f37" if state.state == CURRENT else "#9a6700"
            self.status_label.setStyleSheet(f"color: {color};")
        creatable = state is None or state.state in (NEW_FILE, EMPTY)
        self.options_box.setEnabled(creatable and not busy)
        self.upgrade_button.setEnabled(
            not busy and (state is None or state.state in (NEW_FILE, EMPTY, OUTDATED))
        )
        usable = state is None or state.state == CURRENT
        self.connect_button.setEnabled(not busy and usable)
        self.load_button.setEnabled(not busy and usable)
        self.check_button.setEnabled(not busy)

    def _error(self, message: str) -> None:
        self.bar.clearWidgets()
        push_message(self.bar, tr("Workspace", "Workspace"), message, Qgis.Critical, 0)

    def _info(self, message: str, level: Qgis.MessageLevel = Qgis.Success) -> None:
        self.bar.clearWidgets()
        push_message(self.bar, tr("Workspace", "Workspace"), message, level, 6)

    def check_state(self) -> SchemaState | None:
        """Read the schema state of the chosen workspace and show it."""
        try:
            spec = self.spec()
            QGuiApplication.setOverrideCursor(Qt.WaitCursor)
            try:
                state = schema_state(spec, credentials_for(spec))
            finally:
                QGuiApplication.restoreOverrideCursor()
        except Exception as exc:
            self._set_state(None, unexpected_error(exc))
            return None
        self._set_state(state)
        return state

    # -- actions -----------------------------------------------------------------------

    def upgrade_options(self) -> UpgradeOptions:
        crs = self.crs_widget.crs()
        authid = crs.authid()
        if not crs.isValid() or crs.isGeographic() or not authid.upper().startswith("EPSG:"):
            raise WorkspaceError(
                tr(
                    "Workspace",
                    "The workspace CRS must be a projected EPSG system in metres "
                    "(e.g. EPSG:4549 CGCS2000 / 3-degree Gauss-Kruger CM 120E).",
                )
            )
        return UpgradeOptions(
            srid=int(authid.split(":", 1)[1]),
            grid_code_legacy14=self.legacy14_check.isChecked(),
            component_scheme=str(self.scheme_combo.currentData()),
        )

    @property
    def busy(self) -> bool:
        return self.task is not None

    def upgrade_schema(self) -> bool:
        """Start creating or upgrading the schema (a background task); False when refused."""
        if self.task is not None:
            return False
        try:
            spec = self.spec()
            state = self.state or self.check_state()
            if state is None:
                return False
            options = self.upgrade_options()
            credentials = credentials_for(spec)
        except Exception as exc:
            self._error(unexpected_error(exc))
            return False
        self.task = UpgradeTask(spec, options, credentials)
        self.task.done.connect(self._upgrade_done)
        self._set_state(self.state)
        self.status_label.setText(tr("Workspace", "Creating or upgrading the schema…"))
        push_message(
            self.bar,
            tr("Workspace", "Workspace"),
            tr("Workspace", "Creating or upgrading the schema of {0}…").format(spec.display()),
            Qgis.Info,
            0,
        )
        QGuiApplication.setOverrideCursor(Qt.BusyCursor)
        QgsApplication.taskManager().addTask(self.task)
        return True

    def _upgrade_done(self, ok: bool, message: str) -> None:
        QGuiApplication.restoreOverrideCursor()
        self.task = None
        self.bar.clearWidgets()
        if not ok:
            self._set_state(None)
            self._error(message)
            return
        state = self.check_state()
        if state is not None and state.state == CURRENT:
            self._info(tr("Workspace", "Schema is at revision {0}.").format(message))
            self.connect_workspace()

    def _connect_clicked(self) -> None:
        self.connect_workspace()

    def connect_workspace(self) -> Workspace | None:
        """Open the chosen workspace, make it the plugin's, remember it (no password)."""
        try:
            spec = self.spec()
            QGuiApplication.setOverrideCursor(Qt.WaitCursor)
            try:
                ws = open_workspace(spec)
            finally:
                QGuiApplication.restoreOverrideCursor()
        except Exception as exc:
            self._error(unexpected_error(exc))
            return None
        if self.ctx is not None:
            self.ctx.set_workspace(ws)
        remember_workspace(spec)
        self._set_state(self.state)
        self.status_label.setText(
            tr("Workspace", "Connected. EPSG:{0}; component identifiers: {1}.").format(
                ws.srid, scheme_label(ws.setting("component_scheme", "legacy16"))
            )
            + " "
            + describe_actor(ws)
        )
        self.status_label.setStyleSheet("color: #1a7f37;")
        self._info(tr("Workspace", "Connected to {0}.").format(spec.display()))
        self.connected.emit(ws)
        return ws

    def _current_workspace(self) -> Workspace | None:
        try:
            wanted = spec_to_string(self.spec())
        except WorkspaceError as exc:
            self._error(str(exc))
            return None
        ws = self.ctx.workspace if self.ctx is not None else None
        if ws is not None and spec_to_string(ws.spec) == wanted:
            return ws
        return self.connect_workspace()

    def load_layers(self) -> bool:
        """Start loading the workspace layers into the current project (a background task).

        When done the project CRS is the workspace CRS and the map shows the district;
        cancelled, the project stays as it was. False when nothing was started.
        """
        if self.task is not None:
            return False
        ws = self._current_workspace()
        if ws is None:
            return False
        self.loaded_layers = {}
        self.task = LoadLayersTask(ws, QgsProject.instance())
        self.task.progressChanged.connect(self._load_progress)
        self.task.done.connect(self._load_done)
        self._set_state(self.state)
        self.status_label.setText(tr("Workspace", "Loading layers…"))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        QgsApplication.taskManager().addTask(self.task)
        return True

    def cancel_loading(self) -> None:
        if isinstance(self.task, LoadLayersTask):
            self.cancel_button.setEnabled(False)
            self.status_label.setText(tr("Workspace", "Cancelling…"))
            self.task.cancel()

    def _load_progress(self, value: float) -> None:
        self.progress.setValue(int(value))

    def _load_done(self, ok: bool, message: str) -> None:
        task = self.task
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()
        self._set_state(self.state)
        if not ok or not isinstance(task, LoadLayersTask):
            self.status_label.setText(message)
            if task is not None and task.isCanceled():
                self._info(message, Qgis.Info)
            else:
                self._error(message)
            return
        self.loaded_layers = task.layers
        self.status_label.setText(message)
        iface = getattr(self.ctx, "iface", None)
        canvas = iface.mapCanvas() if iface is not None else None
        zoomed = zoom_canvas_after_layers(canvas, task.extent, workspace_crs(task.ws))
        if canvas is not None and not zoomed:
            message += " " + tr(
                "Workspace", "The workspace has no district or unit grids to zoom to yet."
            )
        self._info(message)

    def reject(self) -> None:
        if self.task is not None:  # keep the task's result handler alive
            self.hide()
            return
        super().reject()
