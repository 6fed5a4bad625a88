"""The point-of-interest dock (兴趣点普查): category tree with search, the POI form, and the
place / move / pick map tools of the census dock. Thin over :mod:`..core.census.pois`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shapely
from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QDate, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import census
from ..core.census import pois
from ..core.census.poi_checks import POI_DOMAINS, POI_MANDATORY
from ..core.i18n import tr
from ..core.labels import class_label, enumeration, field_label
from ..core.workspace.store import Workspace, describe_actor
from .census_maptools import MoveTool, PickTool, PlaceTool
from .widgets import iso_dates, scrolling

TEXT_FIELDS = ("name", "address", "phone", "door_number")


class PoiDock(QDockWidget):
    """Pick a category, fill the form, place / move / pick a point of interest."""

    saved = pyqtSignal(object)  # PoiRef

    def __init__(
        self,
        canvas: QgsMapCanvas,
        workspace: Callable[[], Workspace | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Census", "Points of interest"), parent)
        self.setObjectName("citymgmtPoiDock")
        self.canvas = canvas
        self._workspace = workspace
        self.categories: dict[str, pois.PoiCategory] = {}
        self.current: pois.PoiRecord | None = None
        self.tools: dict[str, Any] = {}
        self.widgets: dict[str, QWidget] = {}
        body = QWidget(self)
        lay = QVBoxLayout(body)
        lay.addWidget(self._build_categories(body), 2)
        lay.addWidget(scrolling(self._build_form(body), body), 3)
        lay.addLayout(self._build_buttons(body))
        self.status = QLabel("", body)
        self.status.setObjectName("poiStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.setWidget(body)
        self._editing(False)

    # ------------------------------------------------------------------ building
    def _build_categories(self, parent: QWidget) -> QWidget:
        top = QWidget(parent)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.actor_label = QLabel(describe_actor(None), top)
        self.actor_label.setObjectName("poiActor")
        tl.addWidget(self.actor_label)
        self.search = QLineEdit(top)
        self.search.setObjectName("poiCategorySearch")
        self.search.setPlaceholderText(tr("Census", "Search category by name or code…"))
        self.search.textChanged.connect(self.filter_categories)
        self.tree = QTreeWidget(top)
        self.tree.setObjectName("poiCategoryTree")
        self.tree.setHeaderLabels([tr("Census", "Category"), tr("Census", "Code")])
        tl.addWidget(self.search)
        tl.addWidget(self.tree)
        return top

    def _build_form(self, parent: QWidget) -> QWidget:
        form_w = QWidget(parent)
        fl = QVBoxLayout(form_w)
        fl.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(tr("Census", "New point of interest"), form_w)
        self.title.setObjectName("poiTitle")
        self.title.setWordWrap(True)
        fl.addWidget(self.title)
        form = QFormLayout()
        self.identifier = QLabel("—", form_w)
        form.addRow(field_label("identifier", "pois"), self.identifier)
        for f in TEXT_FIELDS:
            w = QLineEdit(form_w)
            w.setObjectName(f"poi_{f}")
            self.widgets[f] = w
            form.addRow(self._label(f), w)
        for f, values in POI_DOMAINS.items():
            box = QComboBox(form_w)
            box.setObjectName(f"poi_{f}")
            box.addItems(list(values))
            self.widgets[f] = box
            form.addRow(self._label(f), box)
        d = QDateEdit(form_w)
        d.setObjectName("poi_initial_date")
        d.setCalendarPopup(True)
        iso_dates(d)
        d.setDate(QDate.currentDate())
        self.widgets["initial_date"] = d
        form.addRow(self._label("initial_date"), d)
        note = QLineEdit(form_w)
        note.setObjectName("poi_note")
        self.widgets["note"] = note
        form.addRow(self._label("note"), note)
        self.grid_label = QLabel("—", form_w)
        form.addRow(field_label("grid_code", "pois"), self.grid_label)
        fl.addLayout(form)
        return form_w

    def _build_buttons(self, parent: QWidget) -> QVBoxLayout:
        rows = QVBoxLayout()
        tools, acts = QHBoxLayout(), QHBoxLayout()
        self.btn_place = self._button(tr("Census", "Place"), "poiPlace", self.activate_place, True)
        self.btn_move = self._button(tr("Census", "Move"), "poiMove", self.activate_move, True)
        self.btn_pick = self._button(
            tr("Census", "Pick to edit"), "poiPick", self.activate_pick, True
        )
        self.btn_save = self._button(tr("Census", "Save changes"), "poiSave", self.save_edit)
        self.btn_retire = self._button(tr("Census", "Retire…"), "poiRetire", self._ask_retire)
        self.btn_history = self._button(tr("Census", "History…"), "poiHistory", self.show_history)
        self.btn_new = self._button(tr("Census", "New"), "poiNew", self.clear_poi)
        for b in (self.btn_place, self.btn_move, self.btn_pick):
            tools.addWidget(b)
        for b in (self.btn_save, self.btn_retire, self.btn_history, self.btn_new):
            acts.addWidget(b)
        rows.addLayout(tools)
        rows.addLayout(acts)
        return rows

    def _button(self, text: str, name: str, slot: Any, checkable: bool = False) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.setCheckable(checkable)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _label(self, f: str) -> str:
        return field_label(f, "pois") + (" *" if f in POI_MANDATORY else "")

    def _editing(self, on: bool) -> None:
        for b in (self.btn_save, self.btn_retire, self.btn_history):
            b.setEnabled(on)

    # ------------------------------------------------------------------ workspace
    @property
    def ws(self) -> Workspace | None:
        return self._workspace()

    def refresh(self) -> None:
        """Reload the category tree from the workspace."""
        self.tree.clear()
        ws = self.ws
        self.actor_label.setText(describe_actor(ws))
        if ws is None:
            self.show_message(tr("Census", "Open a workspace first."))
            return
        with ws.engine.connect() as c:
            self.categories = pois.poi_categories(c, ws)
        majors: dict[str, QTreeWidgetItem] = {}
        for code, cat in self.categories.items():
            parent = majors.get(cat.major_code)
            if parent is None:
                parent = QTreeWidgetItem(self.tree, [cat.major_name, cat.major_code])
                parent.setFlags(parent.flags() & ~Qt.ItemIsSelectable)
                majors[cat.major_code] = parent
            item = QTreeWidgetItem(parent, [cat.name, code])
            item.setData(0, Qt.UserRole, code)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        for tool in self.tools.values():
            tool.set_srid(ws.srid)

    def filter_categories(self, text: str) -> None:
        text = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            major = self.tree.topLevelItem(i)
            shown = 0
            for j in range(major.childCount()):
                child = major.child(j)
                hit = not text or text in child.text(0).lower() or child.text(1).startswith(text)
                hit = hit or text in major.text(0).lower()
                child.setHidden(not hit)
                shown += int(hit)
            major.setHidden(shown == 0)

    def select_category(self, code: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            major = self.tree.topLevelItem(i)
            for j in range(major.childCount()):
                if major.child(j).data(0, Qt.UserRole) == code:
                    self.tree.setCurrentItem(major.child(j))
                    return True
        return False

    def selected_category(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item is not None else None

    # ------------------------------------------------------------------ form
    def form_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f, w in self.widgets.items():
            if isinstance(w, QLineEdit):
                out[f] = w.text().strip()
            elif isinstance(w, QComboBox):
                out[f] = w.currentText()
            elif isinstance(w, QDateEdit):
                out[f] = w.date().toPyDate()
        return out

    def set_form(self, values: dict[str, Any]) -> None:
        for f, w in self.widgets.items():
            v = values.get(f)
            if isinstance(w, QLineEdit):
                w.setText("" if v is None else str(v))
            elif isinstance(w, QComboBox) and v:
                w.setCurrentText(str(v))
            elif isinstance(w, QDateEdit) and v is not None:
                w.setDate(QDate(v.year, v.month, v.day))

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020" if error else "")

    # ------------------------------------------------------------------ tools
    def _tool(self, name: str) -> Any:
        if name not in self.tools:
            srid = self.ws.srid if self.ws else 4549
            if name == "place":
                tool = PlaceTool(self.canvas, srid)
                tool.geometry_done.connect(self.save_new)
            elif name == "move":
                tool = MoveTool(self.canvas, srid)
                tool.picked.connect(self.pick_at)
                tool.moved.connect(self.move_by)
            else:
                tool = PickTool(self.canvas, srid)
                tool.picked.connect(self.pick_at)
            self.tools[name] = tool
        return self.tools[name]

    def _activate(self, name: str, button: QPushButton) -> Any:
        for b in (self.btn_place, self.btn_move, self.btn_pick):
            b.setChecked(b is button)
        tool = self._tool(name)
        self.canvas.setMapTool(tool)
        return tool

    def activate_place(self) -> PlaceTool:
        if self.current is not None:
            self.clear_poi()
        if not self.selected_category():
            self.show_message(tr("Census", "Pick a category first."), True)
        return self._activate("place", self.btn_place)

    def activate_move(self) -> MoveTool:
        return self._activate("move", self.btn_move)

    def activate_pick(self) -> PickTool:
        return self._activate("pick", self.btn_pick)

    def deactivate_tools(self) -> None:
        for tool in self.tools.values():
            if self.canvas.mapTool() is tool:
                self.canvas.unsetMapTool(tool)
        for b in (self.btn_place, self.btn_move, self.btn_pick):
            b.setChecked(False)

    # ------------------------------------------------------------------ actions
    def _missing(self) -> bool:
        values = self.form_values()
        missing = [f for f in POI_MANDATORY if not values.get(f)]
        if missing:
            self.show_message(
                tr("Census", "Fill in the mandatory fields: {0}.").format(
                    enumeration(field_label(f, "pois") for f in missing)
                ),
                True,
            )
        return bool(missing)

    def save_new(self, geom: Any) -> pois.PoiRef | None:
        """Store a new point of interest at ``geom`` (workspace CRS) from the form."""
        ws, code = self.ws, self.selected_category()
        if ws is None or not code:
            self.show_message(tr("Census", "Pick a category first."), True)
            return None
        if self._missing():
            return None
        draft = pois.PoiDraft(code, geom, **self.form_values())
        try:
            with census.write_transaction(ws) as c:
                ref = pois.create_poi(c, ws, draft, ws.actor)
        except census.CensusError as exc:
            self.show_message(str(exc), True)
            return None
        self.show_message(
            tr("Census", "Saved {0} in grid {1}.").format(ref.identifier, ref.grid_code)
        )
        self._refresh_layers()
        self.saved.emit(ref)
        return ref

    def pick_at(self, x: float, y: float, radius: float) -> pois.PoiRecord | None:
        ws = self.ws
        if ws is None:
            return None
        with ws.engine.connect() as c:
            found = pois.pois_near(
                c, ws, shapely.Point(x, y), radius, include_retired=True, limit=1
            )
            if not found:
                self.show_message(tr("Census", "No point of interest here."), True)
                tool = self.tools.get("move")
                if tool is not None:
                    tool.cancel_pick()
                return None
            self.load_poi(found[0][0], c)
        return self.current

    def load_poi(self, poi_id: int, conn: Any = None) -> None:
        ws = self.ws
        assert ws is not None
        if conn is None:
            with ws.engine.connect() as c:
                return self.load_poi(poi_id, c)
        rec = pois.get_poi(conn, ws, poi_id)
        self.current = rec
        self.set_form(rec.attributes)
        self.identifier.setText(rec["identifier"])
        self.grid_label.setText(rec["grid_code"])
        cat = self.categories.get(rec["category_code"])
        self.select_category(rec["category_code"])
        self.title.setText(
            tr("Census", "Editing {0} ({1}, version {2}, {3})").format(
                rec["identifier"],
                class_label(rec["category_code"], cat.name if cat else None),
                rec.version,
                rec["status"],
            )
        )
        self._editing(True)

    def clear_poi(self) -> None:
        self.current = None
        self.identifier.setText("—")
        self.grid_label.setText("—")
        self.title.setText(tr("Census", "New point of interest"))
        self._editing(False)

    def save_edit(self, reason: str | None = None) -> pois.PoiRef | None:
        if self.current is None or self._missing():
            return None
        return self._update(self.form_values(), reason)

    def _update(self, changes: dict[str, Any], reason: str | None) -> pois.PoiRef | None:
        ws, rec = self.ws, self.current
        assert ws is not None and rec is not None
        try:
            with census.write_transaction(ws) as c:
                ref = pois.update_poi(
                    c, ws, rec.id, changes, ws.actor, reason, expected_version=rec.version
                )
        except census.CensusError as exc:
            self.show_message(str(exc), True)
            return None
        self.load_poi(rec.id)
        self.show_message(
            tr("Census", "Saved {0}, version {1}.").format(ref.identifier, ref.version)
        )
        self._refresh_layers()
        self.saved.emit(ref)
        return ref

    def move_by(self, dx: float, dy: float, x: float, y: float) -> pois.PoiRef | None:
        if self.current is None:
            return None
        return self._update({"geom": shapely.Point(x, y)}, tr("Census", "moved on the map"))

    def retire(self, reason: str) -> pois.PoiRef | None:
        ws, rec = self.ws, self.current
        if ws is None or rec is None:
            return None
        try:
            with census.write_transaction(ws) as c:
                ref = pois.retire_poi(c, ws, rec.id, ws.actor, reason, expected_version=rec.version)
        except census.CensusError as exc:
            self.show_message(str(exc), True)
            return None
        self.load_poi(rec.id)
        self.show_message(tr("Census", "Retired {0} ({1}).").format(ref.identifier, "移除"))
        self._refresh_layers()
        return ref

    def _ask_retire(self) -> None:
        reason, ok = QInputDialog.getText(self, tr("Census", "Retire"), tr("Census", "Why?"))
        if ok and reason.strip():
            self.retire(reason.strip())

    def show_history(self) -> Any:
        from .census_history import HistoryDialog

        if self.ws is None or self.current is None:
            return None
        dlg = HistoryDialog(self.ws, self.current.id, self.canvas, self, poi=True)
        dlg.show()
        return dlg

    def _refresh_layers(self) -> None:
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and "pois" in layer.source():
                layer.dataProvider().reloadData()
                layer.triggerRepaint()
        self.canvas.refresh()
