"""The user's jobs, step by step, inside the real QGIS desktop (see ``qgis_runner``).

Open the workspace and load its layers; place, edit and retire a component with the census
dock and its map tools; pull submissions from ODK Central and accept one as new, update a
stored component from one and reject one in the review dock; reconcile a survey batch;
digitise a construction zone with the thematic dock and QGIS's own capture tool; run the
weekly checks and write the patrol reports from the menu.
Widgets are found by objectName and driven through public methods, as a user's clicks
would; every step checks its outcome in the workspace, not only in the widgets.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import widget_texts
from qgis.core import Qgis, QgsApplication, QgsProject, QgsRectangle, QgsSettings
from qgis.gui import QgsAttributeForm, QgsMapToolCapture
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QTableView,
    QTableWidget,
    QToolBar,
    QTreeWidget,
    QWidget,
)
from qgis_runner import Session, Step
from task_steps import tasks_create, tasks_match, tasks_push

PLUGIN = "citymgmt_plugin"
PASSWORD_ENV = "CITYMGMT_ODK_PASSWORD"  # the reviewer's ODK password, given by the test
MASTER_PASSWORD = "citymgmt-desktop-master"  # of the throwaway profile's auth database
LAYER_KEY = "citymgmt/layer"
NEEDED_LAYERS = ("unit_grids", "components_point", "submissions", "main_roads")


# -- helpers ---------------------------------------------------------------------------------
def _workspace_layers() -> dict[str, Any]:
    return {
        layer.customProperty(LAYER_KEY): layer
        for layer in QgsProject.instance().mapLayers().values()
        if layer.customProperty(LAYER_KEY)
    }


def _component(ws: Any, identifier: str) -> Any:
    from sqlalchemy import select

    c = ws.schema.components
    with ws.engine.connect() as conn:
        return conn.execute(select(c).where(c.c.identifier == identifier)).first()


def _submission(ws: Any, submission_id: int) -> Any:
    from sqlalchemy import select

    s = ws.schema.submissions
    with ws.engine.connect() as conn:
        return conn.execute(select(s).where(s.c.id == submission_id)).first()


def _identifier_in(text: str) -> str:
    found = re.search(r"\d{16,17}", text)
    assert found, f"no component identifier in {text!r}"
    return found.group(0)


def _queue(dock: Any) -> list[Any]:
    proxy = dock.findChild(QTableView, "queueTable").model()
    return [proxy.item(r) for r in range(proxy.rowCount())]


def _census(s: Session) -> tuple[Any, dict[str, Any]]:
    return s.dock("citymgmtCensusDock"), s.config["census"]


def _tool_is(s: Session, name: str) -> bool:
    return type(s.canvas.mapTool()).__name__ == name


def _component_count(ws: Any) -> int:
    from sqlalchemy import func, select

    with ws.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ws.schema.components)).scalar()


def _key_on_map(s: Session, key: Any) -> None:
    """A key pressed while the map has the focus, handed to the map tool as QGIS does."""
    from qgis.PyQt.QtCore import QEvent
    from qgis.PyQt.QtGui import QKeyEvent

    s.canvas.mapTool().keyPressEvent(QKeyEvent(QEvent.KeyPress, key, Qt.NoModifier))


def _press(s: Session, widget: Any, key: Any, action_name: str) -> Iterator[Any]:
    """A key typed in ``widget`` (the dock's shortcuts act while the focus is inside it and
    its window is the active one). Under Xvfb without a window manager QGIS's window may
    never become active; then the registered action is triggered, as the key would, and
    the step notes it."""
    from qgis.PyQt.QtTest import QTest

    window = widget.window()
    window.raise_()
    window.activateWindow()
    for _ in range(20):
        if QApplication.activeWindow() is window:
            break
        yield 100
    widget.setFocus()
    QApplication.processEvents()
    if QApplication.activeWindow() is window:
        QTest.keyClick(widget, key)
        return
    s.info.setdefault("keys_triggered_as_actions", []).append(action_name)
    s.action(action_name).trigger()


# -- steps -----------------------------------------------------------------------------------
def plugin_loaded(s: Session) -> Iterator[Any]:
    from qgis.utils import active_plugins

    assert PLUGIN in active_plugins, f"the plugin is not active: {active_plugins}"
    screen = s.window.screen().availableGeometry()
    s.window.setGeometry(screen)
    menu = s.window.menuBar().findChild(QMenu, "citymgmtMenu")
    bar = [t for _, t in widget_texts.collect(s.iface.messageBar())]
    assert menu is not None, f"no citymgmt menu; QGIS's message bar says: {bar}"
    import shapely

    s.info.update(
        qgis=Qgis.QGIS_VERSION,
        python=sys.executable,
        locale=QgsApplication.locale(),
        user_locale=QgsSettings().value("locale/userLocale", ""),
        menu_title=menu.title(),
        menu_actions=[a.text() for a in menu.actions()],
        shapely=[shapely.__version__, shapely.__file__, shapely.geos_version_string],
        settings_dir=QgsApplication.qgisSettingsDirPath(),
    )
    yield 300
    s.shot("started")


def open_workspace(s: Session) -> Iterator[Any]:
    from citymgmt_plugin.core.workspace.store import WorkspaceSpec

    s.action("citymgmtWorkspaceAction").trigger()
    yield s.wait("the workspace dialog", lambda: s.window_of("WorkspaceDialog"))
    dialog = s.window_of("WorkspaceDialog")
    dialog.set_spec(WorkspaceSpec.parse(s.config["spec"]))
    dialog.check_button.click()
    assert dialog.connect_button.isEnabled(), dialog.status_label.text()
    dialog.connect_button.click()
    census = s.dock("citymgmtCensusDock")
    yield s.wait("the workspace to be connected", lambda: census.ws is not None)
    dialog.load_button.click()  # may return before the layers exist (a background task)
    yield s.wait(
        f"the layers {NEEDED_LAYERS} in the project",
        lambda: set(NEEDED_LAYERS) <= set(_workspace_layers()),
        60,
    )
    yield 500
    layers = _workspace_layers()
    s.info["layers"] = sorted(layers)
    invalid = [k for k, layer in layers.items() if not layer.isValid()]
    assert not invalid, f"invalid layers: {invalid}"
    yield from s.settle()
    s.shot("workspace-dialog", dialog)
    s.check_texts("workspace dialog", dialog)
    dialog.close_button.click()
    yield from s.settle()
    _check_view(s)
    s.shot("layers-loaded")


def _check_view(s: Session) -> None:
    """The canvas shows the district, not the world nor one grid."""
    x0, y0, x1, y1 = s.config["city"]
    city = s.to_canvas().transformBoundingBox(QgsRectangle(x0, y0, x1, y1))
    extent = s.canvas.extent()
    s.info["view"] = {
        "project_crs": QgsProject.instance().crs().authid(),
        "canvas_crs": s.canvas.mapSettings().destinationCrs().authid(),
        "extent": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
        "scale": round(s.canvas.scale()),
    }
    assert extent.intersects(city), f"the district is off the map: {s.info['view']}"
    assert extent.width() < 6 * city.width() and extent.height() < 6 * city.height(), (
        f"zoomed too far out: {s.info['view']}"
    )


def census_place(s: Session) -> Iterator[Any]:
    dock, c = _census(s)
    s.open_dock("citymgmtCensusDock")
    tree = dock.findChild(QTreeWidget, "censusClassTree")
    yield s.wait("the class tree", lambda: dock.isVisible() and tree.topLevelItemCount() > 0)
    assert dock.select_class(c["class"]), f"class {c['class']} not in the tree"
    s.check_texts("citymgmtCensusDock", dock)  # the hint for the class, before it is replaced
    dock.findChild(QLineEdit, "census_dept_code").setText(c["dept_code"])
    dock.findChild(QComboBox, "census_dept_name").setEditText(c["dept_name"])
    x, y = c["point"]
    yield from s.zoom_to(x - 150, y - 100, x + 150, y + 100)
    dock.findChild(QPushButton, "censusPlace").click()
    yield s.wait("the place tool", lambda: _tool_is(s, "PlaceTool"))
    before = _component_count(dock.ws)
    s.click_map(x, y)
    yield 300
    # the placement waits on the map: nothing stored, no identifier taken, until Save
    assert dock.pending and _component_count(dock.ws) == before, "stored before Save"
    assert dock.findChild(QPushButton, "censusSave").isEnabled()
    yield from s.settle()
    s.shot("census-pending")
    _key_on_map(s, Qt.Key_Return)  # Enter on the map saves it
    yield 300
    assert not dock.pending, dock.findChild(QLabel, "censusStatus").text()
    status = dock.findChild(QLabel, "censusStatus").text()
    s.info["census_place_status"] = status
    row = _component(dock.ws, _identifier_in(status))
    assert row is not None and row.class_code == c["class"], status
    s.info["placed"] = row.identifier
    yield from s.settle()
    s.shot("census-placed")


def census_edit(s: Session) -> Iterator[Any]:
    dock, c = _census(s)
    identifier = s.info["placed"]
    dock.btn_pick.click()
    yield s.wait("the pick tool", lambda: _tool_is(s, "PickTool"))
    s.click_map(*c["point"])
    yield s.wait("the picked component in the form", lambda: dock.current is not None)
    assert dock.current["identifier"] == identifier, dock.current["identifier"]
    shown = dock.highlight.item
    assert shown is not None and shown.scene() is s.canvas.scene() and shown.isVisible()
    yield from s.settle()
    s.shot("census-highlighted")
    dock.findChild(QComboBox, "census_status").setCurrentText(c["status"])
    dock.findChild(QLineEdit, "census_note").setText(c["note"])
    dock.findChild(QPushButton, "censusSave").click()
    yield 200
    row = _component(dock.ws, identifier)
    status = dock.findChild(QLabel, "censusStatus").text()
    assert (row.status, row.version) == (c["status"], 2), status
    s.shot("census-edited", dock)


def census_retire(s: Session) -> Iterator[Any]:
    dock, c = _census(s)
    asked: list[str] = []

    def answer(dialog: Any) -> None:  # first the new status, then the reason
        asked.append(dialog.labelText())
        dialog.setTextValue(c["retired_status"] if dialog.comboBoxItems() else c["retire_reason"])
        dialog.accept()

    handler = s.on_modal(lambda w: isinstance(w, QInputDialog), answer)
    try:
        dock.btn_retire.click()  # runs both input dialogs; the handler answers them
    finally:
        s.modal_handlers.remove(handler)
    assert len(asked) == 2, asked
    row = _component(dock.ws, s.info["placed"])
    assert (row.status, row.version) == (c["retired_status"], 3), (row.status, row.version)
    dock.btn_history.click()
    yield s.wait("the history dialog", lambda: s.window_of(object_name="citymgmtCensusHistory"))
    history = s.window_of(object_name="citymgmtCensusHistory")
    table = history.findChild(QTableWidget)
    assert table.rowCount() == 3, table.rowCount()
    table.selectRow(0)
    yield from s.settle()
    s.shot("census-history", history)
    s.shot("census-history-map")
    s.check_texts("census history dialog", history)
    history.close()


def review_account(s: Session) -> Iterator[Any]:
    """The reviewer's own ODK account: a QGIS authentication configuration (the master
    password and the configuration made here stand for QGIS's own dialogs), chosen for the
    source the office configured, in the review dock's Sources dialog."""
    from qgis.core import QgsAuthMethodConfig

    r = s.config["review"]
    manager = QgsApplication.authManager()
    assert manager.setMasterPassword(MASTER_PASSWORD, True), manager.disabledMessage()
    account = QgsAuthMethodConfig("Basic")
    account.setName("ODK Central 审核账号")
    account.setConfig("username", r["email"])
    account.setConfig("password", os.environ[PASSWORD_ENV])
    stored, account = manager.storeAuthenticationConfig(account)
    assert stored, "the authentication configuration was not stored"
    s.config.setdefault("data_words", []).append(account.id())  # QGIS shows it with the name
    dock = s.open_dock("citymgmtReviewDock")
    yield s.wait("the review dock", lambda: dock.isVisible())
    dock.findChild(QPushButton, "sourcesButton").click()
    yield s.wait("the sources dialog", lambda: s.window_of("SourcesDialog"))
    dialog = s.window_of("SourcesDialog")
    assert dialog.select(r["source"]), f"{r['source']} is not listed"
    dialog.odk.auth_select.setConfigId(account.id())
    dialog.findChild(QCheckBox, "odkAllowHttp").setChecked(True)  # the local server: http
    yield 200
    s.shot("review-sources", dialog)
    s.check_texts("sources dialog", dialog)
    dialog.findChild(QPushButton, "saveSource").click()
    binding = dock.account_bindings().get(r["source"])
    status = dialog.findChild(QLabel, "sourcesStatus").text()
    assert binding is not None and binding.authcfg == account.id(), status
    s.check_texts("sources dialog", dialog)
    dialog.close()


