"""The census dock: class tree with search, the attribute form, photos, and the map tools.

Thin over :mod:`citymgmt_plugin.core.census`: the dock gathers the form and the geometry and
calls core inside one transaction; core validates and stores.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import shapely
import shapely.affinity
from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QDate, QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QIcon, QPixmap
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import census
from ..core.census.validation import DOMAINS, MANDATORY_FIELDS, field_label
from ..core.i18n import tr
from ..core.labels import class_label, enumeration, geometry_kind_label
from ..core.workspace.store import Workspace, describe_actor
from .census_maptools import MoveTool, PickTool, PlaceTool
from .census_pending import PendingPlacement
from .highlight import CanvasHighlight
from .photo_viewer import PhotoItem, PhotoViewer
from .shortcuts import button_tip, dock_action, icon
from .widgets import iso_dates, local_minutes, scrolling

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".webp")
# Department names typed this session, newest first (shared by every dock in the session).
SESSION_DEPARTMENTS: list[tuple[str, str]] = []
SESSION_BY_CLASS: dict[str, tuple[str, str]] = {}


class PhotoList(QListWidget):
    """Thumbnails; accepts image files dropped from the file manager."""

    files_dropped = pyqtSignal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.IconMode)
        self.setIconSize(QSize(72, 72))
        self.setResizeMode(QListWidget.Adjust)
        self.setAcceptDrops(True)
        self.setDragDropMode(QListWidget.DropOnly)
        self.setMinimumHeight(96)

    @staticmethod
    def _paths(mime: Any) -> list[str]:
        if not mime.hasUrls():
            return []
        return [
            u.toLocalFile()
            for u in mime.urls()
            if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES
        ]

    def dragEnterEvent(self, e: Any) -> None:
        if self._paths(e.mimeData()):
            e.acceptProposedAction()
        else:
            e.ignore()

    def dragMoveEvent(self, e: Any) -> None:
        if self._paths(e.mimeData()):
            e.acceptProposedAction()
        else:
            e.ignore()

    def dropEvent(self, e: Any) -> None:
        paths = self._paths(e.mimeData())
        if paths:
            e.acceptProposedAction()
            self.files_dropped.emit(paths)


class CensusDock(QDockWidget):
    """Pick a class, fill the form, place/move/pick on the map, attach photos."""

    saved = pyqtSignal(object)  # ComponentRef
    message = pyqtSignal(str)

    def __init__(
        self,
        canvas: QgsMapCanvas,
        workspace: Callable[[], Workspace | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Census", "Component census"), parent)
        self.setObjectName("citymgmtCensusDock")
        self.canvas = canvas
        self._workspace = workspace
        self.classes: dict[str, census.ClassInfo] = {}
        self.current: census.ComponentRecord | None = None
        self.pending_photos: list[str] = []
        self.tools: dict[str, Any] = {}
        self.pending = PendingPlacement(canvas)  # placed on the map, not saved yet
        self.highlight = CanvasHighlight(canvas)  # the component being edited
        self.photo_viewer: PhotoViewer | None = None
        self._build()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        body = QWidget(self)
        outer = QVBoxLayout(body)
        split = QSplitter(Qt.Vertical, body)
        outer.addWidget(split)
        split.addWidget(self._build_classes(split))
        form_w = self._build_form(split)
        split.addWidget(scrolling(form_w, split))  # only the long form scrolls
        split.setSizes([300, 600])
        split.setChildrenCollapsible(False)
        self.tree.setMinimumHeight(72)
        # map tools, actions and the status stay in view below the form at any dock height
        outer.addLayout(self._build_tools(body))
        outer.addLayout(self._build_actions(body))
        self.status = QLabel("", body)
        self.status.setObjectName("censusStatus")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        self.setWidget(body)
        self.shortcut_actions = self._build_shortcuts()
        self._update_buttons()

    def _build_classes(self, parent: QWidget) -> QWidget:
        """Who acts, and the class tree with its search field."""
        top = QWidget(parent)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.actor_label = QLabel(describe_actor(None), top)
        self.actor_label.setObjectName("censusActor")
        self.actor_label.setToolTip(tr("Census", "Every change you save names this user."))
        tl.addWidget(self.actor_label)
        self.search = QLineEdit(top)
        self.search.setObjectName("censusClassSearch")
        self.search.setPlaceholderText(tr("Census", "Search class by name or code…"))
        self.search.textChanged.connect(self.filter_classes)
        self.tree = QTreeWidget(top)
        self.tree.setObjectName("censusClassTree")
        self.tree.setHeaderLabels([tr("Census", "Class"), tr("Census", "Code")])
        self.tree.currentItemChanged.connect(self._class_changed)
        tl.addWidget(self.search)
        tl.addWidget(self.tree)
        return top

    def _build_form(self, parent: QWidget) -> QWidget:
        """The attribute form and the photos of the component being placed or edited."""
        form_w = QWidget(parent)
        fl = QVBoxLayout(form_w)
        fl.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(tr("Census", "New component"), form_w)
        self.title.setObjectName("censusTitle")
        self.title.setWordWrap(True)  # "Editing <identifier> (<class>, version, status)"
        fl.addWidget(self.title)
        form = QFormLayout()
        self.widgets: dict[str, QWidget] = {}
        self.identifier = QLabel("—", form_w)
        form.addRow(field_label("identifier"), self.identifier)
        self._attribute_rows(form, form_w)
        self.grid_label = QLabel("—", form_w)
        form.addRow(field_label("grid_code"), self.grid_label)
        fl.addLayout(form)
        self.photos = PhotoList(form_w)
        self.photos.setObjectName("censusPhotos")
        self.photos.files_dropped.connect(self.add_photos)
        self.photos.itemDoubleClicked.connect(self._view_photo)
        self.photos.setToolTip(tr("Census", "Double-click a photo to see it large."))
        fl.addWidget(QLabel(tr("Census", "Photos (drop image files here)"), form_w))
        fl.addWidget(self.photos)
        row = QHBoxLayout()
        self.btn_photo = QPushButton(tr("Census", "Add photos…"), form_w)
        self.btn_photo.clicked.connect(self._pick_photos)
        row.addWidget(self.btn_photo)
        fl.addLayout(row)
        return form_w

    def _attribute_rows(self, form: QFormLayout, parent: QWidget) -> None:
        for f in ("name", "dept_code"):
            self._line(form, f)
        dept = QComboBox(parent)
        dept.setEditable(True)
        dept.setObjectName("census_dept_name")
        dept.activated.connect(self._dept_picked)
        self.widgets["dept_name"] = dept
        form.addRow(self._label("dept_name"), dept)
        for f in ("owner_code", "owner_name", "maint_code", "maint_name"):
            self._line(form, f)
        for f, values in DOMAINS.items():
            box = QComboBox(parent)
            box.setObjectName(f"census_{f}")
            box.addItems(list(values))
            self.widgets[f] = box
            form.addRow(self._label(f), box)
        self.widgets["accuracy_class"].setCurrentText("B")
        d = QDateEdit(parent)
        d.setObjectName("census_initial_date")
        d.setCalendarPopup(True)
        iso_dates(d)
        d.setDate(QDate.currentDate())
        self.widgets["initial_date"] = d
        form.addRow(self._label("initial_date"), d)
        self._line(form, "note")

    def _button(
        self, parent: QWidget, name: str, text: str, icon_name: str | None, slot: Callable[[], Any]
    ) -> QPushButton:
        """A button; the ones a key also works have the icon of their action."""
        button = QPushButton(icon(icon_name) if icon_name else QIcon(), text, parent)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_tools(self, parent: QWidget) -> QHBoxLayout:
        """The map tools: place, move, pick."""
        tools = QHBoxLayout()
        self.btn_place = self._button(
            parent, "censusPlace", tr("Census", "Place"), "place", self.activate_place
        )
        self.btn_move = self._button(
            parent, "censusMove", tr("Census", "Move"), "move", self.activate_move
        )
        self.btn_pick = self._button(
            parent, "censusPick", tr("Census", "Pick to edit"), "pick", self.activate_pick
        )
        for b in (self.btn_place, self.btn_move, self.btn_pick):
            b.setCheckable(True)
            tools.addWidget(b)
        return tools

    def _build_actions(self, parent: QWidget) -> QGridLayout:
        """Save, discard, retire, history, new (two rows: the dock stays narrow)."""
        acts = QGridLayout()
        self.btn_save = self._button(
            parent, "censusSave", tr("Census", "Save changes"), "save", self.save
        )
        self.btn_discard = self._button(
            parent, "censusDiscard", tr("Census", "Discard"), "discard", self.discard_pending
        )
        self.btn_retire = self._button(
            parent, "censusRetire", tr("Census", "Retire…"), None, self._ask_retire
        )
        self.btn_history = self._button(
            parent, "censusHistory", tr("Census", "History…"), None, self.show_history
        )
        self.btn_new = self._button(
            parent, "censusNew", tr("Census", "New"), None, self.clear_component
        )
        for n, b in enumerate(
            (self.btn_save, self.btn_discard, self.btn_new, self.btn_retire, self.btn_history)
        ):
            acts.addWidget(b, n // 3, n % 3)
        return acts

    def _build_shortcuts(self) -> list[Any]:
        """Keys for the tools and for saving / discarding (focus in the dock; registered with
        QGIS's shortcut manager by the feature). Enter and Esc work on the map too."""
        made = []
        for name, text, key, button, tip in (
            ("Place", tr("Census", "Census: place a component"), "P", self.btn_place,
             tr("Census", "Place a new component on the map")),
            ("Move", tr("Census", "Census: move a component"), "M", self.btn_move,
             tr("Census", "Click a component, then its new place")),
            ("Pick", tr("Census", "Census: pick a component to edit"), "E", self.btn_pick,
             tr("Census", "Click a component to edit it")),
            ("Save", tr("Census", "Census: save"), "Ctrl+Return", self.btn_save,
             tr("Census", "Save the new component or the changes")),
            ("Discard", tr("Census", "Census: discard the placement"), "Esc", self.btn_discard,
             tr("Census", "Forget the placement that is not saved yet")),
        ):  # fmt: skip
            action = dock_action(
                self, f"citymgmtCensus{name}Action", text, key, button.click, name.lower()
            )
            button_tip(button, action, tip)
            made.append(action)
        self.save_action, self.discard_action = made[3], made[4]
        return made

    def _label(self, f: str) -> str:
        return field_label(f) + (" *" if f in MANDATORY_FIELDS else "")

    def _line(self, form: QFormLayout, f: str) -> None:
        w = QLineEdit(self)
        w.setObjectName(f"census_{f}")
        self.widgets[f] = w
        form.addRow(self._label(f), w)

    def _update_buttons(self) -> None:
        """What can be done now: save a pending placement or the open component's changes,
        discard a placement, retire or show the history of the open component."""
        pending, editing = bool(self.pending), self.current is not None
        self.btn_save.setText(
            tr("Census", "Save new component") if pending else tr("Census", "Save changes")
        )
        self.btn_save.setEnabled(pending or editing)
        self.btn_discard.setEnabled(pending)
        for b in (self.btn_retire, self.btn_history):
            b.setEnabled(editing and not pending)
        if hasattr(self, "save_action"):
            self.save_action.setEnabled(pending or editing)
            self.discard_action.setEnabled(pending)

    # ------------------------------------------------------------------ workspace
    @property
    def ws(self) -> Workspace | None:
        return self._workspace()

    @property
    def actor(self) -> str:
        """Who the saved changes name: the workspace's signed-in user."""
        ws = self.ws
        return ws.actor if ws is not None else ""

    def refresh(self) -> None:
        """Reload the class tree from the workspace."""
        self.tree.clear()
        self.classes = {}
        ws = self.ws
        self.actor_label.setText(describe_actor(ws))
        if ws is None:
            self.show_message(tr("Census", "Open a workspace first."))
            return
        with ws.engine.connect() as c:
            self.classes = census.class_table(c, ws)
        majors: dict[str, QTreeWidgetItem] = {}
        for code, info in self.classes.items():
            parent = majors.get(info.major_code)
            if parent is None:
                parent = QTreeWidgetItem(self.tree, [info.major_name, info.major_code])
                parent.setFlags(parent.flags() & ~Qt.ItemIsSelectable)
                majors[info.major_code] = parent
            item = QTreeWidgetItem(parent, [info.name, code])
            item.setData(0, Qt.UserRole, code)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        for tool in self.tools.values():
            tool.set_srid(ws.srid)

    def filter_classes(self, text: str) -> None:
        text = text.strip().lower()
        first = None
        for i in range(self.tree.topLevelItemCount()):
            major = self.tree.topLevelItem(i)
            major_hit = bool(text) and (text in major.text(0).lower() or major.text(1) == text)
            shown = 0
            for j in range(major.childCount()):
                child = major.child(j)
                hit = (
                    not text
                    or major_hit
                    or text in child.text(0).lower()
                    or child.text(1).startswith(text)
                )
                child.setHidden(not hit)
                if hit:
                    shown += 1
                    first = first or child
            major.setHidden(shown == 0)
        if text and first is not None and not self.current:
            self.tree.setCurrentItem(first)

    def select_class(self, code: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            major = self.tree.topLevelItem(i)
            for j in range(major.childCount()):
                if major.child(j).data(0, Qt.UserRole) == code:
                    self.tree.setCurrentItem(major.child(j))
                    return True
        return False

    def selected_class(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item is not None else None

    def _class_changed(self, item: QTreeWidgetItem | None, _prev: Any) -> None:
        code = item.data(0, Qt.UserRole) if item is not None else None
        if not code or self.current is not None:
            return
        info = self.classes[code]
        name = self.widgets["name"]
        if not name.text() or name.text() in {c.name for c in self.classes.values()}:
            name.setText(info.name)
        remembered = SESSION_BY_CLASS.get(code) or (
            (info.department_code or "", info.department_name or "")
            if info.department_name
            else None
        )
        if remembered:
            self.widgets["dept_code"].setText(remembered[0])
            self.widgets["dept_name"].setCurrentText(remembered[1])
        tool = self.tools.get("place")
        if tool is not None:
            tool.set_kind(info.geometry_kind)
        self.show_message(
            tr("Census", "{0}: draw a {1}.").format(
                class_label(code, info.name), geometry_kind_label(info.geometry_kind)
            )
        )
        if self.pending:  # the placement is now checked for this class
            self._preview_pending()

    def _dept_picked(self, index: int) -> None:
        data = self.widgets["dept_name"].itemData(index)
        if data:
            self.widgets["dept_code"].setText(data)

    def _remember_department(self, class_code: str, code: str, name: str) -> None:
        if not name:
            return
        SESSION_BY_CLASS[class_code] = (code, name)
        entry = (code, name)
        if entry in SESSION_DEPARTMENTS:
            SESSION_DEPARTMENTS.remove(entry)
        SESSION_DEPARTMENTS.insert(0, entry)
        box: QComboBox = self.widgets["dept_name"]
        current = box.currentText()
        box.clear()
        for c, n in SESSION_DEPARTMENTS:
            box.addItem(n, c)
        box.setCurrentText(current)

    # ------------------------------------------------------------------ form
    def form_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f, w in self.widgets.items():
            if isinstance(w, QLineEdit):
                out[f] = w.text().strip()
            elif isinstance(w, QComboBox):
                out[f] = w.currentText().strip()
            elif isinstance(w, QDateEdit):
                q = w.date()
                out[f] = date(q.year(), q.month(), q.day())
        return out

    def set_form(self, values: dict[str, Any]) -> None:
        for f, w in self.widgets.items():
            v = values.get(f)
            if isinstance(w, QLineEdit):
                w.setText("" if v is None else str(v))
            elif isinstance(w, QComboBox):
                w.setCurrentText("" if v is None else str(v))
            elif isinstance(w, QDateEdit) and isinstance(v, date):
                w.setDate(QDate(v.year, v.month, v.day))

    def missing_mandatory(self) -> list[str]:
        """Mandatory fields left empty in the form (also marked red)."""
        values = self.form_values()
        missing = []
        for f in MANDATORY_FIELDS:
            w = self.widgets[f]
            empty = values.get(f) in (None, "")
            w.setStyleSheet("background: #ffd7d7;" if empty else "")
            if empty:
                missing.append(f)
        return missing

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00000;" if error else "color: #205020;")
        self.message.emit(text)

    def clear_message(self) -> None:
        """No status line: what it said was about another component or placement."""
        self.show_message("")

    # ------------------------------------------------------------------ tools
    def _tool(self, name: str) -> Any:
        if name not in self.tools:
            srid = self.ws.srid if self.ws else 4549
            if name == "place":
                tool = PlaceTool(self.canvas, srid)
                tool.geometry_done.connect(self.set_pending)
                tool.confirmed.connect(self.save)
                tool.discarded.connect(self.discard_pending)
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
        code = self.selected_class()
        if self.current is not None:
            self.clear_component()
        tool = self._activate("place", self.btn_place)
        if code and code in self.classes:
            tool.set_kind(self.classes[code].geometry_kind)
        else:
            self.show_message(tr("Census", "Pick a class first."), True)
        return tool

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

    # ------------------------------------------------------------------ placing
    def set_pending(self, geom: Any) -> None:
        """A placement on the map (workspace CRS), shown and checked but not saved: the
        editor saves it (Enter), places it again (another click) or discards it (Esc)."""
        ws = self.ws
        if ws is None or not self.selected_class():
            self.show_message(tr("Census", "Pick a class first."), True)
            return
        self.pending.set(geom, ws.srid)
        self._preview_pending()
        self._update_buttons()

    def _preview_pending(self) -> None:
        """Where the pending placement lands and what would stop it being saved."""
        ws, code = self.ws, self.selected_class()
        if ws is None or not code or not self.pending:
            return
        v = self.form_values()
        draft = self._draft(code, self.pending.geom, v)
        with ws.engine.connect() as c:
            problems, grid = census.validate_draft(c, ws, draft)
        self.identifier.setText(tr("Census", "given when saved"))
        self.grid_label.setText(grid.code if grid is not None else "—")
        if problems:
            self.show_message("\n".join(p.message for p in problems), True)
            return
        self.show_message(
            tr(
                "Census",
                "Placed in grid {0}, not saved yet: check the form, then save (Enter) or "
                "discard (Esc).",
            ).format(grid.code)
        )

    def save(self) -> census.ComponentRef | None:
        """The Save button: the pending placement, else the open component's changes."""
        if self.pending:
            return self.save_pending()
        return self.save_edit()

    def save_pending(self) -> census.ComponentRef | None:
        """Store the pending placement; when refused it stays, to be corrected and saved."""
        if not self.pending:
            return None
        ref = self.save_new(self.pending.geom)
        if ref is not None:
            self.pending.clear()
            self.identifier.setText("—")
            self.grid_label.setText("—")
            self._update_buttons()
        return ref

    def discard_pending(self) -> None:
        if not self.pending:
            return
        self.pending.clear()
        self.identifier.setText("—")
        self.grid_label.setText("—")
        self._update_buttons()
        self.show_message(tr("Census", "Placement discarded: nothing was saved."))

    @staticmethod
    def _draft(code: str, geom: Any, v: dict[str, Any]) -> census.ComponentDraft:
        return census.ComponentDraft(
            class_code=code,
            geom=geom,
            **{k: (val if val != "" else None) for k, val in v.items() if k != "name"},
            name=v["name"],
        )

    # ------------------------------------------------------------------ actions
    def save_new(self, geom: Any) -> census.ComponentRef | None:
        """Store a new component at ``geom`` (workspace CRS) from the form."""
        ws = self.ws
        code = self.selected_class()
        if ws is None or not code:
            self.show_message(tr("Census", "Pick a class first."), True)
            return None
        missing = self.missing_mandatory()
        if missing:
            self.show_message(
                tr("Census", "Fill in the mandatory fields: {0}.").format(
                    enumeration(field_label(f) for f in missing)
                ),
                True,
            )
            return None
        v = self.form_values()
        draft = self._draft(code, geom, v)
        try:
            with census.write_transaction(ws) as c:
                ref = census.create_component(c, ws, draft, ws.actor)
                for p in self.pending_photos:
                    census.add_photo(c, ws, ref.id, p, ws.actor)
        except census.CensusError as exc:
            self.show_message(str(exc), True)
            return None
        self._remember_department(code, v["dept_code"], v["dept_name"])
        self.pending_photos = []
        self.photos.clear()
        self.show_message(
            tr("Census", "Saved {0} in grid {1}.").format(ref.identifier, ref.grid_code)
        )
        self._refresh_layers()
        self.saved.emit(ref)
        return ref

    def pick_at(self, x: float, y: float, radius: float) -> census.ComponentRecord | None:
        ws = self.ws
        if ws is None:
            return None
        with ws.engine.connect() as c:
            found = census.candidates_near(
                c, ws, shapely.Point(x, y), None, radius, include_retired=True, limit=1
            )
            if not found:
                self.show_message(tr("Census", "No component here."), True)
                tool = self.tools.get("move")
                if tool is not None:
                    tool.cancel_pick()
                return None
            self.load_component(found[0].id, c)
        return self.current

    def load_component(self, component_id: int, conn: Any = None) -> None:
        ws = self.ws
        assert ws is not None
        if conn is None:
            with ws.engine.connect() as c:
                return self.load_component(component_id, c)
        rec = census.get_component(conn, ws, component_id)
        if self.current is None or self.current.id != rec.id:
            self.clear_message()  # it was about another component or placement
        self.pending.clear()
        self.current = rec
        self.highlight.show(rec.geom, ws.srid)
        self.set_form(rec.attributes)
        self.identifier.setText(rec["identifier"])
        self.grid_label.setText(rec["grid_code"])
        self.select_class_silently(rec["class_code"])
        info = self.classes.get(rec["class_code"])
        self.title.setText(
            tr("Census", "Editing {0} ({1}, version {2}, {3})").format(
                rec["identifier"],
                class_label(rec["class_code"], info.name if info else None),
                rec.version,
                rec["status"],
            )
        )
        self.photos.clear()
        for p in census.list_photos(conn, ws, rec.id):
            self._thumb(census.photo_bytes(conn, ws, p.id), p.filename, p)
        self._update_buttons()

    def select_class_silently(self, code: str) -> None:
        self.tree.blockSignals(True)
        self.select_class(code)
        self.tree.blockSignals(False)

    def clear_component(self) -> None:
        """Start a new component: nothing open, no placement waiting, no stale message."""
        if self.current is not None or self.pending:
            self.clear_message()
        self.current = None
        self.pending.clear()
        self.highlight.clear()
        self.identifier.setText("—")
        self.grid_label.setText("—")
        self.title.setText(tr("Census", "New component"))
        self.photos.clear()
        self.pending_photos = []
        self._update_buttons()

    def release_canvas(self) -> None:
        """Take the placement and the highlight off the map (the dock closes, unload)."""
        self.deactivate_tools()
        self.pending.clear()
        self.highlight.clear()
        self._update_buttons()

    def closeEvent(self, event: Any) -> None:
        self.release_canvas()
        super().closeEvent(event)

    def save_edit(self, reason: str | None = None) -> census.ComponentRef | None:
        reason = reason if isinstance(reason, str) else None  # the Save button's clicked(bool)
        ws, rec = self.ws, self.current
        if ws is None or rec is None:
            return None
        missing = self.missing_mandatory()
        if missing:
            self.show_message(
                tr("Census", "Fill in the mandatory fields: {0}.").format(
                    enumeration(field_label(f) for f in missing)
                ),
                True,
            )
            return None
        changes = self.form_values()
        return self._update(changes, reason)

    def _update(self, changes: dict[str, Any], reason: str | None) -> census.ComponentRef | None:
        ws, rec = self.ws, self.current
        assert ws is not None and rec is not None
        try:
            with census.write_transaction(ws) as c:
                ref = census.update_component(
                    c, ws, rec.id, changes, ws.actor, reason, expected_version=rec.version
                )
        except census.CensusError as exc:
            self.show_message(str(exc), True)
            return None
        self.load_component(rec.id)
        self.show_message(
            tr("Census", "Saved {0}, version {1}.").format(ref.identifier, ref.version)
        )
        self._refresh_layers()
        self.saved.emit(ref)
        return ref

    def move_by(self, dx: float, dy: float, x: float, y: float) -> census.ComponentRef | None:
        rec = self.current
        if rec is None or rec.geom is None:
            return None
        if rec.geom.geom_type == "Point":
            geom = shapely.Point(x, y)
        else:
            geom = shapely.affinity.translate(rec.geom, dx, dy)
        return self._update({"geom": geom}, tr("Census", "moved on the map"))

    def retire(self, reason: str, status: str = "移除") -> census.ComponentRef | None:
        ws, rec = self.ws, self.current
        if ws is None or rec is None:
            return None
        try:
            with census.write_transaction(ws) as c:
                ref = census.retire_component(
                    c, ws, rec.id, ws.actor, reason, status, expected_version=rec.version
                )
        except census.CensusError as exc:
            self.show_message(str(exc), True)
            return None
        self.load_component(rec.id)
        self.show_message(tr("Census", "Retired {0} ({1}).").format(ref.identifier, status))
        self._refresh_layers()
        return ref

    def _ask_retire(self) -> None:
        status, ok = QInputDialog.getItem(
            self, tr("Census", "Retire"), tr("Census", "New status"), ["移除", "废弃"], 0, False
        )
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, tr("Census", "Retire"), tr("Census", "Why?"))
        if ok and reason.strip():
            self.retire(reason.strip(), status)

    def show_history(self) -> Any:
        from .census_history import HistoryDialog

        if self.ws is None or self.current is None:
            return None
        dlg = HistoryDialog(self.ws, self.current.id, self.canvas, self)
        dlg.show()
        return dlg

    # ------------------------------------------------------------------ photos
    def _pick_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, tr("Census", "Photos"), "", tr("Census", "Images (*.jpg *.jpeg *.png *.tif)")
        )
        if files:
            self.add_photos(files)

    def add_photos(self, paths: list[str]) -> None:
        """Attach now when a component is open, else keep them for the next save."""
        ws = self.ws
        for p in paths:
            data = Path(p).read_bytes()
            if self.current is not None and ws is not None:
                try:
                    with census.write_transaction(ws) as c:
                        info = census.add_photo(
                            c, ws, self.current.id, data, ws.actor, Path(p).name
                        )
                except census.CensusError as exc:
                    self.show_message(str(exc), True)
                    continue
                self._thumb(data, Path(p).name, info)
            else:
                self.pending_photos.append(p)
                self._thumb(data, Path(p).name, None)

    def _thumb(self, data: bytes, name: str, info: Any) -> None:
        pix = QPixmap()
        pix.loadFromData(data)
        item = QListWidgetItem(QIcon(pix.scaled(96, 96, Qt.KeepAspectRatio)), name)
        item.setData(Qt.UserRole, data)
        if info is not None and info.taken_at is not None:
            tip = tr("Census", "Taken {0}").format(local_minutes(info.taken_at))
            if info.exif_lon is not None:
                tip += f" ({info.exif_lon:.6f}, {info.exif_lat:.6f})"
            item.setToolTip(tip)
        self.photos.addItem(item)

    def _view_photo(self, item: QListWidgetItem) -> PhotoViewer:
        """The photos of the component large, from the one double-clicked."""
        photos = [
            PhotoItem(it.text(), it.data(Qt.UserRole), it.toolTip())
            for it in (self.photos.item(i) for i in range(self.photos.count()))
        ]
        if self.photo_viewer is not None:
            self.photo_viewer.close()
        title = self.identifier.text() if self.current is not None else ""
        self.photo_viewer = PhotoViewer(photos, self.photos.row(item), title, self)
        self.photo_viewer.show()
        return self.photo_viewer

    # ------------------------------------------------------------------ map
    def _refresh_layers(self) -> None:
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and "components" in layer.source():
                layer.dataProvider().reloadData()
                layer.triggerRepaint()
        self.canvas.refresh()
