"""The annual report as a PDF, drawn on the server (fpdf2, pure Python: no browser needed).

It holds what the printable page holds, every row and series: the headline figures against
the year before (the same span of it while the year runs), the trend over the years as a bar
chart of each series with its table, and every hosting country. Tables print dark on white
with a light heading row, numbers grouped as the page groups them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace

if TYPE_CHECKING:
    from turntide.insights.charts import Chart
    from turntide.insights.views import AnnualReport

MARGIN = 18  # millimetres
CHART_HEIGHT = 60
WHITE = (255, 255, 255)
HEADING_FILL = (226, 233, 240)  # a light blue-grey: black text on it prints legibly
HEADINGS = FontFace(emphasis="BOLD", color=(0, 0, 0), fill_color=HEADING_FILL)


# Dashes, curly quotes and the ellipsis, spelt in Latin-1.
PUNCTUATION = {
    "\u2013": "-",
    "\u2014": "-",
    "\u201c": '"',
    "\u201d": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u2026": "...",
}


def latin1(text: object) -> str:
    """The PDF's built-in fonts cover Latin-1; other letters lose their accents, and what
    has no Latin-1 spelling becomes "?", rather than failing the download.

    >>> latin1("Zoë \u2013 \u201cself-generated\u201d \u2265 10, Łódź")
    'Zoë - "self-generated" ? 10, ?ódz'
    """
    out = []
    for char in str(text):
        if ord(char) > 0xFF:
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            fits = plain and max(map(ord, plain)) <= 0xFF
            char = PUNCTUATION.get(char) or (plain if fits else "?")
        out.append(char)
    return "".join(out)


def _number(value: object, unit: str = "") -> str:
    """Counts grouped and shares with one decimal, as the active language writes them; a
    change (with `unit`) signed."""
    if value is None:
        return _("n/a")
    if isinstance(value, float):
        text = formats.number_format(value, 1, use_l10n=True, force_grouping=True)
        return f"+{text}{unit}" if unit and value > 0 else f"{text}{unit}"
    if isinstance(value, int):
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True) + unit
    return str(value)


def _table(pdf: FPDF, heading: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A table of every row given, across pages as needed (the heading repeats)."""
    pdf.set_font("helvetica", size=9)
    pdf.set_text_color(0)
    pdf.set_fill_color(*WHITE)  # fpdf2 fills cells with the colour current at the table's start
    align = ("LEFT", *["RIGHT"] * (len(heading) - 1))
    widths = (2, *[1] * (len(heading) - 1))  # the first column names the row: give it room
    with pdf.table(
        text_align=align, col_widths=widths, headings_style=HEADINGS, line_height=5
    ) as table:
        table.row([latin1(cell) for cell in heading])
        for row in rows:
            table.row([latin1(cell) for cell in row])
    pdf.ln(4)