def review_pull(s: Session) -> Iterator[Any]:
    dock = s.open_dock("citymgmtReviewDock")
    dock.findChild(QPushButton, "pullButton").click()  # a background task
    wanted = set(s.config["review"]["pulled"])
    yield s.wait(
        "the pulled submissions in the queue",
        lambda: wanted <= {it.instance_id for it in _queue(dock)},
        60,
    )
    s.info["review_pull_status"] = dock.findChild(QLabel, "pullStatus").text()
    s.shot("review-pulled")


def _select(s: Session, dock: Any, instance_id: str) -> Iterator[Any]:
    item = next(it for it in _queue(dock) if it.instance_id == instance_id)
    assert dock.select_submission(item.id), f"submission {item.id} not in the table"
    yield s.wait("the submission shown", lambda: dock.current is not None)
    assert dock.current.id == item.id
    return item


def _decide(s: Session, key: str, decision: str, state: str) -> Iterator[Any]:
    dock = s.dock("citymgmtReviewDock")
    item = yield from _select(s, dock, s.config["review"][key])
    if decision == "reject":
        dock.findChild(QLineEdit, "reasonEdit").setText(s.config["review"]["reject_reason"])
    dock.findChild(QPushButton, f"{decision}Button").click()
    yield s.wait(
        f"submission {item.id} to become {state}",
        lambda: _submission(dock.ws, item.id).state == state,
        30,
    )
    s.info[f"review_{decision}_status"] = dock.findChild(QLabel, "statusLabel").text()
    yield from s.settle()
    s.shot(f"review-{decision}")


