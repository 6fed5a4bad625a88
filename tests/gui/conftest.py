"""GUI tests share one canvas for the session, as QGIS does; each test starts with its
snapping indexes dropped, as the loaded plugin does whenever the project removes layers
(QGIS < 3.40.4 hands a deleted layer's index to a new layer at the same address:
``citymgmt_plugin.gui.snapping_index``)."""

from __future__ import annotations

import pytest

from citymgmt_plugin.gui.snapping_index import reset_snapping_indexes


@pytest.fixture(autouse=True)
def fresh_snapping_indexes(qgis_canvas):
    reset_snapping_indexes(qgis_canvas.snappingUtils())
    yield
