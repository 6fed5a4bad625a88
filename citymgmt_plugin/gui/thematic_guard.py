"""Rules checked while a thematic layer is edited, and on save.

A :class:`RuleGuard` watches one layer's editing signals. When a feature is added or its
geometry or attributes change, it is checked at once (core.thematic.rules) and a warning
names the rule it breaks. When the user saves, every new or changed feature is checked
again; if any breaks a rule, the commit is refused (QgsVectorLayer's allow-commit switch,
so ``commitChanges`` returns False and the edits stay in the buffer to be fixed) and the
message bar names the feature and the rule.
"""

from __future__ import annotations

import contextlib
import ctypes
from typing import Any

import shapely
from qgis.core import (
    Qgis,
    QgsFeatureRequest,
    QgsMessageLog,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.i18n import tr
from ..core.thematic.rules import Violation, check_feature, describe
from ..core.thematic.templates import Template
from .widgets import push_message

_GUARDS: dict[str, RuleGuard] = {}
_SET_ALLOW: Any = None


def _native_set_allow_commit() -> Any:
    """QgsVectorLayer::setAllowCommit from libqgis_core (not in the 3.22 Python API)."""
    global _SET_ALLOW
    if _SET_ALLOW is None:
        _SET_ALLOW = False
        try:
            with open("/proc/self/maps", encoding="utf-8") as maps:
                paths = {line.split()[-1] for line in maps if "libqgis_core" in line}
            for path in sorted(paths):
                func = ctypes.CDLL(path)._ZN14QgsVectorLayer14setAllowCommitEb
                func.argtypes = [ctypes.c_void_p, ctypes.c_bool]
                func.restype = None
                _SET_ALLOW = func
                break
        except (OSError, AttributeError):
            _SET_ALLOW = False
    return _SET_ALLOW


def set_allow_commit(layer: QgsVectorLayer, allow: bool) -> bool:
    """Allow or forbid ``layer.commitChanges()``; False when this QGIS offers no way."""
    setter = getattr(layer, "setAllowCommit", None)
    if callable(setter):
        setter(allow)
        return True
    native = _native_set_allow_commit()
    if not native:
        return False
    native(sip.unwrapinstance(layer), allow)
    return True


def _shape(geometry: Any) -> Any:
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    return shapely.from_wkb(bytes(geometry.asWkb()))


class RuleGuard(QObject):
    """Checks one layer's template rules on edit and refuses a commit that breaks them."""

    violations_found = pyqtSignal(list)  # list[Violation]

    def __init__(self, layer: QgsVectorLayer, template: Template, message_bar: Any = None):
        super().__init__(layer)
        self.layer = layer
        self.template = template
        self.message_bar = message_bar
        self.last_violations: list[Violation] = []
        self.refused_commits = 0
        layer.featureAdded.connect(self._on_feature_added)
        layer.geometryChanged.connect(self._on_geometry_changed)
        layer.attributeValueChanged.connect(self._on_attribute_changed)
        layer.beforeCommitChanges.connect(self._before_commit)

    def detach(self) -> None:
        for signal, slot in (
            (self.layer.featureAdded, self._on_feature_added),
            (self.layer.geometryChanged, self._on_geometry_changed),
            (self.layer.attributeValueChanged, self._on_attribute_changed),
            (self.layer.beforeCommitChanges, self._before_commit),
        ):
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(slot)
        set_allow_commit(self.layer, True)

    # -- checking -----------------------------------------------------------------------

    def check(self, fid: int) -> list[Violation]:
        feature = self.layer.getFeature(fid)
        if not feature.isValid():
            return []
        geom = _shape(feature.geometry())
        names = self.layer.fields().names()
        attrs = dict(zip(names, feature.attributes()))
        others = []
        if geom is not None and self.template.has_rule("no_overlap"):
            request = QgsFeatureRequest().setFilterRect(feature.geometry().boundingBox())
            for other in self.layer.getFeatures(request):
                if other.id() != fid:
                    others.append(
                        (
                            self._label(other),
                            _shape(other.geometry()),
                            dict(zip(names, other.attributes())),
                        )
                    )
        return check_feature(self.template, geom, attrs, others, fid=fid)

    def _label(self, feature: Any) -> Any:
        idx = self.layer.fields().indexOf("id")
        value = feature.attribute(idx) if idx >= 0 else None
        return value if isinstance(value, int) else feature.id()

    def pending_fids(self) -> list[int]:
        buffer = self.layer.editBuffer()
        if buffer is None:
            return []
        deleted = set(buffer.deletedFeatureIds())
        fids = (
            set(buffer.addedFeatures())
            | set(buffer.changedGeometries())
            | set(buffer.changedAttributeValues())
        )
        return sorted(fids - deleted)

    def check_pending(self) -> list[Violation]:
        out: list[Violation] = []
        for fid in self.pending_fids():
            out.extend(self.check(fid))
        return out

    # -- slots --------------------------------------------------------------------------

    def _warn_now(self, fid: int) -> None:
        if fid not in self.pending_fids():  # e.g. the provider's id given while committing
            return
        found = self.check(fid)
        if found:
            self.last_violations = found
            self._message(
                tr("ThematicGuard", "Feature {0} breaks a rule and cannot be saved: {1}").format(
                    fid, describe(found)
                ),
                Qgis.Warning,
            )
            self.violations_found.emit(found)

    def _on_feature_added(self, fid: int) -> None:
        self._warn_now(fid)

    def _on_geometry_changed(self, fid: int, _geometry: Any) -> None:
        self._warn_now(fid)

    def _on_attribute_changed(self, fid: int, _idx: int, _value: Any) -> None:
        self._warn_now(fid)

    def _before_commit(self, _stop_editing: bool = False) -> None:
        found = self.check_pending()
        self.last_violations = found
        if not found:
            set_allow_commit(self.layer, True)
            return
        self.refused_commits += 1
        blocked = set_allow_commit(self.layer, False)
        text = tr("ThematicGuard", "{0}: not saved, {1} feature(s) break the layer's rules: {2}")
        if not blocked:  # pragma: no cover - every supported QGIS has the switch
            text = tr("ThematicGuard", "{0}: {1} feature(s) break the layer's rules: {2}")
        self._message(
            text.format(self.layer.name(), len({v.fid for v in found}), describe(found)),
            Qgis.Critical,
        )
        self.violations_found.emit(found)

    def _message(self, text: str, level: Any) -> None:
        QgsMessageLog.logMessage(text, "citymgmt", level)
        bar = self.message_bar
        if bar is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                push_message(bar, tr("ThematicGuard", "Thematic layer rules"), text, level, 10)


def attach_guard(layer: QgsVectorLayer, template: Template, message_bar: Any = None) -> RuleGuard:
    """The layer's guard (one per layer), made on first call."""
    guard = _GUARDS.get(layer.id())
    if guard is not None and not sip.isdeleted(guard):
        if message_bar is not None:
            guard.message_bar = message_bar
        return guard
    guard = RuleGuard(layer, template, message_bar)
    _GUARDS[layer.id()] = guard
    layer_id = layer.id()
    layer.willBeDeleted.connect(lambda: _GUARDS.pop(layer_id, None))
    return guard


def guard_for(layer: QgsVectorLayer) -> RuleGuard | None:
    guard = _GUARDS.get(layer.id())
    return None if guard is None or sip.isdeleted(guard) else guard


def detach_all() -> None:
    for guard in list(_GUARDS.values()):
        if not sip.isdeleted(guard):
            guard.detach()
    _GUARDS.clear()