def review_update_existing(s: Session) -> Iterator[Any]:
    dock = s.dock("citymgmtReviewDock")
    yield from _select(s, dock, s.config["review"]["update"])
    candidates = dock.findChild(QTableWidget, "candidateTable")
    yield s.wait("matching components", lambda: candidates.rowCount() >= 1)
    drawn = [m for m in dock.markers if m.scene() is s.canvas.scene() and m.isVisible()]
    assert len(drawn) == candidates.rowCount() + 1, (len(drawn), candidates.rowCount())
    s.info["review_candidates"] = [candidates.item(0, c).text() for c in range(4)]
    yield from s.settle()
    s.shot("review-candidates")
    yield from _decide(s, "update", "update_existing", "updated")


def review_accept_new(s: Session) -> Iterator[Any]:
    yield from _decide(s, "new", "accept_new", "accepted")


def review_reject(s: Session) -> Iterator[Any]:
    yield from _decide(s, "reject", "reject", "rejected")


def review_map_and_photos(s: Session) -> Iterator[Any]:
    """Select a submission with a click on the map (key S), move on with N, and see its
    photos large: the keys are the dock's actions, as QGIS's shortcut manager lists them."""
    r = s.config["review"]
    dock = s.open_dock("citymgmtReviewDock")
    table = dock.findChild(QTableView, "queueTable")
    x, y = r["new_point"]
    yield from s.zoom_to(x - 120, y - 90, x + 120, y + 90)
    yield from _press(s, table, Qt.Key_S, "citymgmtReviewMapAction")
    yield s.wait("the map selection tool", lambda: dock.map.tool_active())
    s.click_map(x, y)
    yield s.wait(
        "the clicked submission selected",
        lambda: dock.current is not None and dock.current.instance_id == r["new"],
    )
    assert dock.findChild(QPushButton, "selectOnMapButton").isChecked()
    yield from s.settle()
    s.shot("review-map-selected")
    s.info["review_selected_on_map"] = dock.current.instance_id
    before = dock.current.id
    # the next one still to decide, or says there is none
    yield from _press(s, table, Qt.Key_N, "citymgmtReviewNextAction")
    yield 200
    status = dock.findChild(QLabel, "statusLabel").text()
    assert (dock.current is not None and dock.current.id != before) or status, status
    s.info["review_next_status"] = status
    if dock._photos:
        viewer = dock.show_photos()
        yield s.wait("the photo viewer", lambda: viewer.isVisible())
        viewer.view.zoom(2)
        yield 200
        s.shot("review-photo-viewer", viewer)
        s.check_texts("photo viewer", viewer)
        viewer.close()
    dock.findChild(QPushButton, "selectOnMapButton").click()  # the map tool off again
    assert not dock.map.tool_active()


