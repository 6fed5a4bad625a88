"""GCJ-02/BD-09 conversions: known offsets and exact round trips."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from citymgmt_plugin.core import chinacrs


def metres(lon1, lat1, lon2, lat2):
    k = 111_320.0
    return np.hypot((lon2 - lon1) * k * np.cos(np.radians(lat1)), (lat2 - lat1) * 110_574.0)


def test_suzhou_gcj02_offset_is_hundreds_of_metres():
    lon, lat = 120.6195, 31.3165  # Suzhou, Gusu district
    glon, glat = chinacrs.wgs84_to_gcj02(lon, lat)
    d = metres(lon, lat, glon, glat)
    assert 300 < d < 700
    assert glon > lon and glat < lat  # the shift in Suzhou is east and south


def test_outside_china_is_not_shifted():
    glon, glat = chinacrs.wgs84_to_gcj02(2.35, 48.85)
    assert glon == 2.35 and glat == 48.85


@given(st.floats(100.0, 125.0), st.floats(20.0, 45.0))
def test_round_trips_below_a_centimetre(lon, lat):
    for fwd, back in [
        (chinacrs.wgs84_to_gcj02, chinacrs.gcj02_to_wgs84),
        (chinacrs.wgs84_to_bd09, chinacrs.bd09_to_wgs84),
    ]:
        rlon, rlat = back(*fwd(lon, lat))
        assert metres(lon, lat, rlon, rlat) < 0.01


def test_vectorised():
    lon = np.array([120.6, 120.7, 121.0])
    lat = np.array([31.3, 31.2, 31.1])
    glon, glat = chinacrs.wgs84_to_gcj02(lon, lat)
    assert glon.shape == (3,)
    wlon, wlat = chinacrs.to_wgs84("GCJ-02", glon, glat)
    assert np.allclose(wlon, lon, atol=1e-9) and np.allclose(wlat, lat, atol=1e-9)
