"""Widgets of the Processing dialog for parameters QGIS has no picker for.

The workspace parameter is a string (a GeoPackage path, a ``postgresql://`` URL or
``service=NAME``), so scripts, the Modeler and ``qgis_process`` can give any workspace; in
the dialog it is picked from the workspaces this QGIS knows (the connected one, the project's,
the last used) or a GeoPackage file chosen with "…". Algorithms name the wrapper by its class
path in ``metadata["widget_wrapper"]`` (Processing's Python dialog imports it), so this module
and Processing's GUI are imported only where a dialog is shown.
"""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingOutputString, QgsProcessingParameterString
from qgis.PyQt.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QToolButton, QWidget

from citymgmt_plugin.core.i18n import tr


def _wrapper_base() -> type:
    from processing.gui.wrappers import WidgetWrapper

    return WidgetWrapper


class WorkspaceWidgetWrapper(_wrapper_base()):  # type: ignore[misc]
    """An editable list of known workspaces with a "…" button for a GeoPackage file; in the
    Modeler, the model's text inputs or a typed value."""

    def createWidget(self) -> QWidget:
        from processing.gui.wrappers import DIALOG_MODELER

        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setObjectName("workspaceCombo")
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(24)  # long paths must not widen the dialog
        self.combo.lineEdit().setPlaceholderText(
            tr("Processing", "none: write to the output below")
        )
        if self.dialogType == DIALOG_MODELER:
            for value in self.dialog.getAvailableValuesOfType(
                [QgsProcessingParameterString], [QgsProcessingOutputString]
            ):
                self.combo.addItem(self.dialog.resolveValueDescription(value), value)
            return self.combo
        from citymgmt_plugin.core.qgis.session import known_workspaces

        self.combo.addItem("", None)  # none: the layer goes to the output
        for spec in known_workspaces():
            self.combo.addItem(spec, spec)
        widget = QWidget()
        row = QHBoxLayout(widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        browse = QToolButton(widget)
        browse.setText("…")
        browse.setToolTip(tr("Processing", "Choose a GeoPackage workspace file"))
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        return widget

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.combo,
            tr("Processing", "GeoPackage workspace"),
            "",
            tr("Processing", "GeoPackage (*.gpkg)"),
        )
        if path:
            self.combo.setEditText(path)

    def setValue(self, value: Any) -> None:
        if value is None:
            self.combo.setCurrentIndex(0 if self.combo.count() else -1)
            return
        self.setComboValue(value, self.combo)

    def value(self) -> Any:
        text = self.combo.currentText().strip()
        index = self.combo.findText(text)
        if index >= 0 and self.combo.itemData(index) not in (None, ""):
            return self.combo.itemData(index)  # a model input, or a known workspace
        return text or None
