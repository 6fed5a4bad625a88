"""The submission Enums and the one codec of their column values (no database)."""

from __future__ import annotations

from sqlalchemy import column
from sqlalchemy.dialects import postgresql

from citymgmt_plugin.core.submissions.states import (
    DECIDABLE_STATES,
    Evidence,
    PositionFlag,
    PositionSystem,
    Problem,
    QuarantineReason,
    ReviewDecision,
    SubmissionState,
    decode_flag,
    decode_reasons,
    describe_reason,
    encode_flag,
    encode_reasons,
    flag_corrected_or_none,
    reason_code,
    reason_codes,
    values,
)
from citymgmt_plugin.core.workspace.schema.submissions import REVIEW_DECISIONS, SUBMISSION_STATES


def test_enums_are_the_values_the_schema_allows():
    assert values(SubmissionState) == SUBMISSION_STATES
    assert values(ReviewDecision) == REVIEW_DECISIONS
    assert [s.value for s in DECIDABLE_STATES] == ["pending", "quarantined", "has_issues"]
    assert SubmissionState.PENDING == "pending" and f"{SubmissionState.PENDING}" == "pending"
    assert {SubmissionState.QUARANTINED: 1} == {"quarantined": 1}  # counts keyed either way


def test_decisions_know_their_state_and_rules():
    assert ReviewDecision("accept_new").state == SubmissionState.ACCEPTED
    assert ReviewDecision.UPDATE_EXISTING.state == "updated"
    assert [d.value for d in ReviewDecision if d.needs_reason] == ["reject", "has_issues"]
    assert [d.value for d in ReviewDecision if d.names_component] == [
        "update_existing",
        "duplicate",
    ]


def test_quarantine_reasons_round_trip_as_stored():
    stored = "unreadable_json: feature 3: Expecting value: line 1 column 1; unreadable_photo: a.jpg"
    problems = decode_reasons(stored)
    assert problems == [
        Problem(QuarantineReason.UNREADABLE_JSON, "feature 3: Expecting value: line 1 column 1"),
        Problem(QuarantineReason.UNREADABLE_PHOTO, "a.jpg"),
    ]
    assert encode_reasons(problems) == stored
    assert encode_reasons([]) is None and decode_reasons(None) == []
    assert reason_code(stored) == "unreadable_json" and reason_code(None) == ""
    assert reason_codes("no_position: None, None; some_new_code") == {
        "no_position",
        "some_new_code",
    }
    assert describe_reason("outside_city: 120.600000, 31.300000") == (
        "outside the city: 120.600000, 31.300000"
    )


def test_position_flags_round_trip_as_stored():
    for text in (
        "suspected_gcj02:exif+roads:corrected",
        "suspected_bd09:exif:corrected",
        "suspected_gcj02:device+roads",
        "suspected_gcj02:device",
    ):
        assert encode_flag(decode_flag(text)) == text
    flag = decode_flag("suspected_gcj02:device+roads")
    assert flag == PositionFlag(PositionSystem.GCJ02, (Evidence.DEVICE, Evidence.ROADS), False)
    assert flag.label == "device+roads" and not flag.corrected
    assert decode_flag("suspected_bd09:exif:corrected").label == "exif:corrected"
    assert encode_flag(None) is None


def test_one_sql_predicate_for_corrected_flags():
    sql = str(
        flag_corrected_or_none(column("crs_flag")).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    assert sql == "crs_flag IS NULL OR crs_flag LIKE '%%:corrected'"
