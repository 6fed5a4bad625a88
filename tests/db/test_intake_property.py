"""Property: whatever a device or a server sends, every record is stored or quarantined with
a reason, and the pull does not die.

Hypothesis draws the material (texts with NUL characters, lone surrogates, quotes and
separators; numbers with NaN, ±Infinity and huge values; identifiers short, empty, over
8 KB or broken; nested values; a nesting depth; encodings), and each example builds large
batches from it with its own seed: device files (GeoJSON, GeoJSON lines with broken lines,
CSV in UTF-8, UTF-8 with BOM or GB18030) and a form on the local ODK Central. Per backend
2 examples × (1,500 file records + 1,000 ODK records): 10,000 malformed records over both
backends, in a few tens of seconds.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkSource
from citymgmt_plugin.core.submissions.states import QuarantineReason, decode_reasons
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import seed_city

FILE_RECORDS = 500  # per file, three files per example
ODK_RECORDS = 1000
EXAMPLES = 2
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)

_PIECES = ["\x00", "\ud800", "\udcff", "井盖", "\u202e", "'", '"', "\\", "\n", "; ", ":", "{0}"]
nasty_text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(_PIECES)), max_size=6).map(
    "".join
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, 1e308]),
)
ids = st.one_of(
    nasty_text,
    st.integers(min_value=0, max_value=12_000).map(lambda n: "id-" + "k" * n),
    st.just(""),
)
leaves = st.one_of(st.none(), st.booleans(), numbers, nasty_text)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(nasty_text, children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def materials(draw) -> dict[str, Any]:
    return {
        "texts": draw(st.lists(nasty_text, min_size=5, max_size=15)),
        "numbers": draw(st.lists(numbers, min_size=3, max_size=8)),
        "ids": draw(st.lists(ids, min_size=3, max_size=8)),
        "values": draw(st.lists(values, min_size=3, max_size=8)),
        "depth": draw(st.integers(min_value=0, max_value=300)),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])),
        "ascii": draw(st.booleans()),
        "seed": draw(st.integers(min_value=0, max_value=2**32)),
    }


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"d": [value]}
    return value


class Maker:
    """Records from the drawn material, each one a new combination (its own ``seq``)."""

    def __init__(self, m: dict[str, Any], city) -> None:
        self.m, self.city = m, city
        self.rng = random.Random(m["seed"])
        self.good = city.to_wgs84(city.x0 + 510.0, city.y0 + 1000.0)

    def pick(self, kind: str) -> Any:
        return self.rng.choice(self.m[kind])

    def value(self) -> Any:
        r = self.rng.random()
        if r < 0.3:
            return self.pick("texts")
        if r < 0.5:
            return self.pick("numbers")
        if r < 0.9:
            return self.pick("values")
        return _deep(self.m["depth"])

    def record(self, seq: int) -> dict[str, Any]:
        rng = self.rng
        lon, lat = self.good
        rec: dict[str, Any] = {"seq": seq}
        if rng.random() < 0.9:
            rec["instance_id"] = f"{self.pick('ids')}#{seq}"
        rec["lon"] = lon if rng.random() < 0.6 else self.pick("numbers")
        rec["lat"] = lat if rng.random() < 0.6 else self.value()
        rec["category_code"] = "0101" if rng.random() < 0.6 else self.pick("texts")
        rec["kind"] = rng.choice(["component", "event", None, self.pick("texts")])
        rec["observed_at"] = rng.choice(
            ["2026-03-02 09:00:00", self.pick("texts"), self.pick("numbers")]
        )
        rec["description"] = self.pick("texts")
        rec["collector_code"] = rng.choice(["C01", self.pick("texts")])
        for _ in range(rng.randrange(0, 4)):  # the app's own fields, keys as odd as values
            rec[f"f_{self.pick('texts')}"] = self.value()
        return rec


def _feature(rec: dict[str, Any]) -> dict[str, Any]:
    props = {k: v for k, v in rec.items() if k not in ("lon", "lat")}
    geom = {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]}
    return {"type": "Feature", "geometry": geom, "properties": props}


def _dumps(value: Any, ascii_only: bool) -> str:
    try:
        return json.dumps(value, ensure_ascii=ascii_only)
    except RecursionError:  # too deep for the writer too: a string instead
        return json.dumps(str(type(value)), ensure_ascii=ascii_only)


def _write(path, text: str, encoding: str) -> None:
    errors = "surrogatepass" if encoding.startswith("utf-8") else "replace"
    path.write_bytes(text.encode(encoding, errors=errors))


def _files(tmp, maker: Maker, m: dict[str, Any]) -> list[tuple[str, Any, int]]:
    """(source key, path, records) of one example's three device files."""
    out = []
    tag = uuid.uuid4().hex[:8]
    features = [_dumps(_feature(maker.record(i)), m["ascii"]) for i in range(FILE_RECORDS)]
    path = tmp / f"{tag}.geojson"
    text = '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}"
    _write(path, text, "utf-8")
    out.append((f"geojson-{tag}", path, FILE_RECORDS))
    lines = []
    for i in range(FILE_RECORDS):
        seq = FILE_RECORDS + i
        line = _dumps({"seq": seq, **_feature(maker.record(seq))}, m["ascii"])
        if maker.rng.random() < 0.1:  # a line cut off (after its seq: each line its own)
            start = len(f'{{"seq": {seq},')
            line = line[: maker.rng.randrange(start, max(start + 1, len(line)))]
        lines.append(line)
    path = tmp / f"{tag}.geojsonl"
    _write(path, "\n".join(lines) + "\n", "utf-8")
    out.append((f"lines-{tag}", path, FILE_RECORDS))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(
        ["instance_id", "lon", "lat", "category_code", "kind", "description", "attributes", "seq"]
    )
    for i in range(FILE_RECORDS):
        r = maker.record(2 * FILE_RECORDS + i)
        extra = {k: v for k, v in r.items() if k.startswith("f_")}
        row = [r.get("instance_id", ""), r["lon"], r["lat"], r["category_code"], r["kind"]]
        writer.writerow([*row, r["description"], _dumps(extra, m["ascii"]), r["seq"]])
    path = tmp / f"{tag}.csv"
    _write(path, buf.getvalue(), m["encoding"])
    out.append((f"csv-{tag}", path, FILE_RECORDS))
    return out


