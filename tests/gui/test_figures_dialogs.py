"""The "Import GPS tracks" and "Contract figures" dialogs, driven headless on a real
workspace: tracks imported in the background, a seed contract saved, a roster imported and
entered, a 漏报 candidate found and confirmed, the month computed; in Chinese too.
Screenshots in tests/artifacts/figures/."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from qgis.PyQt.QtCore import QDate

from citymgmt_plugin.core.reporting import spotchecks
from citymgmt_plugin.core.reporting.profile_store import load_profile
from citymgmt_plugin.core.workspace.store import Workspace, upgrade
from tests.db.test_contract_month import _decide, _reports
from tests.fixtures.synthetic_submissions import SHANGHAI, seed_city
from tests.gui.test_sources_pull import settle, wait_for


@pytest.fixture
def city_ws(tmp_path, qgis_app):
    spec = str(tmp_path / "ws.gpkg")
    upgrade(spec)
    ws = Workspace.open(spec)
    city = seed_city(ws)
    yield ws, city
    ws.close()


@pytest.fixture
def shots(artifacts):
    folder = artifacts / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_tracks_dialog_imports_in_the_background(city_ws, tmp_path, shots):
    from citymgmt_plugin.gui.tracks_dialog import TracksDialog

    ws, _city = city_ws
    path = tmp_path / "c01.csv"
    rows = ["collector_code,fix_time,lon,lat"]
    rows += [
        f"C01,2026-03-02 08:{k // 6:02d}:{k % 6 * 10:02d},120.61{k:02d},31.305" for k in range(60)
    ]
    rows.append("C01,,120.6,31.3")  # no time
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    dlg = TracksDialog(ws)
    dlg.show()
    dlg.add_paths([str(path)])
    dlg.import_button.click()
    assert not dlg.import_button.isEnabled()
    wait_for(dlg.task.done)
    settle()
    text = dlg.result.toPlainText()
    assert "60 fixes imported" in text and "no time 1" in text
    assert dlg.import_button.isEnabled()
    dlg.grab().save(str(shots / "tracks_dialog.png"))
    dlg.close()


def test_contract_dialog_roster_missed_and_month(city_ws, tmp_path, shots):
    from citymgmt_plugin.gui.contract_dialog import ContractDialog

    ws, city = city_ws
    dlg = ContractDialog(ws)
    dlg.show()
    p = dlg.profile_tab
    p.examples.setCurrentIndex(p.examples.findData("panzhihua-2021"))
    p.use_example()
    assert p.on_duty.value() == 53 and p.monthly.value() == -1  # "—": not in that contract
    p.start.setDate(QDate(2026, 2, 1))
    p.end.setDate(QDate(2027, 1, 31))
    p.periods.setText("08:30-12:00，14:30-18:00")
    p.save()
    assert "saved" in p.message.text()
    saved = load_profile(ws)
    assert saved.collectors_on_duty == 53 and saved.service_start == date(2026, 2, 1)
    assert saved.working_time.texts == ["08:30-12:00", "14:30-18:00"]
    p.periods.setText("18:00-08:00")
    p.save()
    assert "must end after it starts" in p.message.text()  # nothing saved
    dlg.tabs.setCurrentIndex(0)
    dlg.grab().save(str(shots / "contract_profile.png"))
    _roster(dlg, tmp_path, shots)
    _missed_and_month(dlg, ws, city, tmp_path, shots)
    dlg.close()


def _roster(dlg, tmp_path, shots) -> None:
    r = dlg.roster_tab
    csv = tmp_path / "roster.csv"
    csv.write_text("采集员,日期,状态\nC01,2026-03-02,在岗\nC02,2026-03-02,缺勤\nX9,2026-03-02,在岗\n",
                   encoding="utf-8")  # fmt: skip
    r.month.setDate(QDate(2026, 3, 1))
    r.import_path(str(csv))
    assert "2 days stored" in r.message.text() and "X9" in r.message.text()
    r.collector.setText("C01")
    r.first.setDate(QDate(2026, 3, 3))
    r.last.setDate(QDate(2026, 3, 4))
    r.status.setCurrentIndex(r.status.findData("absent"))
    r.set_days()
    assert r.table.rowCount() == 2
    assert [r.table.item(0, c).text() for c in range(5)] == ["C01", "1", "2", "0", "0"]
    dlg.tabs.setCurrentWidget(r)
    dlg.grab().save(str(shots / "contract_roster.png"))


def _missed_and_month(dlg, ws, city, tmp_path, shots) -> None:
    from sqlalchemy import insert

    rows = _reports(ws, tmp_path, city)
    _decide(ws, rows, "c01-2", "accept_new")
    t0 = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
    with ws.begin() as c:
        c.execute(insert(ws.schema.track_points), [
            dict(collector_code="C01", fix_time=t0 + timedelta(seconds=10 * k),
                 geom=f"SRID={city.srid};POINT({city.x0 + 1005} {city.y0 + 400 + 2 * k})")
            for k in range(180)
        ])  # fmt: skip
    from tests.db.test_contract_month import _grid

    spotchecks.record(ws, _grid(city, 1005, 500), date(2026, 3, 2), [
        spotchecks.Finding("event", "0501", t0 + timedelta(hours=1), city.x0 + 1010, city.y0 + 500)
    ])  # fmt: skip
    m = dlg.missed_tab
    m.month.setDate(QDate(2026, 3, 1))
    m.find.click()
    wait_for(m.task.done)
    settle()
    assert "1 new candidates" in m.message.text() and m.table.rowCount() == 1
    dlg.tabs.setCurrentWidget(m)
    dlg.grab().save(str(shots / "contract_missed.png"))
    m.table.selectRow(0)
    m.decide(True)
    assert m.table.rowCount() == 0
    month = dlg.month_tab
    month.month.setDate(QDate(2026, 3, 1))
    month.compute_button.click()
    wait_for(month.task.done)
    settle()
    text = month.text.toPlainText()
    assert "1 confirmed" in text and "Contractor" in text
    month.figures and month.save_button.isEnabled()
    dlg.tabs.setCurrentWidget(month)
    dlg.grab().save(str(shots / "contract_month.png"))


def test_dialogs_in_chinese(city_ws, tmp_path, shots):
    """Every tab with data in it, walked for untranslated text (widget_texts)."""
    from widget_texts import problems
    from zh_translator import zh_cn

    from citymgmt_plugin.gui.contract_dialog import ContractDialog
    from citymgmt_plugin.gui.tracks_dialog import TracksDialog

    ws, city = city_ws
    data = ("C01", "C02", "SC1", "320508001001053", "张伟", "李娜")
    with zh_cn(tmp_path):
        dlg = ContractDialog(ws)
        dlg.show()
        assert dlg.windowTitle() == "合同考核指标"
        assert dlg.tabs.tabText(2) == "漏报"
        dlg.roster_tab.month.setDate(QDate(2026, 3, 1))
        dlg.roster_tab.import_path(_roster_csv(tmp_path))
        rows = _reports(ws, tmp_path, city)
        _decide(ws, rows, "c01-2", "accept_new")
        _decide(ws, rows, "c01-0", "reject", reason_code="repeat")
        month = dlg.month_tab
        month.month.setDate(QDate(2026, 3, 1))
        month.compute_button.click()
        wait_for(month.task.done)
        assert "有效上报率" in month.text.toPlainText() and "重复上报" in month.text.toPlainText()
        for k, name in enumerate(("profile", "roster", "missed", "month")):
            dlg.tabs.setCurrentIndex(k)
            settle()
            dlg.grab().save(str(shots / f"contract_{name}_zh.png"))
            found = problems(dlg.tabs.currentWidget(), data=(*data, ws.actor))
            assert not found, "untranslated in Chinese:\n" + "\n".join(dict.fromkeys(found))
        dlg.close()
        t = TracksDialog(ws)
        t.show()
        assert t.windowTitle() == "导入GPS轨迹"
        t.grab().save(str(shots / "tracks_dialog_zh.png"))
        assert not problems(t, data=(*data, "GPX", "audit.csv"))  # a format and a file name
        t.close()


def _roster_csv(tmp_path) -> str:
    path = tmp_path / "r.csv"
    path.write_text("collector,date,status\nC01,2026-03-02,on_duty\nC02,2026-03-02,absent\n")
    return str(path)
