"""What census operations refuse, and why (messages are translated, rules are stable ids)."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import tr

# Stable rule ids: tests, reports and the QA layer use these; messages are for people.
RULES = (
    "class_unknown",  # the workspace has no such class in the scheme
    "mandatory",  # a mandatory attribute is empty
    "domain",  # a value outside its domain (status, data source, accuracy class)
    "no_grid",  # the position lies in no unit grid
    "geometry_kind",  # point/line/polygon does not match the class
    "geometry_empty",  # no usable geometry
    "identifier",  # identifier structure (length, digits, class part, serial)
    "identifier_county",  # identifier county prefix differs from the grid's county
    "identifier_taken",  # another component already has the identifier
    "county_change",  # a move would put the component in another county
    "date",  # a date that cannot be read or is out of order
    "retired",  # the component is retired and cannot be changed this way
    "identifier_number",  # a spreadsheet turned the identifier into a number (3.20508E+15)
    "placeholder",  # a mandatory attribute holds a placeholder ("未指定", "无", "/" …)
    "value_unmapped",  # a coded value the batch's value maps do not cover
    "phone",  # a point of interest's phone is no telephone number
)


@dataclass(frozen=True)
class Problem:
    rule: str
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class CensusError(Exception):
    """A census operation was refused; ``str(err)`` is a translated message."""


class ValidationFailed(CensusError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.message for p in self.problems))

    @property
    def rules(self) -> set[str]:
        return {p.rule for p in self.problems}


class VersionConflict(CensusError):
    """Someone else saved the component since it was read (optimistic locking)."""

    def __init__(self, component_id: int, expected: int, current: int | None, by: str | None):
        self.component_id = component_id
        self.expected = expected
        self.current = current
        self.by = by
        if current is None:
            msg = tr("Census", "Component {0} no longer exists.").format(component_id)
        else:
            msg = tr(
                "Census",
                "Component {0} was changed by {1} (version {2}, you edited version {3}): "
                "reload it and apply your change again.",
            ).format(component_id, by or "?", current, expected)
        super().__init__(msg)


class NotFound(CensusError):
    def __init__(self, component_id: int) -> None:
        self.component_id = component_id
        super().__init__(tr("Census", "No component with id {0}.").format(component_id))
