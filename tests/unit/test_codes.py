"""Unit grid codes and component identifiers: what is valid, and what the message says."""

from __future__ import annotations

import pytest

from citymgmt_plugin.core import codes


def test_shipped_class_tables_cover_the_six_major_classes():
    for scheme, width in (("legacy16", 4), ("std17", 5)):
        classes = codes.default_component_classes(scheme)
        assert {c.major_code for c in classes} == {"01", "02", "03", "04", "05", "06"}
        assert all(len(c.code) == width and c.code.startswith(c.major_code) for c in classes)
        assert len({c.code for c in classes}) == len(classes) == 85
    manhole = next(c for c in codes.default_component_classes() if c.code == "0101")
    assert manhole.name == "上水井盖" and manhole.geometry_kind == "point"
    assert {c.geometry_kind for c in codes.default_component_classes()} == {
        "point",
        "line",
        "polygon",
    }
    assert len(codes.default_event_classes()) == 54


def test_schemes():
    s = codes.id_schemes()
    assert s["legacy16"].length == 16 and s["std17"].length == 17
    assert s["legacy16"].compose("320508", "0101", 1) == "3205080101000001"
    assert s["std17"].split("32050801001000123") == ("320508", "01001", 123)


def test_valid_grid_code():
    assert codes.validate_grid_code("320508001001001") == []
    assert codes.validate_grid_code("32050800100101", legacy14=True) == []
    assert codes.validate_grid_code("320508001001001", community_code="320508001001") == []


@pytest.mark.parametrize(
    ("code", "legacy14", "says"),
    [
        ("", False, "empty"),
        ("3205080010010A1", False, "digits only"),
        ("32050800100101", False, "legacy form"),
        ("3205080010010011", True, "14 or 15"),
        ("000000001001001", False, "county code 000000"),
        ("320508001001000", False, "sequence cannot be 0"),
    ],
)
def test_bad_grid_codes_say_what_is_wrong(code, legacy14, says):
    problems = codes.validate_grid_code(code, legacy14=legacy14)
    assert problems and says in " ".join(problems)


def test_grid_code_outside_its_community():
    problems = codes.validate_grid_code("320508001002001", community_code="320508001001")
    assert "community code 320508001001" in problems[0]


def test_component_identifiers():
    ok = "3205080101000001"
    assert codes.validate_component_id(ok, class_code="0101", grid_code="320508001001001") == []
    assert "16" in codes.validate_component_id("320508010100001")[0]
    assert (
        "class 0101 but the component's class is 0102"
        in codes.validate_component_id(ok, class_code="0102")[0]
    )
    assert (
        "county 320508 but its unit grid 320509001001001 is in county 320509"
        in (codes.validate_component_id(ok, grid_code="320509001001001")[0])
    )
    assert "serial cannot be 0" in codes.validate_component_id("3205080101000000")[0]
    assert (
        "not in the class table"
        in codes.validate_component_id("3205089999000001", known_classes={"0101"})[0]
    )
    assert (
        codes.validate_component_id("32050801001000001", scheme="std17", class_code="01001") == []
    )
