"""Charts of a SELECT answer, laid out here and drawn as SVG by ``templates/result_views.svg``.

Two views a researcher reaches for besides the table, offered only when the answer fits them:
a **bar chart** when a column holds numbers (counts, figures) and another names what they
count, and a **timeline** when a column holds dates (``xsd:date``, ``dateTime``, ``gYear``,
``gYearMonth``). The geometry is computed here, so the template only places what it is given,
and the same SVG is shown in the page (no JavaScript needed) and downloaded from
``/query/chart.svg``. Nothing is fetched from anywhere.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pyoxigraph as ox

from rograph.namespaces import PREFIXES

XSD = PREFIXES["xsd"]
NUMBERS = {
    XSD + name
    for name in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
DATES = {XSD + name for name in ("date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth")}
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

#: Most rows a chart draws; a larger answer is a table (and a download).
MOST_BARS = 40
MOST_EVENTS = 100

WIDTH = 720
ROW = 24
LABEL_WIDTH = 260
LABEL_CHARACTERS = 38


@dataclass(frozen=True)
class Mark:
    """One bar or one event: its label (and link), the value as shown, and where it goes."""

    label: str
    href: str | None
    shown: str
    x: float
    y: float
    width: float = 0.0
    anchor: str = "start"


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    """A laid-out chart: ``kind`` is ``bar`` or ``timeline``."""

    kind: str
    title: str
    marks: list[Mark]
    ticks: list[Tick]
    width: int
    height: int
    axis_y: float


def views(columns: list[str], raw: list[tuple], shown: list[list]) -> dict[str, Chart]:
    """The charts this answer fits, by kind (possibly none). ``raw`` holds pyoxigraph terms,
    ``shown`` the same cells as the page shows them (labels, formatted literals)."""
    found: dict[str, Chart] = {}
    numbers = _column_where(columns, raw, NUMBERS, _amount)
    label = _label_column(columns, raw, numbers)
    if numbers is not None and label is not None and len(raw) <= MOST_BARS:
        found["bar"] = _bar_chart(columns[numbers], raw, shown, numbers, label)
    dates = _column_where(columns, raw, DATES, _year)
    if dates is not None and len(raw) <= MOST_EVENTS:
        found["timeline"] = _timeline(columns[dates], raw, shown, dates, _label_column(columns, raw, dates))
    return found


def _column_where(columns: list[str], raw: list[tuple], datatypes: set[str], read) -> int | None:
    """The first column whose every cell is a literal of one of ``datatypes`` that ``read``
    can place (an ill-typed ``"abc"^^xsd:integer`` or an infinite double cannot be drawn)."""
    if not raw:
        return None
    for index in range(len(columns)):
        if all(
            isinstance(row[index], ox.Literal)
            and row[index].datatype.value in datatypes
            and read(row[index]) is not None
            for row in raw
        ):
            return index
    return None


def _amount(term: ox.Literal) -> float | None:
    try:
        amount = float(term.value)
    except ValueError:
        return None
    return amount if math.isfinite(amount) else None


def _label_column(columns: list[str], raw: list[tuple], skip: int | None) -> int | None:
    """The first column other than ``skip`` with a value in every row."""
    return next((i for i in range(len(columns)) if i != skip and all(row[i] is not None for row in raw)), None)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def _bar_chart(title: str, raw: list[tuple], shown: list[list], value: int, label: int) -> Chart:
    amounts = _placed([_amount(row[value]) for row in raw])
    largest = max([*amounts, 0.0]) or 1.0
    room = WIDTH - LABEL_WIDTH - 60
    marks = [
        Mark(
            _short(shown[i][label].text),
            shown[i][label].href,
            shown[i][value].text,
            x=LABEL_WIDTH,
            y=20 + i * ROW,
            width=max(0.0, amount) / largest * room,
        )
        for i, amount in enumerate(amounts)
    ]
    return Chart("bar", title, marks, [], WIDTH, 20 + len(marks) * ROW + 10, 0.0)


def _placed(values: list[float | None]) -> list[float]:
    """The values of a column :func:`_column_where` chose: every one of them reads."""
    placed = [value for value in values if value is not None]
    assert len(placed) == len(values)
    return placed


def _year(term: ox.Literal) -> float | None:
    """A date as a fractional year, for placing it on the axis (None if it is no date)."""
    match = _DATE.match(term.value)
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    return year + (month - 1) / 12 + (day - 1) / 365


def _timeline(title: str, raw: list[tuple], shown: list[list], date: int, label: int | None) -> Chart:
    years = _placed([_year(row[date]) for row in raw])
    first, last = int(min(years)), int(max(years)) + 1
    span = last - first
    left, right = 30, WIDTH - 30
    place = lambda year: left + (year - first) / span * (right - left)  # noqa: E731
    marks = []
    for i, year in enumerate(years):
        x = place(year)
        text = _short(shown[i][label].text) if label is not None else ""
        anchor = "start" if x < WIDTH / 2 else "end"
        marks.append(
            Mark(
                text,
                shown[i][label].href if label is not None else None,
                shown[i][date].text,
                x=x,
                y=20 + i * ROW,
                anchor=anchor,
            )
        )
    step = max(1, round(span / 10))
    ticks = [Tick(place(year), str(year)) for year in range(first, last + 1, step)]
    axis_y = 20 + len(marks) * ROW
    return Chart("timeline", title, marks, ticks, WIDTH, int(axis_y + 30), axis_y)