def _heading(pdf: FPDF, text: str) -> None:
    """A section heading, on a new page when too little room is left for what follows."""
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.set_font("helvetica", style="B", size=13)
    pdf.cell(text=latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _bar_chart(pdf: FPDF, chart: Chart) -> None:
    """Each category's bars side by side, one per series in the page's colours, scaled to the
    largest value, with a legend; the numbers are in the table that follows."""
    values = [[value or 0 for value in series.values] for series in chart.series]
    top = max((max(row, default=0) for row in values), default=0) or 1
    if pdf.will_page_break(CHART_HEIGHT + 20):
        pdf.add_page()
    left, slot = pdf.l_margin, pdf.epw / max(len(chart.categories), 1)
    base = pdf.get_y() + CHART_HEIGHT
    bar = slot * 0.8 / max(len(values), 1)
    colours = [_rgb(colour) for _name, colour in chart.legend] or [_rgb("#0072b2")]
    pdf.set_font("helvetica", size=7)
    pdf.set_draw_color(120)
    pdf.line(left, base, left + pdf.epw, base)
    for position, label in enumerate(chart.categories):
        x = left + position * slot + slot * 0.1
        for index, row in enumerate(values):
            pdf.set_fill_color(*colours[index % len(colours)])
            height = CHART_HEIGHT * row[position] / top
            pdf.rect(x + index * bar, base - height, bar, height, style="F")
        pdf.text(x, base + 4, latin1(label))
    pdf.set_y(base + 7)
    for (name, _colour), colour in zip(chart.legend, colours, strict=False):
        pdf.set_fill_color(*colour)
        pdf.rect(pdf.get_x(), pdf.get_y() + 1, 3, 3, style="F")
        pdf.set_x(pdf.get_x() + 4)
        pdf.cell(text=latin1(name) + "    ")
    pdf.set_fill_color(*WHITE)
    pdf.ln(8)


def _headline_rows(report: AnnualReport) -> list[Sequence[object]]:
    """The rows of the page's headline table, in its order."""
    now, earlier, changes = report.now, report.earlier, report.changes
    share = report.judgements.self_generated_share
    return [
        [
            _("Reports received"),
            _number(now.reports_received),
            _number(earlier.reports_received),
            _number(changes.reports_received, "%"),
        ],
        [
            _("URLs assessed"),
            _number(now.reports_assessed),
            _number(earlier.reports_assessed),
            _number(changes.reports_assessed, "%"),
        ],
        [
            _("URLs actioned"),
            _number(now.urls_actioned),
            _number(earlier.urls_actioned),
            _number(changes.urls_actioned, "%"),
        ],
        [
            report.self_generated_label,
            f"{_number(now.self_generated)} ({_share(share)})",
            _number(earlier.self_generated),
            _number(changes.self_generated, "%"),
        ],
        [
            _("Public reports that were criminal"),
            _share(now.public_criminal_share),
            _share(earlier.public_criminal_share),
            _number(changes.public_criminal_share, " pts"),
        ],
        *(
            [_("Category %(category)s") % {"category": category}, _number(count), "", ""]
            for category, count in report.judgements.by_category.items()
        ),
        [_("Median time to removal"), report.removal_median, "", ""],
        [_("90th percentile time to removal"), report.removal_p90, "", ""],
    ]


def _share(value: float | None) -> str:
    return _("n/a") if value is None else _number(value) + "%"


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The PDF of the annual report page (`insights.views.annual_report_of`)."""
    year, period = report.year, report.period
    pdf = FPDF(format="A4")
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.set_title(latin1(_("Annual report %(year)s") % {"year": year}))
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=18)
    pdf.cell(text=latin1(_("Annual report %(year)s") % {"year": year}), new_x="LMARGIN")
    pdf.ln(12)
    if period.until is not None:
        pdf.set_font("helvetica", size=10)
        note = _(
            "%(period)s: the year is still running, so it is compared with the same span of "
            "the year before, %(earlier)s."
        ) % {"period": period.title, "earlier": report.earlier_period.title}
        pdf.multi_cell(0, text=latin1(note), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    _heading(pdf, _("Headline figures"))
    heading = [_("Figure"), period.title, report.earlier_period.title, _("Change")]
    _table(pdf, heading, _headline_rows(report))

    trend = report.trend_chart
    _heading(pdf, _("Trends over the years"))
    pdf.set_font("helvetica", size=9)
    pdf.cell(text=latin1(trend.title), new_x="LMARGIN", new_y="NEXT")
    _bar_chart(pdf, trend)
    _table(
        pdf,
        [trend.category_heading, *(series.name for series in trend.series)],
        [[category, *values] for category, values in trend.rows],
    )

    _heading(pdf, _("Hosting countries"))
    _table(
        pdf,
        [_("Country (ISO 3166-1)"), _("URLs actioned"), _("Share")],
        [
            [country or _("not recorded"), _number(count), _share(share)]
            for country, count, share in report.countries
        ]
        or [[_("No URLs actioned this year."), "", ""]],
    )
    pdf.set_font("helvetica", size=8)
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M")
    pdf.multi_cell(
        0,
        text=latin1(
            _(
                "Computed from Turntide's records on %(when)s; each URL counted once, "
                "by its standing judgement."
            )
            % {"when": generated}
        ),
    )
    return bytes(pdf.output())
