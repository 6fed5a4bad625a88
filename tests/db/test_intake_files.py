"""Files in a device export (issue #12, found item 8): a symlinked "photo" must not store a
local file, paths out of the export folder are refused, photos, descriptions and ids have
size limits with their own quarantine reasons, and one huge zip entry does not take the
memory of the pull (a real process, its peak memory measured).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.limits import Limits
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource, ExportError
from citymgmt_plugin.core.submissions.states import reason_codes
from tests.fixtures.synthetic_submissions import make_submissions, seed_city, write_device_export

ROOT = Path(__file__).resolve().parents[2]
SECRET = "/etc/passwd"


@pytest.fixture
def city_ws(workspace):
    return workspace, seed_city(workspace)


def _rows(ws):
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        return {r.instance_id: r for r in c.execute(select(s)).all()}


def _contents(ws):
    a = ws.schema.submission_attachments
    with ws.engine.connect() as c:
        return [bytes(r[0]) for r in c.execute(select(a.c.content)).all() if r[0] is not None]


def test_a_symlinked_photo_does_not_store_a_local_file(city_ws, tmp_path):
    ws, city = city_ws
    recs, _ = make_submissions(city, 3)
    folder = tmp_path / "exp"
    write_device_export(folder, recs)
    linked = folder / "photos" / recs[0]["photos"]
    linked.unlink()
    linked.symlink_to(SECRET)  # the "photo" of record 0 is the computer's password file
    report = ingest(ws, DeviceExportSource(folder))
    secret = Path(SECRET).read_bytes()
    assert all(secret not in content for content in _contents(ws))
    row = _rows(ws)[recs[0]["instance_id"]]
    assert row.state == "quarantined"
    assert reason_codes(row.quarantine_reason) == {"photo_refused"}
    assert report.quarantined == 1 and report.inserted == 3


def test_a_symlinked_photo_folder_and_export_file_are_refused(city_ws, tmp_path):
    ws, city = city_ws
    recs, _ = make_submissions(city, 2)
    real = tmp_path / "elsewhere"
    write_device_export(real, recs)
    folder = tmp_path / "exp"
    folder.mkdir()
    (folder / "submissions.geojson").write_bytes((real / "submissions.geojson").read_bytes())
    (folder / "photos").symlink_to(Path("/etc"))  # a photo folder that is a link
    ingest(ws, DeviceExportSource(folder))
    rows = _rows(ws)
    assert all(reason_codes(r.quarantine_reason) == {"photo_refused"} for r in rows.values())
    assert not _contents(ws)
    # a submissions "file" that is a link is not read either: the folder has none
    other = tmp_path / "other"
    other.mkdir()
    (other / "submissions.geojson").symlink_to(SECRET)
    with pytest.raises(ExportError):
        DeviceExportSource(other)


def test_photo_paths_out_of_the_export_folder_are_refused(city_ws, tmp_path):
    ws, city = city_ws
    recs, _ = make_submissions(city, 3)
    folder = tmp_path / "exp"
    write_device_export(folder, recs, zip_photos=True)
    recs[0]["photos"] = "../../photos/" + recs[0]["photos"]  # a path out of the folder
    recs[1]["photos"] = "/etc/passwd"
    write_device_export(folder, recs, photos=False)
    with zipfile.ZipFile(folder / "photos.zip", "a") as zf:  # an entry named out of the folder
        zf.writestr("../../evil.jpg", recs[2]["_photo"])
    recs[2]["photos"] = "evil.jpg"
    write_device_export(folder, recs, photos=False)
    ingest(ws, DeviceExportSource(folder))
    rows = _rows(ws)
    for rec in recs:
        row = rows[rec["instance_id"]]
        assert reason_codes(row.quarantine_reason) == {"photo_refused"}, rec["photos"]
    assert not _contents(ws)


def test_size_limits_have_their_own_reasons(city_ws, tmp_path):
    ws, city = city_ws
    recs, _ = make_submissions(city, 4)
    limits = Limits(photo_bytes=20_000, description_chars=50, id_bytes=64)
    recs[0]["_photo"] = recs[0]["_photo"] + b"\0" * 30_000  # a photo over the limit
    recs[1]["description"] = "井" * 51
    recs[2]["instance_id"] = "uuid:" + "7" * 80
    folder = tmp_path / "exp"
    write_device_export(folder, recs)
    zipped = tmp_path / "zipped"
    write_device_export(zipped, recs, zip_photos=True)
    for where, key in ((folder, "folder"), (zipped, "zip")):
        ingest(ws, DeviceExportSource(where, key=key, limits=limits), limits=limits)
        s = ws.schema.submissions
        with ws.engine.connect() as c:
            rows = c.execute(select(s).where(s.c.source == key).order_by(s.c.id)).all()
        assert len(rows) == 4
        assert reason_codes(rows[0].quarantine_reason) == {"photo_too_large"}
        assert reason_codes(rows[1].quarantine_reason) == {"text_too_long"}
        assert len(rows[1].description) == 50 and rows[1].payload["properties"]["description"]
        assert reason_codes(rows[2].quarantine_reason) == {"id_too_long"}
        assert rows[2].instance_id.startswith("id:sha256:")
        assert rows[3].state == "pending"
    # read again: nothing stored twice (the long id is stored under the same hash)
    again = ingest(ws, DeviceExportSource(folder, key="folder", limits=limits), limits=limits)
    assert (again.inserted, again.edited, again.unchanged) == (0, 0, 4)


_MEASURE = """
import json, resource, sys
from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.workspace.store import Workspace
ws = Workspace.open(sys.argv[1])
source = DeviceExportSource(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = ingest(ws, source)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "after_kb": after, "reasons": dict(report.reasons)}))
"""


def test_a_huge_zip_entry_does_not_take_the_memory_of_the_pull(pg_workspace, pg_spec, tmp_path):
    """400 MB of photo in one zip entry (it compresses to a few hundred kB): the pull reads
    at most the photo limit of it, in a process of its own whose peak memory is measured."""
    ws = pg_workspace
    city = seed_city(ws)
    recs, _ = make_submissions(city, 2)
    folder = tmp_path / "exp"
    write_device_export(folder, recs, zip_photos=True)
    block = b"\xff" * (1 << 20)
    with (
        zipfile.ZipFile(folder / "photos.zip", "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("photos/huge.jpg", "w", force_zip64=True) as entry,
    ):
        for _ in range(400):
            entry.write(block)
    recs[0]["photos"] = "huge.jpg"
    write_device_export(folder, recs, photos=False)
    assert (folder / "photos.zip").stat().st_size < 5 << 20
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, pg_spec, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    grown_mb = (out["after_kb"] - out["before_kb"]) / 1024
    assert grown_mb < 150, out  # the photo limit (25 MB) and the page, not 400 MB
    assert out["reasons"] == {"photo_too_large": 1}
