"""The coded values of cases and tasks, and their translated labels.

The one place that names the column values of ``cases`` and ``tasks`` (the database checks
them too: :mod:`..workspace.schema.cases`); everything else uses these Enums.
"""

from __future__ import annotations

from enum import Enum

from ..i18n import tr

_CTX = "Cases"


class Channel(str, Enum):
    COLLECTOR = "collector"  # 采集员上报
    PUBLIC = "public"  # 公众举报
    HOTLINE = "hotline"  # 12345热线
    VIDEO = "video"  # 视频监控
    LEADER = "leader"  # 领导交办
    OTHER = "other"  # 其他


class CaseKind(str, Enum):
    EVENT = "event"
    COMPONENT = "component"


class CaseState(str, Enum):
    REPORTED = "reported"  # 上报
    FILED = "filed"  # 立案
    DISPATCHED = "dispatched"  # 派遣
    HANDLED = "handled"  # 处置
    CHECKED = "checked"  # 核查
    CLOSED = "closed"  # 结案
    VOID = "void"  # 作废
    ON_HOLD = "on_hold"  # 挂账


class TaskKind(str, Enum):
    VERIFY = "verify"  # 核实
    CHECK = "check"  # 核查


class TaskState(str, Enum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Outcome(str, Enum):
    CONFIRMED = "confirmed"  # 核实: 属实
    NOT_CONFIRMED = "not_confirmed"  # 核实: 不属实
    RELOCATED = "relocated"  # 核实: 位置修正
    HANDLED = "handled"  # 核查: 已处置
    NOT_HANDLED = "not_handled"  # 核查: 未处置
    PARTLY_HANDLED = "partly_handled"  # 核查: 部分处置

    @property
    def task_kind(self) -> TaskKind:
        verify = (Outcome.CONFIRMED, Outcome.NOT_CONFIRMED, Outcome.RELOCATED)
        return TaskKind.VERIFY if self in verify else TaskKind.CHECK


class EntitySync(str, Enum):
    NONE = "none"  # never pushed
    OPEN = "open"  # an open entity on the server, as the task is
    STALE = "stale"  # pushed, then the task changed: update it
    CLOSED = "closed"  # closed on the server (updated or deleted)


class Operation(str, Enum):
    """What a ``case_history`` row records."""

    IMPORT = "import"
    UPDATE = "update"
    STATE = "state"
    RELOCATE = "relocate"
    MATCH = "match"
    TASK = "task"
    RESULT = "result"


# The states a case no longer moves from without the command centre.
FINAL_STATES = (CaseState.CLOSED, CaseState.VOID)
OPEN_CASE_STATES = tuple(s for s in CaseState if s not in FINAL_STATES)


def channel_labels() -> dict[Channel, str]:
    return {
        Channel.COLLECTOR: tr(_CTX, "Collector report"),
        Channel.PUBLIC: tr(_CTX, "Public report"),
        Channel.HOTLINE: tr(_CTX, "12345 hotline"),
        Channel.VIDEO: tr(_CTX, "Video surveillance"),
        Channel.LEADER: tr(_CTX, "Assigned by a leader"),
        Channel.OTHER: tr(_CTX, "Other"),
    }


def state_labels() -> dict[CaseState, str]:
    return {
        CaseState.REPORTED: tr(_CTX, "Reported"),
        CaseState.FILED: tr(_CTX, "Filed"),
        CaseState.DISPATCHED: tr(_CTX, "Dispatched"),
        CaseState.HANDLED: tr(_CTX, "Handled"),
        CaseState.CHECKED: tr(_CTX, "Checked"),
        CaseState.CLOSED: tr(_CTX, "Closed"),
        CaseState.VOID: tr(_CTX, "Void"),
        CaseState.ON_HOLD: tr(_CTX, "On hold"),
    }


def kind_labels() -> dict[CaseKind, str]:
    return {CaseKind.EVENT: tr(_CTX, "Event"), CaseKind.COMPONENT: tr(_CTX, "Component")}


def task_kind_labels() -> dict[TaskKind, str]:
    return {TaskKind.VERIFY: tr(_CTX, "Verify"), TaskKind.CHECK: tr(_CTX, "Check")}


def task_state_labels() -> dict[TaskState, str]:
    return {
        TaskState.OPEN: tr(_CTX, "Open"),
        TaskState.DONE: tr(_CTX, "Done"),
        TaskState.CANCELLED: tr(_CTX, "Cancelled"),
    }


def outcome_labels() -> dict[Outcome, str]:
    return {
        Outcome.CONFIRMED: tr(_CTX, "Confirmed"),
        Outcome.NOT_CONFIRMED: tr(_CTX, "Not confirmed"),
        Outcome.RELOCATED: tr(_CTX, "Position corrected"),
        Outcome.HANDLED: tr(_CTX, "Handled"),
        Outcome.NOT_HANDLED: tr(_CTX, "Not handled"),
        Outcome.PARTLY_HANDLED: tr(_CTX, "Partly handled"),
    }


def label(value: Enum | str | None) -> str:
    """The translated label of any coded value above ('' for None, the value if unknown)."""
    if value is None:
        return ""
    for labels in (
        channel_labels(),
        state_labels(),
        kind_labels(),
        task_kind_labels(),
        task_state_labels(),
        outcome_labels(),
    ):
        for key, text in labels.items():
            if key is value or key.value == getattr(value, "value", value):
                return text
    return str(getattr(value, "value", value))


# What source tables say, read into codes: the code itself, English and Chinese names.
CHANNEL_WORDS: dict[str, Channel] = {
    "collector": Channel.COLLECTOR,
    "采集员上报": Channel.COLLECTOR,
    "监督员上报": Channel.COLLECTOR,
    "采集员": Channel.COLLECTOR,
    "监督员": Channel.COLLECTOR,
    "public": Channel.PUBLIC,
    "公众举报": Channel.PUBLIC,
    "公众投诉": Channel.PUBLIC,
    "市民举报": Channel.PUBLIC,
    "hotline": Channel.HOTLINE,
    "12345": Channel.HOTLINE,
    "12345热线": Channel.HOTLINE,
    "热线": Channel.HOTLINE,
    "video": Channel.VIDEO,
    "视频监控": Channel.VIDEO,
    "视频": Channel.VIDEO,
    "leader": Channel.LEADER,
    "领导交办": Channel.LEADER,
    "other": Channel.OTHER,
    "其他": Channel.OTHER,
}
KIND_WORDS: dict[str, CaseKind] = {
    "event": CaseKind.EVENT,
    "事件": CaseKind.EVENT,
    "component": CaseKind.COMPONENT,
    "部件": CaseKind.COMPONENT,
}
STATE_WORDS: dict[str, CaseState] = {
    **{s.value: s for s in CaseState},
    "上报": CaseState.REPORTED,
    "受理": CaseState.REPORTED,
    "立案": CaseState.FILED,
    "派遣": CaseState.DISPATCHED,
    "派遣中": CaseState.DISPATCHED,
    "处置": CaseState.HANDLED,
    "处置中": CaseState.DISPATCHED,
    "已处置": CaseState.HANDLED,
    "处置完毕": CaseState.HANDLED,
    "核查": CaseState.CHECKED,
    "已核查": CaseState.CHECKED,
    "结案": CaseState.CLOSED,
    "已结案": CaseState.CLOSED,
    "作废": CaseState.VOID,
    "挂账": CaseState.ON_HOLD,
}
OUTCOME_WORDS: dict[str, Outcome] = {
    **{o.value: o for o in Outcome},
    "属实": Outcome.CONFIRMED,
    "不属实": Outcome.NOT_CONFIRMED,
    "位置修正": Outcome.RELOCATED,
    "已处置": Outcome.HANDLED,
    "未处置": Outcome.NOT_HANDLED,
    "部分处置": Outcome.PARTLY_HANDLED,
}


def read_code(words: dict[str, Enum], value: object) -> Enum | None:
    """The code a source value names (case- and space-insensitive), or None."""
    if value is None:
        return None
    text = str(value).strip()
    return words.get(text) or words.get(text.lower().replace(" ", ""))
