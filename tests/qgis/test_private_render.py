"""A rendered map shows positions: written owner-only (0600) in new 0700 folders."""

from __future__ import annotations

import os
import stat

from qgis.core import QgsRectangle

from citymgmt_plugin.core.qgis.render import render_layers_png


def test_rendered_map_is_owner_only(qgis_app, tmp_path):
    old = os.umask(0o022)
    try:
        out = render_layers_png(
            [], QgsRectangle(0, 0, 10, 10), tmp_path / "maps" / "m.png", (64, 48)
        )
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "maps").stat().st_mode) == 0o700
