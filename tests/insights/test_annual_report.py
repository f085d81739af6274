"""The annual report and the dashboard read right: to date, no report of zeros, every row of
the page in a PDF that prints legibly, numbers grouped, and each year counted once."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from itertools import count
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from tests.insights.test_statistics import decided
from turntide.cases.models import Assessment, URLCase

_numbers = count()
COUNTRIES = [f"{a}{b}" for a in "ABCDEFG" for b in "QXZ"] + ["NL", "US", "BG", "RO", "SK"]


def many_decided(n: int, assessed_at: datetime, **grading: str) -> None:
    """`n` criminal judgements at once, stored as a historical import stores them."""
    urls = [f"http://bulk{next(_numbers)}.example/{i}.html" for i in range(n)]
    cases = URLCase.objects.bulk_create(
        URLCase(
            url_key=hashlib.sha256(url.encode()).hexdigest(),
            canonical_url=url,
            status=URLCase.Status.ACTIONED,
            actioned_at=assessed_at,
        )
        for url in urls
    )
    Assessment.objects.bulk_create(
        Assessment(case=case, assessed_at=assessed_at, outcome="criminal", decisive=True, **grading)
        for case in cases
    )


@pytest.fixture
def big_year(db: None) -> None:
    """2021: 1,234 actioned URLs hosted in NL and one in each of 25 other countries (more
    than the PDF used to hold); 2020: one."""
    many_decided(1234, datetime(2021, 3, 3, tzinfo=UTC), category="C", hosting_country="NL")
    for number, country in enumerate(c for c in COUNTRIES if c != "NL"):
        decided(datetime(2021, 4, 1 + number % 28, tzinfo=UTC), hosting_country=country)
    decided(datetime(2020, 5, 1, tzinfo=UTC), category="B")


class _Rows(HTMLParser):
    """The text of each table row of a page, cell by cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Rows()
    parser.feed(html)
    return [[cell for cell in row if cell] for row in parser.rows if any(row)]


def pdf_lines(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [" ".join(line.split()) for line in text.splitlines()]


def test_every_row_of_the_page_is_in_the_pdf(client: Client, manager, big_year, tmp_path) -> None:
    client.force_login(manager)
    rows = table_rows(client.get("/insights/annual/2021/").content.decode())
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get("/insights/annual/2021.pdf").content)
    lines = pdf_lines(pdf)
    assert len(rows) > 26 + 10  # every country, the headline figures and the trend
    for row in rows:
        # Each row of the page is a line of the PDF (a long heading may wrap: its first word).
        first, *rest = row
        pattern = re.escape(first.split()[0]) + ".*" + ".*".join(map(re.escape, rest))
        assert any(re.search(pattern, line) for line in lines), row
    assert any(re.fullmatch(r"NL 1,234 98\.0%", line) for line in lines)
    assert any(line.startswith("year assessed actioned Self-generated") for line in lines)


def test_the_pdf_tables_print_dark_on_light(
    client: Client, manager, big_year, tmp_path: Path
) -> None:
    client.force_login(manager)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get("/insights/annual/2021.pdf").content)
    words = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    checked = 0
    for number, page_words in enumerate(words.split("<page ")[1:]):
        image = Image.open(pages[number]).convert("L")
        for x0, y0, x1, y1, word in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', page_words
        ):
            if word not in COUNTRIES and word not in ("year", "2020", "2021"):
                continue
            left, top, right, bottom = (round(float(v)) for v in (x0, y0, x1, y1))
            pixels = sorted(image.crop((left - 2, top, right + 2, bottom)).tobytes())
            # Text covers a minority of its box: the median pixel is the background.
            assert pixels[len(pixels) // 2] > 200, f"{word}: dark behind its text"
            checked += 1
    assert checked > 26


def test_a_year_without_data_says_so_instead_of_a_report_of_zeros(
    client: Client, manager, big_year
) -> None:
    client.force_login(manager)
    response = client.get("/insights/annual/2012/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No data for 2012" in html
    assert 'href="/insights/annual/2021/"' in html
    assert "Reports received" not in html
    assert client.get("/insights/annual/2012.pdf").status_code == 404


def test_a_future_year_has_no_report(client: Client, manager, big_year) -> None:
    client.force_login(manager)
    future = timezone.localdate().year + 4
    response = client.get(f"/insights/annual/{future}/")
    assert response.status_code == 404
    assert "has not begun yet" in response.content.decode()
    assert client.get(f"/insights/annual/{future}.pdf").status_code == 404
    dashboard = client.get("/insights/", {"period": str(future)})
    assert dashboard.status_code == 200
    assert 'id="no-data"' in dashboard.content.decode()
    assert "charts" not in dashboard.context


def test_the_running_year_is_labelled_to_date_and_compared_with_the_same_span(
    client: Client, manager, db: None
) -> None:
    today = timezone.localdate()
    if (today.month, today.day) == (12, 31):
        pytest.skip("on the last day of the year, the whole year is the span")
    noon = timezone.make_aware(datetime(today.year, today.month, today.day, 12))
    last_year_in_span = noon.replace(year=today.year - 1, month=1, day=1)
    last_year_after = timezone.make_aware(datetime(today.year - 1, 12, 31, 12))
    decided(noon - timedelta(hours=1) if noon.hour else noon)
    decided(last_year_in_span)
    decided(last_year_after)
    client.force_login(manager)

    response = client.get("/insights/", {"period": str(today.year)})
    html = response.content.decode()
    assert response.context["earlier"].urls_actioned == 1  # not the December one
    assert response.context["changes"].urls_actioned == 0.0
    assert f"{today.year} to date (1 Jan" in html

    report = client.get(f"/insights/annual/{today.year}/")
    assert report.context["report"].earlier.urls_actioned == 1
    assert 'id="to-date"' in report.content.decode()
    # The year before is whole when it is the one asked for.
    assert (
        client.get(f"/insights/annual/{today.year - 1}/").context["report"].now.urls_actioned == 2
    )


def test_numbers_are_grouped_in_thousands(client: Client, manager, big_year) -> None:
    client.force_login(manager)
    dashboard = client.get("/insights/", {"period": "2021"}).content.decode()
    assert '<span class="glance-value">1,259</span>' in dashboard
    assert '<td class="number" id="urls-actioned">1,259</td>' in dashboard
    assert '<td class="number">1,234</td>' in dashboard  # a chart's table
    annual = client.get("/insights/annual/2021/").content.decode()
    assert '<td class="number" id="annual-actioned">1,259</td>' in annual


def test_the_dashboard_counts_each_year_once(client: Client, manager, big_year) -> None:
    """The year's own counts feed the trend, and the year before comes from the trend."""
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        client.get("/insights/", {"period": "2021"})
    # Counted from the judgements (SQLite) or from PostgreSQL's per-day counts.
    counted = [
        q["sql"]
        for q in queries.captured_queries
        if "reports_assessed" in q["sql"] or "{outcome,category,self_generated}" in q["sql"]
    ]
    assert len(counted) == 2  # 2021 itself, then the years before it in one query
    # All time, only the queue's open cases: no count over every case and every report.
    everything = [q["sql"] for q in queries.captured_queries if "WHERE" not in q["sql"]]
    assert not [sql for sql in everything if "COUNT" in sql], everything