def _odata(maker: Maker, seq: int) -> dict[str, Any]:
    r = maker.record(seq)
    iid = r.get("instance_id") or f"uuid:{uuid.UUID(int=maker.rng.getrandbits(128))}"
    stamp = (T0 + timedelta(seconds=seq)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    system: Any = {"submissionDate": stamp, "updatedAt": None, "edits": 0, "deviceId": "dev-01"}
    if maker.rng.random() < 0.05:
        system = maker.value()  # a server that sends nonsense where the system fields are
    return {
        "__id": iid,
        "meta": {"instanceID": iid} if maker.rng.random() < 0.95 else maker.value(),
        "location": {"type": "Point", "coordinates": [r["lon"], r["lat"], 0]},
        "report": {k: v for k, v in r.items() if k not in ("lon", "lat", "instance_id")},
        "observed_at": r["observed_at"],
        "__system": system,
    }


def _stored(ws, key: str) -> list[Any]:
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        return c.execute(select(s.c.state, s.c.quarantine_reason).where(s.c.source == key)).all()


def _check(ws, key: str, expected: int, report) -> None:
    rows = _stored(ws, key)
    assert len(rows) == expected, (key, len(rows), expected, report.summary())
    known = {str(r) for r in QuarantineReason}
    for state, reason in rows:
        assert state in ("pending", "quarantined")
        if state == "quarantined":
            codes = {str(p.reason) for p in decode_reasons(reason)}
            assert codes and codes <= known, reason


@pytest.fixture
def city_ws(workspace):
    return workspace, seed_city(workspace)


@pytest.fixture(scope="module")
def central():
    with CentralServer() as srv:
        yield srv


def test_every_malformed_record_is_stored_or_quarantined(city_ws, central, tmp_path_factory):
    ws, city = city_ws
    total = {"records": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],  # batches are large: no shrinking
        print_blob=True,
    )
    @given(materials())
    def run(m: dict[str, Any]) -> None:
        maker = Maker(m, city)
        tmp = tmp_path_factory.mktemp("malformed")
        for key, path, n in _files(tmp, maker, m):
            report = ingest(ws, DeviceExportSource(path, crs="WGS84", key=key))
            _check(ws, key, n, report)
            total["records"] += n
        form = "f" + uuid.uuid4().hex[:8]
        rows = [_odata(maker, 10_000 + i) for i in range(ODK_RECORDS)]
        for row in rows:
            central.central.add(7, form, row, {})
        client = OdkClient(central.url, EMAIL, PASSWORD, retries=1, backoff=0.01)
        source = OdkSource(client, 7, form, page_size=250, photos=False)
        report = ingest(ws, source)
        _check(ws, source.key, len({r["__id"] for r in rows}), report)
        total["records"] += ODK_RECORDS

    run()
    assert total["records"] >= EXAMPLES * (3 * FILE_RECORDS + ODK_RECORDS)