def shortcuts_registered(s: Session) -> Iterator[Any]:
    """The docks' keys are in QGIS's Settings → Keyboard Shortcuts, with their defaults."""
    from qgis.gui import QgsGui

    manager = QgsGui.shortcutsManager()
    found = {a.objectName(): a for a in manager.listActions()}
    wanted = {
        "citymgmtCensusPlaceAction": "P",
        "citymgmtCensusSaveAction": "Ctrl+Return",
        "citymgmtReview_accept_new_Action": "A",
        "citymgmtReview_reject_Action": "R",
        "citymgmtReviewNextAction": "N",
        "citymgmtReviewMapAction": "S",
    }
    for name, key in wanted.items():
        assert name in found, f"{name} not in QGIS's shortcut manager"
        assert manager.defaultKeySequence(found[name]) == key, (name, key)
    s.info["shortcuts"] = {n: found[n].text() for n in wanted}
    s.check_texts("keyboard shortcuts", texts=[(n, found[n].text()) for n in wanted])
    yield 50


# What must stay in view at any window size, by dock (objectName of the widgets).
ALWAYS_THERE = {
    "citymgmtCensusDock": ("censusPlace", "censusMove", "censusPick", "censusSave",
                           "censusDiscard", "censusRetire", "censusHistory", "censusNew",
                           "censusStatus"),
    "citymgmtReviewDock": ("accept_newButton", "update_existingButton", "duplicateButton",
                           "rejectButton", "has_issuesButton", "nextButton",
                           "selectOnMapButton", "reasonEdit", "statusLabel"),
    "citymgmtThematicDock": ("thematicCreateButton", "thematicDigitiseButton",
                             "thematicStatus"),
}  # fmt: skip


