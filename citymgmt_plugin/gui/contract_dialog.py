"""The "Contract figures" dialog: the contract profile (this module), the duty roster, the
missed reports to decide and the month's figures (:mod:`.figures_tabs`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.reporting.profile import (
    ContractProfile,
    ProfileError,
    load_profile_file,
    shipped_profiles,
)
from ..core.reporting.profile_store import load_profile, save_profile
from ..core.reporting.sheet import SheetError
from ..core.reporting.worktime import WorkingTime, WorkTimeError
from ..core.workspace.store import Workspace
from .sheet_editor import SheetEditor
from .widgets import iso_dates, scrolling

_CTX = "Figures"


def _rate_labels() -> list[tuple[str, str]]:
    return [
        ("valid_rate", tr(_CTX, "Valid-report rate")),
        ("component_share", tr(_CTX, "Component problem share")),
        ("closure_rate", tr(_CTX, "Closure rate")),
        ("on_time_verify", tr(_CTX, "On-time verification rate")),
        ("on_time_check", tr(_CTX, "On-time check rate")),
    ]


def _optional_number(maximum: float, decimals: int, name: str) -> QDoubleSpinBox:
    """A number whose lowest value means "not in the contract" (shown as —)."""
    box = QDoubleSpinBox(objectName=name)
    box.setRange(-1.0, maximum)
    box.setDecimals(decimals)
    box.setSpecialValueText("—")
    box.setValue(-1.0)
    return box


def _value(box: QDoubleSpinBox) -> float | None:
    return None if box.value() < 0 else box.value()


class ProfileTab(QWidget):
    """The contract's figures in a form; the scoring sheet as JSON; examples and files."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.profile = load_profile(ws)
        self._build()
        self.show_profile(self.profile)

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.addLayout(self._example_row())
        form = QFormLayout()
        self._identity(form)
        self._figures(form)
        self._time(form)
        lay.addLayout(form)
        lay.addWidget(QLabel(tr(_CTX, "Scoring sheet (考核):")))
        self.sheet = SheetEditor(self)
        lay.addWidget(self.sheet, 1)
        self.message = QLabel(objectName="profileMessage")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2 + 4)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        save = QPushButton(tr(_CTX, "Save to the workspace"), objectName="saveProfile")
        save.clicked.connect(self.save)
        row.addStretch(1)
        row.addWidget(save)
        lay.addLayout(row)

    def _example_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.examples = QComboBox(objectName="profileExamples")
        for key, path in shipped_profiles().items():
            self.examples.addItem(load_profile_file(path).name or key, key)
        use = QPushButton(tr(_CTX, "Use example"), objectName="useExample")
        use.clicked.connect(self.use_example)
        imp = QPushButton(tr(_CTX, "Open JSON…"), objectName="openProfile")
        imp.clicked.connect(self.open_file)
        exp = QPushButton(tr(_CTX, "Save JSON…"), objectName="exportProfile")
        exp.clicked.connect(self.export_file)
        row.addWidget(QLabel(tr(_CTX, "Seed contracts:")))
        for w in (self.examples, use, imp, exp):
            row.addWidget(w)
        return row

    def _identity(self, form: QFormLayout) -> None:
        self.name = QLineEdit(objectName="profileName")
        self.start = QDateEdit(objectName="serviceStart", calendarPopup=True)
        self.end = QDateEdit(objectName="serviceEnd", calendarPopup=True)
        iso_dates(self.start, self.end)
        form.addRow(tr(_CTX, "Contract"), self.name)
        form.addRow(tr(_CTX, "Service from"), self.start)
        form.addRow(tr(_CTX, "Service to (last day)"), self.end)

    def _figures(self, form: QFormLayout) -> None:
        self.annual = _optional_number(10_000_000, 0, "annualValid")
        self.monthly = _optional_number(1_000_000, 0, "monthlyValid")
        self.from_month = QSpinBox(objectName="monthlyFrom", minimum=1, maximum=24)
        self.per_day = _optional_number(1000, 1, "perCollectorDay")
        self.on_duty = _optional_number(100_000, 0, "collectorsOnDuty")
        form.addRow(tr(_CTX, "Valid problem reports a year"), self.annual)
        form.addRow(tr(_CTX, "Valid problem reports a month"), self.monthly)
        form.addRow(tr(_CTX, "Monthly floor from service month"), self.from_month)
        self.rates = {}
        for key, label in _rate_labels():
            self.rates[key] = _optional_number(1.0, 3, key)
            form.addRow(label, self.rates[key])
        form.addRow(tr(_CTX, "Valid reports per collector per day"), self.per_day)
        form.addRow(tr(_CTX, "Collectors on duty every day"), self.on_duty)

    def _time(self, form: QFormLayout) -> None:
        self.periods = QLineEdit(objectName="workPeriods")
        self.periods.setPlaceholderText("08:30-12:00, 13:00-17:30")
        self.weekends = QCheckBox(tr(_CTX, "weekends worked"), objectName="weekendsWorked")
        self.holidays = QCheckBox(tr(_CTX, "public holidays worked"), objectName="holidaysWorked")
        row = QHBoxLayout()
        row.addWidget(self.weekends)
        row.addWidget(self.holidays)
        form.addRow(tr(_CTX, "Working time"), self.periods)
        form.addRow("", row)

    # -- profile <-> form -----------------------------------------------------------------
    def show_profile(self, p: ContractProfile) -> None:
        self.profile = p
        self.name.setText(p.name)
        for edit, d in ((self.start, p.service_start), (self.end, p.service_end)):
            edit.setDate(QDate(d.year, d.month, d.day) if d else QDate.currentDate())
        self.annual.setValue(-1 if p.volumes.annual_valid is None else p.volumes.annual_valid)
        self.monthly.setValue(-1 if p.volumes.monthly_valid is None else p.volumes.monthly_valid)
        self.from_month.setValue(p.volumes.monthly_from_month)
        for key, box in self.rates.items():
            v = getattr(p.rates, key)
            box.setValue(-1 if v is None else v)
        self.per_day.setValue(
            -1 if p.rates.per_collector_day is None else p.rates.per_collector_day
        )
        self.on_duty.setValue(-1 if p.collectors_on_duty is None else p.collectors_on_duty)
        self.periods.setText(", ".join(p.working_time.texts))
        self.weekends.setChecked(p.working_time.weekends)
        self.holidays.setChecked(p.working_time.holidays)
        self.sheet.show_sheet(p.sheet)

    def form_profile(self) -> ContractProfile:
        """The profile the form shows; ProfileError (translated) when a part is wrong."""
        p = self.profile
        try:
            wt = WorkingTime.from_texts(
                [t for t in self.periods.text().replace("，", ",").split(",") if t.strip()],
                self.weekends.isChecked(),
                self.holidays.isChecked(),
                p.working_time.holiday_dates,
                p.working_time.workday_dates,
            )
            sheet = self.sheet.sheet()
        except (WorkTimeError, SheetError) as exc:
            raise ProfileError(str(exc)) from exc
        return replace(
            p.with_rates(
                per_collector_day=_value(self.per_day),
                **{k: _value(b) for k, b in self.rates.items()},
            ).with_volumes(
                annual_valid=_int(self.annual),
                monthly_valid=_int(self.monthly),
                monthly_from_month=self.from_month.value(),
            ),
            name=self.name.text().strip(),
            service_start=self.start.date().toPyDate(),
            service_end=self.end.date().toPyDate(),
            collectors_on_duty=_int(self.on_duty),
            working_time=wt,
            sheet=sheet,
        )

    # -- actions --------------------------------------------------------------------------
    def use_example(self) -> None:
        self._load(shipped_profiles()[self.examples.currentData()])

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr(_CTX, "Contract profile"), "", "JSON (*.json)"
        )
        if path:
            self._load(path)

    def _load(self, path: Any) -> None:
        try:
            self.show_profile(load_profile_file(path))
        except ProfileError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(tr(_CTX, "Loaded; save to keep it in the workspace."))

    def export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr(_CTX, "Contract profile"), "", "JSON (*.json)"
        )
        if not path:
            return
        try:
            text = self.form_profile().to_json()
        except ProfileError as exc:
            self.message.setText(str(exc))
            return
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.message.setText(tr(_CTX, "Written to {0}").format(path))

    def save(self) -> None:
        try:
            profile = ContractProfile.from_dict(self.form_profile().to_dict())
        except ProfileError as exc:
            self.message.setText(str(exc))
            return
        save_profile(self.ws, profile)
        self.profile = profile
        self.message.setText(tr(_CTX, "The contract profile is saved in the workspace."))


def _int(box: QDoubleSpinBox) -> int | None:
    v = _value(box)
    return None if v is None else round(v)


class ContractDialog(QDialog):
    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        from .figures_tabs import MissedTab, MonthTab, RosterTab

        super().__init__(parent)
        self.ws = ws
        self.setObjectName("contractDialog")
        self.setWindowTitle(tr(_CTX, "Contract figures"))
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget(objectName="figuresTabs")
        self.profile_tab = ProfileTab(ws, self)
        self.roster_tab = RosterTab(ws, self)
        self.missed_tab = MissedTab(ws, self)
        self.month_tab = MonthTab(ws, self)
        for tab, label in (
            (scrolling(self.profile_tab), tr(_CTX, "Contract")),
            (self.roster_tab, tr(_CTX, "Duty roster")),
            (self.missed_tab, tr(_CTX, "Missed reports (漏报)")),
            (self.month_tab, tr(_CTX, "Month: scores and payment")),
        ):
            self.tabs.addTab(tab, label)
        lay.addWidget(self.tabs)
        self.resize(780, 760)

    def closeEvent(self, event: Any) -> None:
        self.month_tab.cancel()
        self.missed_tab.cancel()
        super().closeEvent(event)
