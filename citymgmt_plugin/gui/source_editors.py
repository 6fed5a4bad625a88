"""The two source editors of the sources dialog: an ODK Central form and a device-export
folder. Each reads its widgets into a shared configuration (what the office shares) and,
for ODK, this person's account; network and file work goes through the dialog's runner
(a background task)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.gui import QgsAuthConfigSelect, QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..core.i18n import tr
from ..core.qgis.accounts import odk_login
from ..core.submissions.sources.accounts import AccountBinding
from ..core.submissions.sources.configs import (
    DEFAULT_PAGE_SIZE,
    OdkLogin,
    SourceConfigError,
    check_server_url,
    folder_config,
    odk_config,
    server_origin,
)
from ..core.submissions.sources.discovery import (
    OdkForm,
    OdkProject,
    check_folder,
    check_odk,
    odk_forms,
    odk_projects,
)

_CTX = "Sources"
# runner(description, call, on_result): runs call() in a background task, on_result(result)
Runner = Callable[[str, Callable[[], Any], Callable[[Any], None]], Any]
Say = Callable[[str, bool], None]  # say(message, ok): shown in the dialog's status line


def crs_labels() -> dict[str, str]:
    return {
        "WGS84": tr(_CTX, "WGS84 (GPS)"),
        "GCJ02": tr(_CTX, "GCJ-02 (apps on Chinese map SDKs)"),
        "BD09": tr(_CTX, "BD-09 (Baidu)"),
        "CGCS2000": tr(_CTX, "CGCS2000"),
        "unknown": tr(_CTX, "unknown (WGS84 assumed, shifted points flagged)"),
    }


def crs_combo(default: str, name: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    for code, label in crs_labels().items():
        combo.addItem(label, code)
    combo.setCurrentIndex(max(combo.findData(default), 0))
    return combo


def auth_method(authcfg: str) -> str | None:
    """The method of a QGIS authentication configuration (no master password needed)."""
    from qgis.core import QgsApplication

    config = QgsApplication.authManager().availableAuthMethodConfigs().get(authcfg)
    return config.method() if config is not None else None


class OdkEditor(QWidget):
    """Server address, account, project and form (listed by the server), CRS, page size."""

    def __init__(self, runner: Runner, say: Say, parent: Any = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.say = say
        self._wanted: tuple[str | None, str | None] = (None, None)  # keep when lists load
        form = QFormLayout(self)
        self.url_edit = QLineEdit(objectName="odkUrl")
        self.url_edit.setPlaceholderText("https://central.example.org")
        form.addRow(tr(_CTX, "Server"), self.url_edit)
        self.auth_select = QgsAuthConfigSelect(self, "")
        self.auth_select.setObjectName("odkAccount")
        form.addRow(tr(_CTX, "Your account"), self.auth_select)
        hint = QLabel(
            tr(
                _CTX,
                "A QGIS authentication configuration of the Basic method: user name = your "
                "ODK Central e-mail. It stays on this computer; the workspace never stores it.",
            )
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.allow_http = QCheckBox(
            tr(_CTX, "Allow unencrypted http for this server"), objectName="odkAllowHttp"
        )
        form.addRow("", self.allow_http)
        self.http_warning = QLabel(
            tr(
                _CTX,
                "Without https, anyone on the network between you and the server can read "
                "your password and the submissions. Only for a server on this computer or a "
                "closed test network.",
            ),
            objectName="odkHttpWarning",
        )
        self.http_warning.setWordWrap(True)
        self.http_warning.setStyleSheet("color: #b22222;")
        self.http_warning.setVisible(False)
        form.addRow("", self.http_warning)
        self.load_button = QPushButton(tr(_CTX, "Load projects"), objectName="odkLoadProjects")
        self.project_combo = QComboBox(objectName="odkProject")
        row = QHBoxLayout()
        row.addWidget(self.project_combo, 1)
        row.addWidget(self.load_button)
        form.addRow(tr(_CTX, "Project"), row)
        self.form_combo = QComboBox(objectName="odkForm")
        form.addRow(tr(_CTX, "Form"), self.form_combo)
        for combo in (self.project_combo, self.form_combo):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        self.crs_combo = crs_combo("WGS84", "odkCrs")
        form.addRow(tr(_CTX, "Coordinates sent"), self.crs_combo)
        self.page_size = QSpinBox(objectName="odkPageSize")
        self.page_size.setRange(1, 10000)
        self.page_size.setSingleStep(100)
        self.page_size.setValue(DEFAULT_PAGE_SIZE)
        form.addRow(tr(_CTX, "Submissions per page"), self.page_size)

        self.allow_http.toggled.connect(self.http_warning.setVisible)
        self.load_button.clicked.connect(lambda: self._guarded(self.load_projects))
        self.project_combo.currentIndexChanged.connect(
            lambda _i: self._guarded(self._project_chosen)
        )

    def _guarded(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except SourceConfigError as exc:
            self.say(str(exc), False)
            return None

    # -- filling ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.load({}, None)

    def load(self, config: dict[str, Any], binding: AccountBinding | None) -> str | None:
        """Show a stored source; returns a warning when the account must be chosen again."""
        url = str(config.get("url") or "")
        self.url_edit.setText(url)
        self._wanted = (config.get("project"), config.get("form"))
        self._fill(self.project_combo, [OdkProject(config["project"], "")] if url else [])
        self._fill(self.form_combo, [OdkForm(config["form"], "")] if url else [])
        self.crs_combo.setCurrentIndex(max(self.crs_combo.findData(config.get("crs")), 0))
        self.page_size.setValue(int(config.get("page_size") or DEFAULT_PAGE_SIZE))
        same_server = binding is not None and url and server_origin(url) == binding.origin
        self.auth_select.setConfigId(binding.authcfg if same_server and binding else "")
        self.allow_http.setChecked(bool(same_server and binding and binding.allow_http))
        if binding is not None and not same_server:
            return tr(
                _CTX,
                "The address changed since you chose your account for it ({0}): check it, "
                "then choose your account again.",
            ).format(binding.origin)
        return None

    def _fill(self, combo: QComboBox, items: list[Any], wanted: str | None = None) -> None:
        combo.blockSignals(True)  # filling is not choosing
        combo.clear()
        for item in items:
            combo.addItem(item.label(), item.id)
        if wanted is not None:
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
        combo.blockSignals(False)

    # -- reading ---------------------------------------------------------------------------
    def url(self) -> str:
        return self.url_edit.text().strip()

    def login(self) -> OdkLogin:
        """The chosen account, read now (main thread: QGIS may ask for its master password)."""
        authcfg = self.auth_select.configId()
        if not authcfg:
            raise SourceConfigError(
                tr(_CTX, "Choose the QGIS authentication configuration of your ODK account.")
            )
        if auth_method(authcfg) not in (None, "Basic"):
            raise SourceConfigError(
                tr(
                    _CTX,
                    "The chosen authentication configuration uses the {0} method; ODK Central "
                    "needs Basic (user name = e-mail, password).",
                ).format(auth_method(authcfg))
            )
        check_server_url(self.url(), self.allow_http.isChecked())
        return odk_login(authcfg)

    def values(self) -> tuple[dict[str, Any], str, bool]:
        """(shared configuration, authcfg id, allow http); SourceConfigError when incomplete."""
        allow = self.allow_http.isChecked()
        check_server_url(self.url(), allow)
        authcfg = self.auth_select.configId()
        if not authcfg:
            raise SourceConfigError(
                tr(_CTX, "Choose the QGIS authentication configuration of your ODK account.")
            )
        project, form = self.project_combo.currentData(), self.form_combo.currentData()
        if not project or not form:
            raise SourceConfigError(
                tr(_CTX, "Choose a project and a form (Load projects lists them).")
            )
        config = odk_config(
            self.url(), project, form, self.crs_combo.currentData(), self.page_size.value()
        )
        return config, authcfg, allow

    # -- the server ------------------------------------------------------------------------
    def load_projects(self) -> Any:
        login = self.login()
        url, allow = self.url(), self.allow_http.isChecked()
        if self.project_combo.currentData():
            self._wanted = (self.project_combo.currentData(), self.form_combo.currentData())
        return self.runner(
            tr(_CTX, "Listing the projects of {0}").format(url),
            lambda: odk_projects(url, login, allow),
            self._projects_loaded,
        )

    def _projects_loaded(self, projects: list[OdkProject]) -> None:
        self._fill(self.project_combo, projects, self._wanted[0])
        if projects:
            self._project_chosen()

    def _project_chosen(self) -> Any:
        project = self.project_combo.currentData()
        if not project:
            return None
        self._fill(self.form_combo, [])
        login = self.login()
        url, allow = self.url(), self.allow_http.isChecked()
        return self.runner(
            tr(_CTX, "Listing the forms of project {0}").format(project),
            lambda: odk_forms(url, login, project, allow),
            lambda forms: self._fill(self.form_combo, forms, self._wanted[1]),
        )

    def test(self, on_result: Callable[[Any], None]) -> Any:
        config, _authcfg, allow = self.values()
        login = self.login()
        return self.runner(
            tr(_CTX, "Testing {0}").format(config["url"]),
            lambda: check_odk(config["url"], login, config["project"], config["form"], allow),
            on_result,
        )


class FolderEditor(QWidget):
    """A device-export folder (or file), its optional photo folder, and its CRS."""

    def __init__(self, runner: Runner, say: Say, parent: Any = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.say = say
        form = QFormLayout(self)
        self.name_edit = QLineEdit(objectName="folderName")
        self.name_edit.setPlaceholderText(tr(_CTX, "e.g. device-north"))
        form.addRow(tr(_CTX, "Name"), self.name_edit)
        self.folder_widget = QgsFileWidget(objectName="folderPath")
        self.folder_widget.setStorageMode(QgsFileWidget.GetDirectory)
        self.folder_widget.setDialogTitle(tr(_CTX, "Device export folder"))
        form.addRow(tr(_CTX, "Export folder"), self.folder_widget)
        self.photos_widget = QgsFileWidget(objectName="folderPhotos")
        self.photos_widget.setStorageMode(QgsFileWidget.GetDirectory)
        self.photos_widget.setDialogTitle(tr(_CTX, "Photo folder"))
        form.addRow(tr(_CTX, "Photos (optional)"), self.photos_widget)
        hint = QLabel(
            tr(
                _CTX,
                "Without a photo folder, photos/ or photos.zip next to the submissions file "
                "is used.",
            )
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.crs_combo = crs_combo("unknown", "folderCrs")
        form.addRow(tr(_CTX, "Coordinates sent"), self.crs_combo)
        self.folder_widget.fileChanged.connect(self._suggest_name)

    def clear(self) -> None:
        self.load("", {})

    def load(self, key: str, config: dict[str, Any]) -> None:
        self.name_edit.setText(key)
        self.folder_widget.setFilePath(str(config.get("path") or ""))
        self.photos_widget.setFilePath(str(config.get("photos") or ""))
        self.crs_combo.setCurrentIndex(
            max(self.crs_combo.findData(config.get("crs") or "unknown"), 0)
        )

    def _suggest_name(self, path: str) -> None:
        from pathlib import Path

        if path and not self.name_edit.text().strip():
            self.name_edit.setText(Path(path).name)

    def values(self) -> tuple[str, dict[str, Any]]:
        """(source key, shared configuration); SourceConfigError when incomplete."""
        from pathlib import Path

        key = self.name_edit.text().strip()
        if not key:
            raise SourceConfigError(tr(_CTX, "Give the source a name."))
        if key.startswith(("odk:", "inbox:")):
            raise SourceConfigError(
                tr(_CTX, "A folder source's name cannot start with odk: or inbox:.")
            )
        path = self.folder_widget.filePath().strip()
        if not path or not Path(path).exists():
            raise SourceConfigError(tr(_CTX, "Choose an existing export folder."))
        photos = self.photos_widget.filePath().strip() or None
        if photos and not Path(photos).exists():
            raise SourceConfigError(tr(_CTX, "No such photo folder: {0}").format(photos))
        return key, folder_config(path, key, self.crs_combo.currentData(), photos)

    def test(self, on_result: Callable[[Any], None]) -> Any:
        _key, config = self.values()
        return self.runner(
            tr(_CTX, "Reading {0}").format(config["path"]),
            lambda: check_folder(config["path"], config.get("photos")),
            on_result,
        )