def _cut_off(dock: Any, names: Iterable[str]) -> list[str]:
    from qgis.PyQt.QtCore import QPoint
    from qgis.PyQt.QtWidgets import QAbstractButton

    out = []
    for name in names:
        w = dock.findChild(QWidget, name)
        corner = w.mapTo(dock, QPoint(0, 0))
        far = corner + QPoint(w.width() - 1, w.height() - 1)
        wide = not isinstance(w, QAbstractButton) or w.width() >= w.minimumSizeHint().width()
        if not (w.isVisible() and dock.rect().contains(corner) and dock.rect().contains(far)):
            out.append(f"{name} out of view")
        elif not wide:
            out.append(f"{name} clipped")
    return out


def docks_at_two_sizes(s: Session) -> Iterator[Any]:
    """Each dock at 1600×1000 and 1024×768: its buttons and status line in view."""
    screen = s.window.screen().availableGeometry()
    problems = []
    for width, height in ((1600, 1000), (1024, 768)):
        s.window.showNormal()
        s.window.setGeometry(screen.x(), screen.y(), width, height)
        yield 300
        for name, widgets in ALWAYS_THERE.items():
            dock = s.open_dock(name, width=380)
            dock.raise_()
            yield 300
            problems += [f"{name} {width}x{height}: {p}" for p in _cut_off(dock, widgets)]
            s.shot(f"{name}-{width}x{height}")
    s.window.setGeometry(screen)
    yield 300
    assert problems == [], problems


def user_guide(s: Session) -> Iterator[Any]:
    """Help: the guide in the menu, and every algorithm's Help opens its section of it."""
    from urllib.parse import urlparse

    from qgis.PyQt.QtWidgets import QTextBrowser

    menu = s.window.menuBar().findChild(QMenu, "citymgmtMenu")
    assert "citymgmtGuideAction" in [a.objectName() for a in menu.actions()]
    provider = QgsApplication.processingRegistry().providerById("citymgmt")
    pages = {}
    for alg in provider.algorithms():
        url = urlparse(alg.helpUrl())
        assert url.scheme == "file" and url.fragment == alg.name(), alg.helpUrl()
        pages[url.path] = Path(url.path).read_text(encoding="utf-8")
        assert f'id="{alg.name()}"' in pages[url.path], alg.id()
    s.info["guide"] = sorted(pages)
    browser = QTextBrowser()
    browser.resize(900, 1000)
    browser.setHtml(next(iter(pages.values())))
    browser.show()
    browser.scrollToAnchor("patrolcoverage")
    yield 300
    s.shot("user-guide", browser)
    browser.close()


