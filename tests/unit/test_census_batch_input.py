"""Census batches as exports really come: dates, identifiers a spreadsheet mangled, coded
values in free text, WKT positions with the markers for "none", text encodings."""

from __future__ import annotations

from datetime import date

import pytest

from citymgmt_plugin.core.census.batch_codes import ValueCodes
from citymgmt_plugin.core.census.batch_dates import parse_date
from citymgmt_plugin.core.census.batch_geometry import source_geometries
from citymgmt_plugin.core.census.batch_read import SourceTable, decode_text, read_source
from citymgmt_plugin.core.census.batch_values import (
    RowParser,
    class_of_identifier,
    identifier_text,
    unmapped_values,
)
from citymgmt_plugin.core.census.validation import ClassInfo, is_placeholder

MARCH_5 = date(2024, 3, 5)


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("Tue Mar 05 14:22:10 CST 2024", MARCH_5),  # java.util.Date on a server in China
        ("Tue Mar 05 23:22:10 GMT 2024", date(2024, 3, 6)),  # 07:22 the next day in Beijing
        ("Tue Mar 05 14:22:10 GMT+08:00 2024", MARCH_5),
        ("2024年3月5日", MARCH_5),
        ("2024年03月05日 14时22分10秒", MARCH_5),
        ("２０２４年３月５日", MARCH_5),  # full-width digits
        ("2024年3月5日 14:22", MARCH_5),
        ("45356", MARCH_5),  # spreadsheet serial day
        ("45356.598", MARCH_5),  # … with the time of day
        (45356, MARCH_5),
        (45356.598, MARCH_5),
        ("2024-03-05 14:22:10.0", MARCH_5),  # java.sql.Timestamp
        ("2024/3/5", MARCH_5),
        ("2024.03.05", MARCH_5),
        ("20240305", MARCH_5),
        ("2024-03-05T23:30:00Z", date(2024, 3, 6)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_platforms_and_spreadsheets_print_them(printed, expected):
    assert parse_date(printed) == expected


@pytest.mark.parametrize(
    "printed", ["2024-02-30", "2024-13-01", "hello", "2024", "Tue Mar 05 14:22:10 XYZ 2024", 12]
)
def test_what_is_not_a_date_stays_text_to_be_refused(printed):
    assert parse_date(printed) == str(printed)


@pytest.mark.parametrize(
    "cell",
    ["3.20508E+15", "3.205080101E+15", "3205080101000001.0", "3205080101000001.00",
     3205080101000001.0, 3205080101000001],
)  # fmt: skip
def test_identifiers_a_spreadsheet_turned_into_numbers_are_refused(cell):
    text, problem = identifier_text(cell)
    assert text is None
    assert problem is not None and problem.rule == "identifier_number"


def test_identifiers_kept_as_text_are_read():
    assert identifier_text("'3205080101000001") == ("3205080101000001", None)  # Excel's text mark
    assert identifier_text(" 3205080101000001\t") == ("3205080101000001", None)
    assert identifier_text("３２０５０８０１０１０００００１") == ("3205080101000001", None)
    assert identifier_text("") == (None, None)


def test_class_from_a_valid_identifier_only():
    assert class_of_identifier("3205080101000001", "legacy16") == "0101"
    assert class_of_identifier("32050801001000001", "std17") == "01001"
    assert class_of_identifier("320508010100000", "legacy16") is None  # 15 digits
    assert class_of_identifier("32050801010000A1", "legacy16") is None


def _classes():
    return {
        code: ClassInfo("legacy16", code, code[:2], "公用设施", name, "point")
        for code, name in (("0101", "上水井盖"), ("0103", "雨水井盖"), ("0118", "路灯"))
    }


def test_value_maps_and_what_they_leave_unmapped():
    codes = ValueCodes(
        {"status": {"正常": "完好", "损坏": "破损"}, "dept_code": {"水务": "001"}}, _classes()
    )
    assert codes.apply("status", "正常") == ("完好", True)
    assert codes.apply("status", "丢失") == ("丢失", True)  # already a stored value
    assert codes.apply("status", "待核实") == ("待核实", False)
    assert codes.apply("accuracy_class", "b级") == ("B", True)
    assert codes.apply("accuracy_class", "Ａ") == ("A", True)
    assert codes.apply("class_code", "上水井盖") == ("0101", True)  # a class by its name
    assert codes.apply("class_code", "0103 雨水井盖") == ("0103", True)
    assert codes.apply("class_code", "不明设施") == ("不明设施", False)
    assert codes.apply("dept_code", "水务") == ("001", True)
    assert codes.apply("dept_code", "城管") == ("城管", False)  # a map exists: values must be in it
    assert codes.apply("dept_name", "城管") == ("城管", True)  # no map: free text
    rows = [{"s": v} for v in ("正常", "待核实", "待核实", "无人", "", None, "损坏")]
    assert unmapped_values(rows, {"status": "s"}, codes) == {"status": {"待核实": 2, "无人": 1}}


def test_a_row_is_parsed_with_its_maps_and_its_class_from_the_identifier():
    codes = ValueCodes({"status": {"正常": "完好"}}, _classes())
    mapping = {"identifier": "编码", "status": "状态", "initial_date": "时间"}
    parser = RowParser(mapping, list(mapping), "legacy16", codes)
    vals, problems = parser.parse(
        {"编码": "3205080118000007", "状态": "正常", "时间": "Tue Mar 05 14:22:10 CST 2024"}
    )
    assert problems == []
    assert vals == {
        "identifier": "3205080118000007",
        "class_code": "0118",  # no class column: read from the identifier
        "status": "完好",
        "initial_date": MARCH_5,
    }
    vals, problems = parser.parse({"编码": "3.20508E+15", "状态": "正常", "时间": ""})
    assert vals["identifier"] is None and vals["class_code"] is None  # never a wrong one
    assert [p.rule for p in problems] == ["identifier_number"]


@pytest.mark.parametrize("value", ["000", "未指定", "无", "/", "-", "／", " 未指定 ", "(null)"])
def test_placeholders(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["市水务局", "001", "0", "", None, "A"])
def test_not_placeholders(value):
    assert not is_placeholder(value)


def test_wkt_positions_and_the_markers_for_none():
    cells = ["POINT (120.1 31.3)", "POINT EMPTY", "", "NULL", "(null)", "POINT (0 0)", "0 0",
             "120.2 31.4", "SRID=4490;POINT (120.3 31.5)", "garbage", None,
             "LINESTRING EMPTY"]  # fmt: skip
    table = SourceTable(
        "t.csv", None, ["wkt"], [{"wkt": c} for c in cells], [None] * 12, None, False
    )
    found = source_geometries(table, {"wkt": "wkt"}, None, 4549)
    assert found.crs == "EPSG:4490"  # from the EWKT
    placed = [i for i, g in enumerate(found.geoms) if g is not None]
    assert placed == [0, 7, 8]
    assert found.markers == {1: "POINT EMPTY", 2: "", 3: "NULL", 4: "(null)", 5: "POINT (0 0)",
                             6: "0 0", 9: "garbage", 10: "", 11: "LINESTRING EMPTY"}  # fmt: skip


def test_xy_zero_is_no_position():
    rows = [{"x": "120.1", "y": "31.3"}, {"x": "0", "y": "0"}, {"x": "", "y": ""}]
    table = SourceTable("t.csv", None, ["x", "y"], rows, [None] * 3, None, False)
    found = source_geometries(table, {"x": "x", "y": "y"}, None, 4549)
    assert [g is not None for g in found.geoms] == [True, False, False]
    assert found.markers == {1: "0 0", 2: ""}


TEXT = "部件编码,部件名称\n3205080101000001,上水井盖\n"


@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        ("\ufeff".encode("utf-16-le") + TEXT.replace(",", "\t").encode("utf-16-le"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "excel-unicode-text"],
)
def test_encodings(tmp_path, encoded, encoding):
    assert decode_text(encoded)[1] == encoding
    path = tmp_path / "batch.csv"
    path.write_bytes(encoded)
    table = read_source(path)
    assert table.encoding == encoding
    assert table.columns == ["部件编码", "部件名称"]
    assert table.rows == [{"部件编码": "3205080101000001", "部件名称": "上水井盖"}]
