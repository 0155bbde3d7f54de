"""How values read on a page, in the reader's language: dates, months, years, numbers,
approximate figures, booleans. Pure functions of a literal and a language, tested without a
server; anything not recognised is shown as written."""

from __future__ import annotations

from datetime import date

from rograph.namespaces import XSD

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    # Latvian dates use the genitive after a day ("6. februārī" in running text); pages show
    # the nominative form used in tables and headings: "2020. gada 6. februāris".
    "lv": (
        "janvāris",
        "februāris",
        "marts",
        "aprīlis",
        "maijs",
        "jūnijs",
        "jūlijs",
        "augusts",
        "septembris",
        "oktobris",
        "novembris",
        "decembris",
    ),
    "et": (
        "jaanuar",
        "veebruar",
        "märts",
        "aprill",
        "mai",
        "juuni",
        "juuli",
        "august",
        "september",
        "oktoober",
        "november",
        "detsember",
    ),
}
_ABOUT = {"en": "about {}", "lv": "ap {}", "et": "umbes {}"}
_BOOLEANS = {"en": ("no", "yes"), "lv": ("nē", "jā"), "et": ("ei", "jah")}


def format_date(value: str, lang: str) -> str:
    """``2020-02-06`` as "6 February 2020", "2020. gada 6. februāris" or "6. veebruar 2020"."""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    month = _MONTHS.get(lang, _MONTHS["en"])[day.month - 1]
    if lang == "lv":
        return f"{day.year}. gada {day.day}. {month}"
    if lang == "et":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_year_month(value: str, lang: str) -> str:
    """``2020-03`` as "March 2020", "2020. gada marts" or "märts 2020"."""
    year, _, month = value.partition("-")
    if not (year.isdigit() and month[:2].isdigit() and 1 <= int(month[:2]) <= 12):
        return value
    name = _MONTHS.get(lang, _MONTHS["en"])[int(month[:2]) - 1]
    if lang == "lv":
        return f"{year}. gada {name}"
    return f"{name} {year}" if lang == "et" else f"{name.capitalize()} {year}"


def format_number(value: str, lang: str) -> str:
    """Digits grouped as the language writes them: 12,500 / 12 500."""
    try:
        number = int(value)
    except ValueError:
        return value
    grouped = f"{number:,}"
    return grouped if lang == "en" else grouped.replace(",", "\u00a0")


def format_literal(value: str, datatype: str | None, lang: str, *, approximate: bool = False) -> str:
    """A literal as a reader expects it. ``approximate`` marks a figure the source gives as
    "about" (rg:isApproximate), shown as "about 160" / "ap 160" / "umbes 160"."""
    if datatype == XSD + "date":
        text = format_date(value, lang)
    elif datatype == XSD + "gYearMonth":
        text = format_year_month(value, lang)
    elif datatype == XSD + "boolean":
        text = _BOOLEANS.get(lang, _BOOLEANS["en"])[value in ("true", "1")]
    elif datatype in (XSD + "integer", XSD + "nonNegativeInteger", XSD + "int", XSD + "long"):
        text = format_number(value, lang)
    else:
        text = value
    return _ABOUT.get(lang, _ABOUT["en"]).format(text) if approximate else text


def format_size(byte_count: int, lang: str) -> str:
    """A file size as people read it: "830 B", "12.3 kB", "4.1 MB" (SI units, as browsers
    and file managers show downloads); a decimal comma in lv and et."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if byte_count >= factor:
            text = f"{byte_count / factor:.1f} {unit}"
            return text if lang == "en" else text.replace(".", ",")
    return f"{byte_count} B"