def reconcile(s: Session) -> Iterator[Any]:
    from citymgmt_plugin.core.census.batch_mapping import TARGET_FIELDS

    r = s.config["reconcile"]
    s.action("citymgmtCensusImportAction").trigger()
    yield s.wait("the reconcile dialog", lambda: s.window_of(object_name="citymgmtCensusReconcile"))
    dialog = s.window_of(object_name="citymgmtCensusReconcile")
    dialog.findChild(QLineEdit, "censusBatchPath").setText(r["csv"])
    dialog.read_columns()
    for row, target in enumerate(TARGET_FIELDS):
        if target in r["mapping"]:
            dialog.mapping.cellWidget(row, 1).setCurrentText(r["mapping"][target])
    dialog.crs_box.setCurrentText(r["crs"])
    dialog.findChild(QPushButton, "censusReconcileRun").click()
    items = dialog.findChild(QTableWidget, "censusReconcileItems")
    yield s.wait("the reconciliation", lambda: items.rowCount() > 0)
    layer = dialog.layer
    s.check_texts("reconcile dialog", dialog, _layer_texts(layer) if layer else ())
    counts = dialog.recon.counts()
    s.info["reconcile_counts"] = counts
    assert counts == r["counts"], counts
    assert layer is not None and QgsProject.instance().mapLayer(layer.id()) is layer
    assert layer.id() in [lyr.id() for lyr in s.canvas.layers()], "not drawn on the map"
    x0, y0, x1, y1 = r["extent"]
    yield from s.zoom_to(x0, y0, x1, y1)
    s.shot("reconcile-map")
    s.shot("reconcile-dialog", dialog)
    outcomes: list[Any] = []
    dialog.applied.connect(outcomes.append)
    dialog.findChild(QPushButton, "censusReconcileApply").click()
    yield s.wait("the reconciliation to be applied", lambda: outcomes, 60)
    assert outcomes[0] is not None, dialog.status.text()
    s.info["reconcile_applied"] = outcomes[0].as_dict()
    s.shot("reconcile-applied", dialog)
    s.check_texts("reconcile dialog", dialog)
    dialog.close()


def thematic_capture(s: Session) -> Iterator[Any]:
    t = s.config["thematic"]
    dock = s.open_dock("citymgmtThematicDock")
    templates = dock.findChild(QListWidget, "thematicTemplateList")
    yield s.wait("the template list", lambda: dock.isVisible() and templates.count() > 0)
    ids = [templates.item(i).data(Qt.UserRole + 1) for i in range(templates.count())]
    assert t["template"] in ids, ids
    templates.setCurrentRow(ids.index(t["template"]))
    dock.findChild(QPushButton, "thematicCreateButton").click()
    layers = dock.findChild(QListWidget, "thematicLayerList")
    yield s.wait("the new layer in the dock", lambda: layers.currentItem() is not None)
    xs, ys = [p[0] for p in t["ring"]], [p[1] for p in t["ring"]]
    yield from s.zoom_to(min(xs) - 80, min(ys) - 80, max(xs) + 80, max(ys) + 80)
    dock.findChild(QPushButton, "thematicDigitiseButton").click()
    capturing = lambda: isinstance(s.canvas.mapTool(), QgsMapToolCapture)  # noqa: E731
    yield s.wait("QGIS's add-feature tool", capturing)
    layer = s.iface.activeLayer()
    assert layer is not None and layer.isEditable(), "the thematic layer is not being edited"
    for x, y in t["ring"]:
        s.click_map(x, y)
        yield 100
    s.click_map(*t["ring"][-1], button=Qt.RightButton)
    yield s.wait("QGIS's feature form", lambda: _feature_form(), 20)
    form_dialog, form = _feature_form()
    form.changeAttribute("name", t["name"])
    yield 300
    s.shot("thematic-form", form_dialog)
    s.check_texts("thematic feature form", texts=_layer_texts(layer))
    ok = form_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    assert ok.isEnabled(), "the form refuses the feature"
    ok.click()
    yield s.wait("the feature in the edit buffer", lambda: layer.editBuffer().addedFeatures())
    s.iface.actionSaveActiveLayerEdits().trigger()
    yield s.wait("the edits to be saved", lambda: not layer.isModified(), 30)
    s.info["thematic_layer"] = layer.name()
    yield from s.settle()
    s.shot("thematic-saved")


