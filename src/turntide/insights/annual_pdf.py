"""The annual report as a PDF, drawn on the server (fpdf2, pure Python: no browser needed).

It holds what the printable page holds: the headline figures against the year before, the
trend over the years as a bar chart with its table, and the hosting countries.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from fpdf import FPDF

if TYPE_CHECKING:
    from turntide.insights.views import AnnualReport

MARGIN = 18  # millimetres
CHART_HEIGHT = 60
BAR_COLOUR = (31, 95, 139)
MAX_COUNTRIES = 25


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
    if value is None:
        return _("n/a")
    if isinstance(value, float):
        return f"{value:+.1f}{unit}" if unit else f"{value:.1f}"
    return f"{value:,}{unit}" if isinstance(value, int) else str(value)


def _table(pdf: FPDF, heading: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    pdf.set_font("helvetica", size=9)
    with pdf.table(text_align=("LEFT", *["RIGHT"] * (len(heading) - 1))) as table:
        table.row([latin1(cell) for cell in heading])
        for row in rows:
            table.row([latin1(cell) for cell in row])
    pdf.ln(4)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("helvetica", style="B", size=13)
    pdf.cell(text=latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _bar_chart(pdf: FPDF, counts: dict[str, int], caption: str) -> None:
    """Bars labelled by their category, scaled to the largest."""
    top = max(counts.values(), default=0) or 1
    left, width = pdf.l_margin, pdf.epw
    base = pdf.get_y() + CHART_HEIGHT
    slot = width / max(len(counts), 1)
    pdf.set_font("helvetica", size=7)
    pdf.set_fill_color(*BAR_COLOUR)
    for position, (label, value) in enumerate(counts.items()):
        height = CHART_HEIGHT * value / top
        x = left + position * slot
        pdf.rect(x + slot * 0.15, base - height, slot * 0.7, height, style="F")
        pdf.text(x + slot * 0.15, base + 4, latin1(label))
        pdf.text(x + slot * 0.15, base - height - 1, f"{value:,}")
    pdf.set_y(base + 8)
    pdf.set_font("helvetica", size=8)
    pdf.cell(text=latin1(caption), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The PDF of the annual report page (`insights.views.annual_report_of`)."""
    year, now, earlier, changes = report.year, report.now, report.earlier, report.changes
    pdf = FPDF(format="A4")
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.set_title(latin1(_("Annual report %(year)s") % {"year": year}))
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=18)
    pdf.cell(text=latin1(_("Annual report %(year)s") % {"year": year}), new_x="LMARGIN")
    pdf.ln(12)

    _heading(pdf, _("Headline figures"))
    rows: list[Sequence[object]] = [
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
            _number(now.self_generated),
            _number(earlier.self_generated),
            _number(changes.self_generated, "%"),
        ],
        *(
            [_("Category %(category)s") % {"category": category}, _number(count), "", ""]
            for category, count in report.judgements.by_category.items()
        ),
        [_("Median time to removal"), report.removal_median, "", ""],
        [_("90th percentile time to removal"), report.removal_p90, "", ""],
    ]
    _table(pdf, [_("Figure"), str(year), str(year - 1), _("Change")], rows)

    trend = report.trend_chart
    _heading(pdf, _("Trends over the years"))
    _bar_chart(
        pdf,
        {str(year): counts.urls_actioned for year, counts in report.trend.items()},
        f"{trend.title}: {_('actioned')}",
    )
    _table(
        pdf,
        [trend.category_heading, *(series.name for series in trend.series)],
        [
            [category, *(_number(series.values[i]) for series in trend.series)]
            for i, category in enumerate(trend.categories)
        ],
    )

    _heading(pdf, _("Hosting countries"))
    countries = report.countries[:MAX_COUNTRIES]
    _table(
        pdf,
        [_("Country (ISO 3166-1)"), _("URLs actioned"), _("Share")],
        [
            [country or _("not recorded"), _number(count), _number(share) + "%"]
            for country, count, share in countries
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
