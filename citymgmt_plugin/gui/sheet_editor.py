"""The scoring sheet (考核) as a form: base score, a deduction per unit and its cap for each
item, the monthly fee and the payment bands."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.reporting.sheet import (
    COLLECTOR_ITEMS,
    CONTRACTOR_ITEMS,
    Band,
    Deduction,
    ScoringSheet,
    SheetError,
)

_CTX = "Figures"


def item_label(name: str) -> str:
    return {
        "missed": tr(_CTX, "per confirmed missed report (漏报)"),
        "wrong": tr(_CTX, "per wrong report (错报)"),
        "late_verify": tr(_CTX, "per late verification task (核实)"),
        "late_check": tr(_CTX, "per late check task (核查)"),
        "route_deviation": tr(_CTX, "per day off the prescribed route"),
        "absence": tr(_CTX, "per day absent"),
        "shortfall": tr(_CTX, "per valid report short of the daily rate"),
        "volume_shortfall": tr(_CTX, "contractor: per % short of the monthly floor"),
        "rate_shortfall": tr(_CTX, "contractor: per percentage point a rate falls short"),
    }.get(name, name)


def _number(maximum: float, decimals: int = 2) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(-1.0, maximum)
    box.setDecimals(decimals)
    box.setSpecialValueText("—")
    return box


class SheetEditor(QWidget):
    ITEMS = COLLECTOR_ITEMS + CONTRACTOR_ITEMS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("sheetEditor")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(
            QLabel(
                tr(
                    _CTX,
                    "The seeds give no deduction figures: the shipped ones are "
                    "examples; enter the city's own.",
                )
            )
        )
        self.table = QTableWidget(len(self.ITEMS), 3, objectName="sheetTable")
        self.table.setHorizontalHeaderLabels(
            [tr(_CTX, "Deduction"), tr(_CTX, "Points"), tr(_CTX, "Cap a month")]
        )
        self.boxes: dict[str, tuple[QDoubleSpinBox, QDoubleSpinBox]] = {}
        for row, name in enumerate(self.ITEMS):
            self.table.setItem(row, 0, QTableWidgetItem(item_label(name)))
            points, cap = _number(1000.0), _number(1000.0)
            self.table.setCellWidget(row, 1, points)
            self.table.setCellWidget(row, 2, cap)
            self.boxes[name] = (points, cap)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        rows = self.table.verticalHeader().length() + self.table.horizontalHeader().height()
        self.table.setMinimumHeight(rows + 4)
        lay.addWidget(self.table, 1)
        form = QFormLayout()
        self.base = _number(1000.0, 1)
        self.fee = _number(1e9, 2)
        self.off_share = _number(1.0, 2)
        self.bands = QLineEdit(objectName="bandsEdit")
        self.bands.setPlaceholderText("95=100%, 90=98%, 80=95%, 0=80%")
        form.addRow(tr(_CTX, "Base score"), self.base)
        form.addRow(tr(_CTX, "Off route above (share of the day's patrol)"), self.off_share)
        form.addRow(tr(_CTX, "Monthly fee"), self.fee)
        form.addRow(tr(_CTX, "Payment bands (score=share paid)"), self.bands)
        lay.addLayout(form)
        self.note = ""

    def show_sheet(self, sheet: ScoringSheet) -> None:
        self.note = sheet.note
        for name, (points, cap) in self.boxes.items():
            d = sheet.collector.get(name) or sheet.contractor.get(name)
            points.setValue(-1 if d is None else d.points)
            cap.setValue(-1 if d is None or d.cap is None else d.cap)
        self.base.setValue(sheet.base_score)
        self.fee.setValue(sheet.monthly_fee)
        self.off_share.setValue(sheet.item("route_deviation").off_share)
        self.bands.setText(", ".join(f"{b.min_score:g}={b.share * 100:g}%" for b in sheet.bands))

    def sheet(self) -> ScoringSheet:
        """The sheet the form shows; SheetError (translated) when the bands cannot be read."""
        items: dict[str, dict[str, Deduction]] = {"c": {}, "k": {}}
        for name, (points, cap) in self.boxes.items():
            if points.value() < 0:
                continue
            d = Deduction(
                points.value(),
                None if cap.value() < 0 else cap.value(),
                max(self.off_share.value(), 0.0),
            )
            items["c" if name in COLLECTOR_ITEMS else "k"][name] = d
        return ScoringSheet(
            base_score=max(self.base.value(), 0.0),
            collector=items["c"],
            contractor=items["k"],
            monthly_fee=max(self.fee.value(), 0.0),
            bands=self._bands(),
            note=self.note,
        )

    def _bands(self) -> tuple[Band, ...]:
        bands = []
        for part in self.bands.text().replace("，", ",").split(","):
            if not part.strip():
                continue
            score, _, share = part.partition("=")
            try:
                bands.append(Band(float(score), float(share.strip().rstrip("%")) / 100.0))
            except ValueError:
                raise SheetError(
                    tr(_CTX, "Cannot read the payment band {0!r}: write 90=98%.").format(part)
                ) from None
        return tuple(bands) or (Band(0.0, 1.0),)