def _feature_form() -> tuple[Any, Any] | None:
    """QGIS's attribute dialog after a capture and its form (QGIS names the dialog
    ``featureactiondlg:…``; Python sees QGIS-made widgets as their Qt base classes)."""
    for w in QApplication.topLevelWidgets():
        if not (w.isVisible() and w.objectName().startswith("featureactiondlg")):
            continue
        for child in w.findChildren(QWidget):
            if child.metaObject().className() == "QgsAttributeForm":
                return w, sip.cast(child, QgsAttributeForm)
    return None


def _layer_texts(layer: Any) -> list[tuple[str, str]]:
    """What the layer shows a user: name, column titles, legend and value-map labels."""
    out = [("layer name", layer.name())]
    titles = [field.displayName() for field in layer.fields()]
    out.append(("column titles", "、".join(titles)))  # one entry for the attribute table
    for i, field in enumerate(layer.fields()):
        setup = layer.editorWidgetSetup(i)
        if setup.type() == "ValueMap":
            for entry in setup.config().get("map", []):
                out += [(f"value map ({field.name()})", str(k)) for k in dict(entry)]
    renderer = layer.renderer()
    for legend in renderer.legendSymbolItems() if renderer is not None else []:
        out.append(("legend", legend.label()))
    return out


def weekly_checks(s: Session) -> Iterator[Any]:
    """The weekly checks from the menu: layers pre-filled, the scenario's week, three checks
    as background tasks, the styled results in the week's group."""
    from citymgmt_plugin.core.reporting.weeks import IsoWeek

    s.action("citymgmtWeeklyChecksAction").trigger()
    name = "citymgmtWeeklyChecksDialog"
    yield s.wait("the weekly checks dialog", lambda: s.window_of(object_name=name))
    dialog = s.window_of(object_name=name)
    empty = [key for key, combo in dialog.combos.items() if combo.currentLayer() is None]
    assert not empty, f"inputs not pre-filled: {empty}"
    dialog.set_week(IsoWeek.parse(s.config["weekly"]["week"]))
    assert dialog.run_checks(), dialog.status.text()
    yield s.wait("the weekly checks to finish", lambda: dialog.run_button.isEnabled(), 120)
    assert dialog.progress.value() == 100, dialog.status.text()
    layers = [node.layer() for node in dialog.group.findLayers()]
    s.info["weekly_checks"] = {
        "group": dialog.group.name(),
        "layers": [layer.name() for layer in layers],
        "styles": [layer.customProperty("citymgmt/style") for layer in layers],
        "status": dialog.status.text(),
    }
    yield from s.settle()
    s.shot("weekly-checks", dialog)
    s.check_texts("weekly checks dialog", dialog)
    for layer in layers:
        s.check_texts(f"weekly check result {layer.name()}", texts=_layer_texts(layer))
    dialog.close()
    yield from s.zoom_to(*s.config["city"])
    yield from s.settle()
    s.shot("weekly-checks-map")


def patrol_reports(s: Session) -> Iterator[Any]:
    """The reports from the menu: the Processing dialog of citymgmt:patrolreport comes
    filled with the workspace and a week; run for the scenario's week, it writes the PDFs."""
    s.action("citymgmtPatrolReportsAction").trigger()
    yield s.wait("the report dialog", lambda: s.window_of("AlgorithmDialog"))
    dialog = s.window_of("AlgorithmDialog")
    values = dialog.createProcessingParameters()
    assert values.get("WORKSPACE") and values.get("WEEK"), values
    weekly = s.config["weekly"]
    dialog.setParameters({**values, "WEEK": weekly["week"], "OUTPUT_FOLDER": weekly["folder"]})
    yield 200
    s.shot("report-dialog", dialog)
    # The algorithm runs on the main thread (layouts are drawn there), so QGIS shows its
    # modal progress dialog, titled after the algorithm, while it runs: expected here.
    title = dialog.windowTitle()
    handler = s.on_modal(lambda w: w.windowTitle() == title and w is not dialog, lambda w: None)
    # QGIS itself says "Task complete" for a task over 5 s, in English in its zh-Hans
    # catalogue: not this plugin's text, so that notice is off for this run.
    settings = QgsSettings()
    notify = settings.value("minTaskLengthForSystemNotification", 5, section=QgsSettings.App)
    settings.setValue("minTaskLengthForSystemNotification", 3600, QgsSettings.App)
    try:
        dialog.runAlgorithm()
        pdf = os.path.join(weekly["folder"], f"patrol-report-{weekly['week']}.pdf")
        yield s.wait("the weekly report PDF", lambda: os.path.isfile(pdf), 120)
    finally:
        s.modal_handlers.remove(handler)
        settings.setValue("minTaskLengthForSystemNotification", notify, QgsSettings.App)
    yield 300
    s.info["reports"] = sorted(os.listdir(weekly["folder"]))
    s.shot("report-written", dialog)
    dialog.close()


