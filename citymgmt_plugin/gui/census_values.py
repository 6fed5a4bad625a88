"""The value maps of a census batch in the reconcile dialog: each printed value of a coded
field that is not a stored value, listed once with how many rows carry it, and the stored
value the editor picks for it."""

from __future__ import annotations

from collections import Counter

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from ..core.i18n import tr
from ..core.labels import class_label, field_label


class ValueMapTable(QTableWidget):
    """Field, value in the batch, rows, stored value (an editable choice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("censusValueMaps")
        self.setHorizontalHeaderLabels(
            [
                tr("Census", "Field"),
                tr("Census", "Value in the batch"),
                tr("Census", "Rows"),
                tr("Census", "Stored value"),
            ]
        )
        header = self.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        self.verticalHeader().hide()
        self.keys: list[tuple[str, str]] = []  # (field, printed value) per row

    def show_values(
        self,
        found: dict[str, Counter],
        maps: dict[str, dict[str, str]],
        choices: dict[str, list[tuple[str, str]]],
        table: str = "components",
    ) -> None:
        """One row per printed value (most frequent first); ``choices``: per field the
        stored values (value, label) offered; ``maps``: what is mapped already."""
        self.setRowCount(0)
        self.keys = []
        for f, seen in found.items():
            for value, n in seen.most_common():
                self._add_row(
                    f, value, n, maps.get(f, {}).get(value, ""), choices.get(f, []), table
                )
        self.resizeColumnsToContents()

    def _add_row(self, f, value, n, mapped, offered, table) -> None:
        r = self.rowCount()
        self.insertRow(r)
        for col, text in enumerate((field_label(f, table), value, str(n))):
            cell = QTableWidgetItem(text)
            cell.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            self.setItem(r, col, cell)
        box = QComboBox(self)
        box.setEditable(not offered)  # free text (a department) when nothing is offered
        box.addItem("", "")
        for stored, label in offered:
            box.addItem(label, stored)
        index = box.findData(mapped)
        if index >= 0:
            box.setCurrentIndex(index)
        elif mapped:
            box.setEditText(mapped)
        self.setCellWidget(r, 3, box)
        self.keys.append((f, value))

    def choose(self, f: str, value: str, stored: str) -> bool:
        """Pick ``stored`` for a printed value (what the editor does with the choice)."""
        for r, key in enumerate(self.keys):
            if key == (f, value):
                box: QComboBox = self.cellWidget(r, 3)
                index = box.findData(stored)
                if index >= 0:
                    box.setCurrentIndex(index)
                else:
                    box.setEditText(stored)
                return True
        return False

    def value_maps(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for r, (f, value) in enumerate(self.keys):
            box: QComboBox = self.cellWidget(r, 3)
            stored = box.currentData() if box.currentIndex() > 0 else box.currentText().strip()
            if stored:
                out.setdefault(f, {})[value] = stored
        return out


def stored_choices(codes) -> dict[str, list[tuple[str, str]]]:
    """Per coded field the stored values offered, labelled (classes with their names)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for f in codes.coded:
        allowed = codes.allowed(f)
        if not allowed:
            continue
        if f == codes.class_field:
            out[f] = [(c, class_label(c, codes.classes[c].name)) for c in sorted(allowed)]
        else:
            out[f] = [(v, v) for v in sorted(allowed)]
    return out
