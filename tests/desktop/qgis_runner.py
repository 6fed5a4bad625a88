"""Drive a scenario inside the real QGIS desktop (``qgis --code launch.py``).

Runs in QGIS's own Python (Debian's, no venv). Steps are generator functions
``step(s: Session)``: they act on the GUI and ``yield`` to let QGIS's event loop run —
``yield s.wait("what", condition, timeout)`` until a condition holds, or ``yield 300`` to
sleep 300 ms — so map tools, QgsTasks and signals behave as for a user. Each step's outcome
is recorded: ok, or failed with its traceback. A step also fails when, while it ran, a
Python exception escaped into QGIS (``sys.excepthook``: slots, tasks) or QGIS's message log
received a Python error or a critical ``citymgmt`` message. A failed critical step ends
the scenario; the others let the next step run.

Results go to the JSON file ``config["out"]`` after every step (a crash still leaves the
steps before it), screenshots to ``config["shots"]``; then QGIS quits. With
``config["check_texts"]`` the texts of the plugin's docks, dialogs, actions, layers and
algorithms are checked for untranslated identifiers (``ui_text``) and the findings listed.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import ui_text
import widget_texts
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
)
from qgis.gui import QgsMapMouseEvent, QgsMessageBarItem
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QEvent, QPoint, Qt, QTimer
from qgis.PyQt.QtWidgets import QAction, QApplication, QDialog, QDockWidget, QWidget

LOG_TAG = "citymgmt"
ERROR_TAGS = ("Python error",)


class Wait:
    """Yielded by a step: resume once ``condition()`` is true; fail after ``timeout`` s."""

    def __init__(self, what: str, condition: Callable[[], Any], timeout: float = 30.0) -> None:
        self.what = what
        self.condition = condition
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout


class Step:
    """``needs``: steps that must have succeeded first (else this one is skipped, failed);
    ``check``: docks whose texts are checked when the step ends, whatever its outcome."""

    def __init__(
        self,
        name: str,
        func: Callable[..., Any],
        critical: bool = False,
        needs: tuple[str, ...] = (),
        check: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.func = func
        self.critical = critical
        self.needs = needs
        self.check = check


class Session:
    """What a step works with: QGIS, the scenario's configuration, helpers."""

    def __init__(self, iface: Any, config: dict[str, Any], runner: Runner) -> None:
        self.iface = iface
        self.config = config
        self.runner = runner
        self.info: dict[str, Any] = runner.result["info"]
        self.shots = Path(config["shots"])
        self.shots.mkdir(parents=True, exist_ok=True)
        self.srid = int(config.get("srid", 4549))
        self._shot_no = 0
        self.modal_handlers: list[tuple[Callable[[QWidget], bool], Callable[[QWidget], Any]]] = []

    # -- QGIS ---------------------------------------------------------------------------
    @property
    def window(self) -> Any:
        return self.iface.mainWindow()

    @property
    def canvas(self) -> Any:
        return self.iface.mapCanvas()

    def action(self, name: str) -> QAction:
        action = self.window.findChild(QAction, name)
        assert action is not None, f"no action {name}"
        return action

    def dock(self, name: str) -> Any:
        dock = self.window.findChild(QDockWidget, name)
        assert dock is not None, f"no dock {name}"
        return dock

    def open_dock(self, name: str, width: int = 460) -> Any:
        """Show the dock ``name`` with its menu/toolbar action (``…Dock`` -> ``…Action``), as
        a user would, and drag the dock area wider so the screenshots are readable."""
        dock = self.dock(name)
        action = self.action(name[: -len("Dock")] + "Action")
        if action.isChecked():
            dock.raise_()
        else:
            action.trigger()
        self.window.resizeDocks([dock], [width], Qt.Horizontal)
        return dock

    def window_of(self, class_name: str = "", object_name: str = "") -> Any:
        """The visible top-level window (dialog) with that class or object name, or None."""
        for w in QApplication.topLevelWidgets():
            if not w.isVisible():
                continue
            if (class_name and type(w).__name__ == class_name) or (
                object_name and w.objectName() == object_name
            ):
                return w
        return None

    def wait(self, what: str, condition: Callable[[], Any], timeout: float = 30.0) -> Wait:
        return Wait(what, condition, timeout)

    def on_modal(self, accepts: Callable[[QWidget], bool], handler: Callable[[QWidget], Any]):
        """Answer the next modal dialogs ``accepts`` picks with ``handler`` (until removed)."""
        entry = (accepts, handler)
        self.modal_handlers.append(entry)
        return entry

    # -- the map ----------------------------------------------------------------------------
    def to_canvas(self) -> QgsCoordinateTransform:
        return QgsCoordinateTransform(
            QgsCoordinateReferenceSystem(f"EPSG:{self.srid}"),
            self.canvas.mapSettings().destinationCrs(),
            QgsProject.instance(),
        )

    def zoom_to(self, xmin: float, ymin: float, xmax: float, ymax: float) -> Iterator[Any]:
        """Show this rectangle (workspace CRS) on the canvas, as a user zooming there."""
        rect = self.to_canvas().transformBoundingBox(QgsRectangle(xmin, ymin, xmax, ymax))
        self.canvas.setExtent(rect)
        yield from self.settle()

    def settle(self) -> Iterator[Any]:
        """Redraw the canvas and wait for the rendering to end."""
        self.canvas.refresh()
        yield 150
        yield self.wait("the map canvas to finish drawing", lambda: not self.canvas.isDrawing())

    def pixel(self, x: float, y: float) -> QPoint:
        p = self.to_canvas().transform(QgsPointXY(x, y))
        q = self.canvas.getCoordinateTransform().transform(p)
        return QPoint(round(q.x()), round(q.y()))

    def click_map(self, x: float, y: float, button: Any = Qt.LeftButton) -> None:
        """A click at workspace coordinates, handed to the current map tool as QGIS would:
        move, press and release as QgsMapMouseEvents."""
        tool = self.canvas.mapTool()
        assert tool is not None, "no map tool is active"
        pos = self.pixel(x, y)
        rect = self.canvas.viewport().rect()
        assert rect.contains(pos), f"({x}, {y}) is off the canvas at pixel {pos}"
        move = QgsMapMouseEvent(self.canvas, QEvent.MouseMove, pos, Qt.NoButton, Qt.NoButton)
        tool.canvasMoveEvent(move)
        press = QgsMapMouseEvent(self.canvas, QEvent.MouseButtonPress, pos, button, button)
        tool.canvasPressEvent(press)
        release = QgsMapMouseEvent(self.canvas, QEvent.MouseButtonRelease, pos, button, button)
        tool.canvasReleaseEvent(release)

    # -- evidence ---------------------------------------------------------------------------
    def shot(self, name: str, widget: QWidget | None = None) -> str:
        """Save a screenshot of the main window (or ``widget``); returns its path."""
        QApplication.processEvents()
        self._shot_no += 1
        path = self.shots / f"{self._shot_no:02d}-{name}.png"
        pixmap = (widget or self.window).grab()
        assert pixmap.save(str(path), "PNG"), f"could not save {path}"
        self.runner.current_record().setdefault("shots", []).append(path.name)
        return str(path)

    def check_texts(self, where: str, widget: QWidget | None = None, texts: Iterable = ()) -> None:
        """Record untranslated identifiers in ``widget``'s tree and in ``texts`` ((place,
        text) pairs) when the scenario checks a Chinese UI."""
        if not self.config.get("check_texts"):
            return
        found = list(texts)
        if widget is not None:
            found += widget_texts.collect(widget)
        allowed = self.config.get("data_words", [])
        for place, text in found:
            self.runner.result["texts_checked"] += 1
            words = ui_text.untranslated(text, allowed)
            if words:
                self.runner.finding(f"{where}: {place}", text, words)