def ui_texts(s: Session) -> Iterator[Any]:
    """Everything else of the plugin a user reads: menu, toolbar, layers, algorithms."""
    texts: list[tuple[str, str]] = []
    menu = s.window.menuBar().findChild(QMenu, "citymgmtMenu")
    toolbar = s.window.findChild(QToolBar, "citymgmtToolbar")
    texts.append(("menu title", menu.title()))
    for action in menu.actions() + toolbar.actions():
        texts += [("action", action.text()), ("action tooltip", action.toolTip())]
    texts.append(("toolbar title", toolbar.windowTitle()))
    root = QgsProject.instance().layerTreeRoot()
    for group in root.findGroups(True):
        texts.append(("layer group", group.name()))
    s.check_texts("plugin menu, toolbar and layer groups", texts=texts)
    for key, layer in sorted(_workspace_layers().items()):
        s.check_texts(f"layer {key}", texts=_layer_texts(layer))
    s.check_texts("Processing algorithms", texts=_algorithm_texts())
    for name in DOCKS:
        s.check_texts(name, s.dock(name))
    s.info["texts_checked"] = s.runner.result["texts_checked"]
    yield 100
    s.shot("finished")
    for name in DOCKS:
        s.shot(name, s.dock(name))
    QApplication.processEvents()


def _algorithm_texts() -> list[tuple[str, str]]:
    provider = QgsApplication.processingRegistry().providerById("citymgmt")
    assert provider is not None, "no citymgmt Processing provider"
    out = [("provider", provider.name())]
    for alg in provider.algorithms():
        where = alg.id()
        out += [(f"{where} name", alg.displayName()), (f"{where} group", alg.group())]
        out.append((f"{where} help", alg.shortHelpString()))
        for p in alg.parameterDefinitions():
            out.append((f"{where} parameter {p.name()}", p.description()))
            for option in p.options() if hasattr(p, "options") else []:
                out.append((f"{where} parameter {p.name()} option", option))
        for o in alg.outputDefinitions():
            out.append((f"{where} output {o.name()}", o.description()))
    return out


DOCKS = ("citymgmtCensusDock", "citymgmtReviewDock", "citymgmtThematicDock", "citymgmtTaskDock")
CENSUS = ("citymgmtCensusDock",)
TASKS = ("citymgmtTaskDock",)
REVIEW = ("citymgmtReviewDock",)
THEMATIC = ("citymgmtThematicDock",)
STEPS = [
    Step("plugin_loaded", plugin_loaded, critical=True),
    Step("open_workspace", open_workspace, critical=True),
    Step("census_place", census_place, check=CENSUS),
    Step("census_edit", census_edit, needs=("census_place",), check=CENSUS),
    Step("census_retire", census_retire, needs=("census_edit",), check=CENSUS),
    Step("review_account", review_account, check=REVIEW),
    Step("review_pull", review_pull, needs=("review_account",), check=REVIEW),
    Step("review_update_existing", review_update_existing, needs=("review_pull",), check=REVIEW),
    Step("review_accept_new", review_accept_new, needs=("review_pull",), check=REVIEW),
    Step("review_reject", review_reject, needs=("review_pull",), check=REVIEW),
    Step("review_map_and_photos", review_map_and_photos, needs=("review_pull",), check=REVIEW),
    Step("shortcuts_registered", shortcuts_registered),
    Step("docks_at_two_sizes", docks_at_two_sizes),
    Step("user_guide", user_guide),
    Step("reconcile", reconcile),
    Step("thematic_capture", thematic_capture, check=THEMATIC),
    Step("weekly_checks", weekly_checks),
    Step("patrol_reports", patrol_reports),
    Step("tasks_create", tasks_create, check=TASKS),
    Step("tasks_match", tasks_match, needs=("tasks_create",), check=TASKS),
    Step("tasks_push", tasks_push, needs=("tasks_create", "review_account"), check=TASKS),
    Step("ui_texts", ui_texts),
]
