"""citymgmt:routedeviation through processing.run with memory layers."""

from __future__ import annotations

import numpy as np
import pytest
from qgis.core import (
    NULL,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt

ALG = "citymgmt:routedeviation"
X0, Y0 = 500000.0, 3460000.0
T0 = 1714953600  # 2024-05-06 08:00 China time


def routes_layer():
    layer = QgsVectorLayer("LineString?crs=EPSG:4549&field=owner:string", "routes", "memory")
    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromWkt(f"LINESTRING({X0} {Y0},{X0 + 1000} {Y0})"))
    f.setAttributes(["A001"])
    layer.dataProvider().addFeatures([f])
    return layer


def tracks_layer(rows):
    layer = QgsVectorLayer(
        "Point?crs=EPSG:4549&field=collector:string&field=t:datetime", "tracks", "memory"
    )
    feats = []
    for x, y, t, c in rows:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0 + x, Y0 + y)))
        f.setAttributes([c, QDateTime.fromSecsSinceEpoch(int(t), Qt.UTC)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def run(tracks, routes, **extra):
    import processing

    params = {
        "TRACKS": tracks,
        "COLLECTOR_FIELD": "collector",
        "TIME_FIELD": "t",
        "ROUTES": routes,
        "ROUTE_COLLECTOR_FIELD": "owner",
        "OUTPUT": "TEMPORARY_OUTPUT",
        "OFFROUTE": "TEMPORARY_OUTPUT",
    }
    params.update(extra)
    return processing.run(ALG, params)


def detour_rows(collector="A001", t0=T0):
    """Along the route to x=500, out to y=100 and back, on to x=1000."""
    out = np.arange(10, 101, 10.0)
    xs = np.r_[
        np.arange(0, 501, 10.0), np.full(9, 500.0), np.full(10, 500.0), np.arange(510, 1001, 10.0)
    ]
    ys = np.r_[np.zeros(51), out[:-1], out[::-1], np.zeros(50)]
    return [(float(x), float(y), t0 + 10 * k, collector) for k, (x, y) in enumerate(zip(xs, ys))]


def test_detour_per_collector_and_day(processing_ready):
    res = run(tracks_layer(detour_rows()), routes_layer())
    rows = list(res["OUTPUT"].getFeatures())
    assert len(rows) == 1
    r = rows[0]
    assert (r["collector"], r["day"]) == ("A001", "2024-05-06")
    patrol_m = 500 + 100 + 90 + 200**0.5 + 490  # back to the route diagonally at x=510
    assert r["patrol_m"] == pytest.approx(patrol_m, abs=1e-3)
    assert r["patrol_s"] == pytest.approx(10 * (len(detour_rows()) - 1))
    assert r["off_m"] == pytest.approx(140, abs=1e-3)
    assert r["off_s"] == pytest.approx(140, abs=1e-3)
    assert r["off_dist_share"] == pytest.approx(140 / patrol_m, abs=1e-6)
    lines = list(res["OFFROUTE"].getFeatures())
    assert len(lines) == 1
    assert lines[0]["length_m"] == pytest.approx(140, abs=1e-3)
    assert lines[0]["duration_s"] == pytest.approx(140, abs=1e-3)
    assert lines[0].geometry().length() == pytest.approx(140, abs=1e-3)
    assert lines[0]["collector"] == "A001" and lines[0]["day"] == "2024-05-06"


def test_two_days_and_collector_without_route(processing_ready):
    rows = detour_rows() + detour_rows(t0=T0 + 86400) + detour_rows("B002")
    res = run(tracks_layer(rows), routes_layer())
    out = {(f["collector"], f["day"]): f for f in res["OUTPUT"].getFeatures()}
    assert set(out) == {("A001", "2024-05-06"), ("A001", "2024-05-07"), ("B002", "2024-05-06")}
    assert out[("A001", "2024-05-07")]["off_m"] == pytest.approx(140, abs=1e-3)
    assert out[("B002", "2024-05-06")]["off_m"] == NULL
    assert res["OFFROUTE"].featureCount() == 2


def test_bad_inputs(processing_ready):
    with pytest.raises(QgsProcessingException) as err:
        run(tracks_layer([]), routes_layer())
    assert "empty" in str(err.value).lower()
    with pytest.raises(QgsProcessingException) as err:
        run(tracks_layer(detour_rows()), routes_layer(), ROUTE_COLLECTOR_FIELD="nope")
    assert "not found" in str(err.value).lower()