class Runner:
    def __init__(self, iface: Any, config: dict[str, Any], steps: list[Step]) -> None:
        self.iface = iface
        self.config = config
        self.steps = list(steps)
        self.out = Path(config["out"])
        self.result: dict[str, Any] = {
            "scenario": config.get("name"),
            "info": {},
            "steps": [],
            "messages": [],
            "uncaught": [],
            "findings": [],
            "texts_checked": 0,
            "unexpected_dialogs": [],
            "finished": False,
        }
        self.session = Session(iface, config, self)
        self.index = -1
        self.gen: Iterator[Any] | None = None
        self.wait_for: Wait | None = None
        self.step_errors: list[str] = []
        self.step_started = 0.0
        self.done = False
        self._modal_seen: dict[int, float] = {}
        self._timers: list[QTimer] = []

    # -- hooks ------------------------------------------------------------------------------
    def install(self) -> None:
        sys.excepthook = self._excepthook
        QgsApplication.messageLog().messageReceived.connect(self._message)
        bar = self.iface.messageBar()
        bar.widgetAdded.connect(self._bar_item)
        modal = QTimer()
        modal.timeout.connect(self._modal_tick)
        modal.start(100)
        watchdog = QTimer()
        watchdog.setSingleShot(True)
        watchdog.timeout.connect(self._timed_out)
        watchdog.start(int(float(self.config.get("timeout", 240)) * 1000))
        self._timers += [modal, watchdog]

    def _excepthook(self, etype: Any, value: Any, tb: Any) -> None:
        text = "".join(traceback.format_exception(etype, value, tb))
        where = "" if threading.current_thread() is threading.main_thread() else " (thread)"
        self.result["uncaught"].append({"step": self.step_name(), "text": text})
        self.step_errors.append(f"uncaught exception{where}:\n" + text)
        # QGIS's own hook is not called: its error dialog would stop the scenario.

    def _message(self, message: str, tag: str, level: Any) -> None:
        level_no = int(level)
        self.result["messages"].append(
            {"step": self.step_name(), "tag": tag, "level": level_no, "text": message[:4000]}
        )
        if (
            tag in ERROR_TAGS
            or (tag == LOG_TAG and level_no >= int(Qgis.Critical))
            or "Traceback (most recent call last)" in message
        ):
            self.step_errors.append(f"QGIS log [{tag}]:\n{message[:4000]}")

    def _bar_item(self, item: Any) -> None:
        try:
            item = sip.cast(item, QgsMessageBarItem)  # the signal hands a plain QWidget
            texts = [("message bar title", item.title()), ("message bar text", item.text())]
        except (RuntimeError, TypeError):
            return
        self.result["info"].setdefault("message_bar", []).append(
            {"step": self.step_name(), "title": texts[0][1], "text": texts[1][1]}
        )
        self.session.check_texts("message bar", texts=texts)

    def _modal_tick(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            return
        for accepts, handler in list(self.session.modal_handlers):
            try:
                if accepts(widget):
                    handler(widget)
                    return
            except Exception:
                self.step_errors.append("modal dialog handler:\n" + traceback.format_exc())
                widget.close()
                return
        first = self._modal_seen.setdefault(id(widget), time.monotonic())
        if time.monotonic() - first > 5.0:  # nobody expected it: note it and close it
            texts = [t for _, t in widget_texts.collect(widget)]
            self.result["unexpected_dialogs"].append(
                {"step": self.step_name(), "title": widget.windowTitle(), "texts": texts[:20]}
            )
            self.step_errors.append(
                f"unexpected modal dialog {widget.windowTitle()!r}: {' | '.join(texts[:6])}"
            )
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()

    def _timed_out(self) -> None:
        if self.done:
            return
        self.step_errors.append(f"the scenario ran out of time ({self.config.get('timeout')} s)")
        self.wait_for = None
        self.gen = None
        self._end_step(False, None, stop=True)

    # -- steps ------------------------------------------------------------------------------
    def step_name(self) -> str | None:
        return self.steps[self.index].name if 0 <= self.index < len(self.steps) else None

    def current_record(self) -> dict[str, Any]:
        if self.result["steps"] and self.result["steps"][-1]["name"] == self.step_name():
            return self.result["steps"][-1]
        return self.result["info"].setdefault("outside_steps", {})

    def finding(self, where: str, text: str, words: list[str]) -> None:
        seen = {(f["where"], f["text"]) for f in self.result["findings"]}
        if (where, text) not in seen:  # the first step that showed it
            entry = {"step": self.step_name(), "where": where, "text": text, "words": words}
            self.result["findings"].append(entry)

    def start(self) -> None:
        self.install()
        QTimer.singleShot(int(self.config.get("start_delay_ms", 2000)), self._next_step)

    def _next_step(self) -> None:
        self.index += 1
        if self.index >= len(self.steps):
            self._finish()
            return
        step = self.steps[self.index]
        self.step_errors = []
        self.step_started = time.monotonic()
        self.result["steps"].append({"name": step.name, "ok": None, "error": None})
        self._write()
        done = {r["name"] for r in self.result["steps"] if r.get("ok")}
        missing = [n for n in step.needs if n not in done]
        if missing:
            self._end_step(False, f"not run: needs {', '.join(missing)}")
            return
        try:
            made = step.func(self.session)
        except Exception:
            self._end_step(False, traceback.format_exc())
            return
        if isinstance(made, Iterator):
            self.gen = made
            self._advance()
        else:
            QTimer.singleShot(50, lambda: self._end_step(True, None))

    def _advance(self) -> None:
        if self.gen is None or self.done:
            return
        try:
            item = next(self.gen)
        except StopIteration:
            self.gen = None
            QTimer.singleShot(50, lambda: self._end_step(True, None))  # late slot errors too
            return
        except Exception:
            self.gen = None
            self._end_step(False, traceback.format_exc())
            return
        if isinstance(item, Wait):
            self.wait_for = item
            QTimer.singleShot(20, self._poll)
        else:
            QTimer.singleShot(int(item or 0), self._advance)

    def _poll(self) -> None:
        wait = self.wait_for
        if wait is None or self.done:
            return
        try:
            ok = bool(wait.condition())
        except Exception:
            self.wait_for = None
            self.gen = None
            self._end_step(False, f"while waiting for {wait.what}:\n{traceback.format_exc()}")
            return
        if ok:
            self.wait_for = None
            self._advance()
        elif time.monotonic() > wait.deadline:
            self.wait_for = None
            self.gen = None
            windows = [
                f"{type(w).__name__} {w.objectName()!r} {w.windowTitle()!r}"
                for w in QApplication.topLevelWidgets()
                if w.isVisible()
            ]
            self._end_step(
                False,
                f"timed out after {wait.timeout:.0f} s waiting for {wait.what}; "
                f"open windows: {windows}",
            )
        else:
            QTimer.singleShot(50, self._poll)

    def _end_step(self, ok: bool, error: str | None, stop: bool = False) -> None:
        if self.done or not self.result["steps"]:
            return
        record = self.result["steps"][-1]
        if record["ok"] is not None:
            return
        step = self.steps[self.index]
        for name in step.check:
            try:
                self.session.check_texts(name, self.session.dock(name))
            except Exception:
                self.step_errors.append(f"text check of {name}:\n" + traceback.format_exc())
        errors = list(self.step_errors)
        record["ok"] = ok and not errors and error is None
        record["error"] = error
        record["errors"] = errors
        record["seconds"] = round(time.monotonic() - self.step_started, 2)
        if not record["ok"]:
            try:
                self.session.shot(f"{record['name']}-FAILED")
            except Exception:
                errors.append("screenshot failed:\n" + traceback.format_exc())
        self._write()
        if stop or (not record["ok"] and step.critical):
            for rest in self.steps[self.index + 1 :]:
                self.result["steps"].append({"name": rest.name, "ok": None, "error": "not run"})
            self.index = len(self.steps)
            self._finish()
            return
        QTimer.singleShot(100, self._next_step)

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        self.result["finished"] = True
        self._write()
        for timer in self._timers:
            timer.stop()
        QTimer.singleShot(300, QgsApplication.instance().quit)

    def _write(self) -> None:
        tmp = self.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.result, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.out)


def run(iface: Any, config_path: str, steps: list[Step]) -> Runner:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    runner = Runner(iface, config, steps)
    runner.start()
    return runner
