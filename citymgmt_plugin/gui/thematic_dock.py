"""The "Thematic layers" dock: templates, the workspace's thematic layers, digitising."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import Qgis, QgsExpressionContextUtils, QgsProject, QgsSettings
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.labels import binding_label, binding_parts, chinese, enumeration, join, parens
from ..core.qgis.thematic_layer import SURVEYOR_VARIABLE, TABLE_PROPERTY, thematic_layer
from ..core.thematic.tables import ThematicLayerInfo, create_thematic_table, thematic_layers
from ..core.thematic.templates import SETTINGS_KEY_DIR, Template, load_templates, rule_title
from .thematic_capture import prepare_capture
from .widgets import CompactSplitter, push_message, scrolling

ROLE_ID = Qt.UserRole + 1


def layer_text(info: ThematicLayerInfo) -> str:
    """A workspace layer for people: its title, and where it is saved when that is a
    workspace table ("主要道路（主要道路表，类型：主要道路）")."""
    if not info.core_table:
        return info.title
    return info.title + parens(join(binding_parts(info.core_table, info.fixed)))


class ThematicDock(QDockWidget):
    """Lists templates (in the user's language) and the workspace's layers made from them."""

    layer_ready = pyqtSignal(object)  # QgsVectorLayer set up for digitising

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(tr("ThematicDock", "Thematic layers"), parent)
        self.setObjectName("citymgmtThematicDock")
        self.ctx = ctx
        self.templates: dict[str, Template] = {}
        body = QWidget(self)
        layout = QVBoxLayout(body)
        split = CompactSplitter(Qt.Vertical, body)
        split.addWidget(self._build_templates())
        split.addWidget(self._build_layers())
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        layout.addLayout(self._build_actions(body))
        self.status = QLabel(body)
        self.status.setWordWrap(True)
        self.status.setObjectName("thematicStatus")
        layout.addWidget(self.status)
        self.setWidget(body)

        surveyor = QgsExpressionContextUtils.globalScope().variable(SURVEYOR_VARIABLE)
        self.surveyor_edit.setText(str(surveyor or ""))
        self.template_list.currentItemChanged.connect(self._show_details)
        self.template_list.currentItemChanged.connect(self._clear_status)
        self.layer_list.currentItemChanged.connect(self._clear_status)
        self.create_button.clicked.connect(self.create_selected)
        self.digitise_button.clicked.connect(self.digitise_selected)
        self.folder_button.clicked.connect(self.choose_folder)
        self.surveyor_edit.editingFinished.connect(self._surveyor_changed)
        ctx.workspace_changed.connect(self.refresh_layers)
        self.reload_templates()
        self.refresh_layers()

    def _build_templates(self) -> QWidget:
        """The templates and the details of the one chosen (they scroll when long)."""
        pane = QWidget()
        lay = QVBoxLayout(pane)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(tr("ThematicDock", "Templates")))
        self.template_list = QListWidget(pane)
        self.template_list.setObjectName("thematicTemplateList")
        self.template_list.setMinimumHeight(48)
        lay.addWidget(self.template_list, 2)
        self.details = QLabel(pane)
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.details.setObjectName("thematicTemplateDetails")
        details = scrolling(self.details, pane)
        details.setMinimumHeight(40)
        lay.addWidget(details, 1)
        return pane

    def _build_layers(self) -> QWidget:
        pane = QWidget()
        lay = QVBoxLayout(pane)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(tr("ThematicDock", "Layers in the workspace")))
        self.layer_list = QListWidget(pane)
        self.layer_list.setObjectName("thematicLayerList")
        self.layer_list.setMinimumHeight(48)
        lay.addWidget(self.layer_list, 1)
        return pane

    def _build_actions(self, parent: QWidget) -> QVBoxLayout:
        """Buttons and the surveyor: below the lists, always in view."""
        lay = QVBoxLayout()
        row = QHBoxLayout()
        self.create_button = QPushButton(tr("ThematicDock", "Create layer"), parent)
        self.create_button.setObjectName("thematicCreateButton")
        self.folder_button = QPushButton(tr("ThematicDock", "Template folder…"), parent)
        row.addWidget(self.create_button)
        row.addWidget(self.folder_button)
        lay.addLayout(row)
        self.digitise_button = QPushButton(tr("ThematicDock", "Start digitising"), parent)
        self.digitise_button.setObjectName("thematicDigitiseButton")
        lay.addWidget(self.digitise_button)
        form = QFormLayout()
        self.surveyor_edit = QLineEdit(parent)
        self.surveyor_edit.setObjectName("thematicSurveyor")
        self.surveyor_edit.setPlaceholderText(tr("ThematicDock", "login name when empty"))
        form.addRow(tr("ThematicDock", "Surveyor"), self.surveyor_edit)
        lay.addLayout(form)
        return lay

    # -- lists --------------------------------------------------------------------------

    def reload_templates(self) -> None:
        found = load_templates()
        self.templates = found.templates
        self.template_list.clear()
        for t in found:
            item = QListWidgetItem(t.title.local())
            item.setData(ROLE_ID, t.id)
            item.setToolTip(t.description.local())
            self.template_list.addItem(item)
        if self.template_list.count():
            self.template_list.setCurrentRow(0)
        if found.errors:
            self._status(
                tr("ThematicDock", "Some template files were not loaded: {0}").format(
                    join(found.errors, "; ")
                )
            )

    def refresh_layers(self, *_args: Any) -> None:
        self.layer_list.clear()
        ws = self.ctx.workspace
        self.create_button.setEnabled(ws is not None)
        self.digitise_button.setEnabled(ws is not None)
        if ws is None:
            self._status(tr("ThematicDock", "Open a workspace to create thematic layers."))
            return
        for info in thematic_layers(ws):
            item = QListWidgetItem(layer_text(info))
            # the table, for the database tools: its own words in English, quoted in Chinese
            item.setToolTip(info.table_text() if chinese() else info.describe())
            item.setData(ROLE_ID, info)
            self.layer_list.addItem(item)

    def _show_details(self, current: QListWidgetItem | None, _previous: Any = None) -> None:
        if current is None:
            self.details.clear()
            return
        t = self.templates[current.data(ROLE_ID)]
        kinds = {
            "point": tr("ThematicDock", "points"),
            "line": tr("ThematicDock", "lines"),
            "polygon": tr("ThematicDock", "areas"),
        }
        mandatory = enumeration(f.alias.local() for f in t.mandatory_fields)
        rules = enumeration(rule_title(r.id) for r in t.rules)
        text = tr("ThematicDock", "{0}\nGeometry: {1}. Mandatory: {2}.\nRules: {3}.").format(
            t.description.local(), kinds[t.geometry], mandatory, rules
        )
        if t.core_table:
            text += "\n" + tr(
                "ThematicDock",
                "Saved in the workspace's {0}, which the patrol coverage checks read.",
            ).format(binding_label(t.core_table, t.fixed))
        self.details.setText(text)

    def selected_template(self) -> Template | None:
        item = self.template_list.currentItem()
        return None if item is None else self.templates.get(item.data(ROLE_ID))

    # -- actions ------------------------------------------------------------------------

    def create_selected(self) -> ThematicLayerInfo | None:
        ws = self.ctx.workspace
        template = self.selected_template()
        if ws is None or template is None:
            return None
        try:
            info = create_thematic_table(ws, template)
        except Exception as exc:
            self._status(
                tr("ThematicDock", "The layer could not be created: {0}").format(exc), Qgis.Critical
            )
            return None
        self.refresh_layers()
        for row in range(self.layer_list.count()):
            if self.layer_list.item(row).data(ROLE_ID).table_name == info.table_name:
                self.layer_list.setCurrentRow(row)
        self._status(
            tr("ThematicDock", "Created {0}.").format(layer_text(info)),
            Qgis.Success,
        )
        return info

    def digitise_selected(self) -> Any:
        ws = self.ctx.workspace
        item = self.layer_list.currentItem()
        if ws is None or item is None:
            self._status(tr("ThematicDock", "Choose a layer of the workspace first."))
            return None
        info: ThematicLayerInfo = item.data(ROLE_ID)
        project = QgsProject.instance()
        layer = None
        for candidate in project.mapLayers().values():
            if candidate.customProperty(TABLE_PROPERTY) == info.table_name or (
                candidate.customProperty("citymgmt/layer") == f"thematic:{info.table_name}"
            ):
                layer = candidate
                break
        if layer is None:
            layer = thematic_layer(ws, info)
            if not layer.isValid():
                self._status(
                    tr("ThematicDock", "{0} could not be opened.").format(layer_text(info)),
                    Qgis.Critical,
                )
                return None
            project.addMapLayer(layer)
        iface = self.ctx.iface
        prepare_capture(
            layer,
            iface.mapCanvas(),
            ws=ws,
            project=project,
            message_bar=iface.messageBar(),
            main_window=iface.mainWindow(),
        )
        iface.setActiveLayer(layer)
        action = iface.actionAddFeature()
        if action is not None:
            action.trigger()
        self.layer_ready.emit(layer)
        self._status(tr("ThematicDock", "Digitise on the map: {0}").format(layer.name()))
        return layer

    def choose_folder(self) -> None:
        settings = QgsSettings()
        folder = QFileDialog.getExistingDirectory(
            self,
            tr("ThematicDock", "Folder of the city's template files"),
            str(settings.value(SETTINGS_KEY_DIR, "") or ""),
        )
        if folder:
            settings.setValue(SETTINGS_KEY_DIR, folder)
            self.reload_templates()

    def _surveyor_changed(self) -> None:
        QgsExpressionContextUtils.setGlobalVariable(
            SURVEYOR_VARIABLE, self.surveyor_edit.text().strip()
        )

    def _clear_status(self, *_args: Any) -> None:
        """Another template or layer chosen: what the status said is about the last one."""
        self.status.clear()

    def _status(self, text: str, level: Any = Qgis.Info) -> None:
        self.status.setText(text)
        if level in (Qgis.Critical, Qgis.Success):
            with contextlib.suppress(AttributeError, RuntimeError):
                bar = self.ctx.iface.messageBar()
                push_message(bar, tr("ThematicDock", "Thematic layers"), text, level, 5)
