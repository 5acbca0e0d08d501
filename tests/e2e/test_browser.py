"""The reports in a real browser: Debian's Chromium, headless, through Playwright.

Each report page (file:// URL) must load without any network request and without console
errors, pass an axe-core scan with no serious or critical violation, render visibly (a screenshot
that is not blank), and fit an A4 page when printed. The report is rendered once per session by
``test_report.sample_report`` and every test here runs in the same xdist worker as that fixture.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from test_report import REPORT_HTML, WELSH_HTML

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("rendered_report"),
]


@pytest.fixture(scope="module")
def browser(chromium):
    """Chromium (conftest): skipped on a developer's machine without it, a failure in CI."""
    return chromium


class Visit:
    """A page opened on one report, with every request and console error recorded."""

    def __init__(self, browser, path: Path, viewport=(1100, 900)):
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, java_script_enabled=True
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri(), wait_until="load")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, sample_report):
    opened = []

    def open_(name: str, **kwargs) -> Visit:
        v = Visit(browser, sample_report / name, **kwargs)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


@pytest.mark.parametrize("name", REPORT_HTML + WELSH_HTML)
def test_the_report_loads_offline_without_errors(visit, name):
    v = visit(name)
    v.page.wait_for_timeout(200)
    assert v.blocked == [], f"{name} asked the network for {v.blocked}"
    assert all(u.startswith(("file:", "data:")) for u in v.requests), v.requests
    assert v.errors == []
    assert v.page.title()
    assert v.page.locator("h1").count() == 1


@pytest.mark.parametrize("name", REPORT_HTML + WELSH_HTML)
def test_no_serious_or_critical_accessibility_violation(visit, name):
    from axe_playwright_python.sync_playwright import Axe

    v = visit(name)
    results = Axe().run(v.page)
    violations = results.response["violations"]
    bad = [(x["id"], x["impact"], len(x["nodes"])) for x in violations if x.get("impact") in ("serious", "critical")]
    assert bad == [], results.generate_report()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("supervision.html", "In December 2019,"),
        ("caseload.html", "the average caseload for qualified social workers was 16.16"),
        ("team_detail/index.html", "Summary by team"),
        ("team_detail/assessment.html", "Assessment: staff on 31 December 2019"),
        ("supervision.cy.html", "Ym mis Rhagfyr 2019,"),
        ("caseload.cy.html", "roedd y llwyth achosion cyfartalog ar gyfer gweithwyr cymdeithasol cymwysedig yn 16.16"),
        ("team_detail/index.cy.html", "Crynodeb yn ôl tîm"),
        ("team_detail/assessment.cy.html", "Assessment: staff ar 31 Rhagfyr 2019"),
    ],
)
def test_the_page_is_not_blank(visit, name, expected):
    from PIL import Image

    v = visit(name)
    assert expected in v.page.inner_text("body")
    assert v.page.evaluate("document.documentElement.lang") == ("cy" if ".cy." in name else "en")
    image = Image.open(io.BytesIO(v.page.screenshot(full_page=False))).convert("L")
    histogram = image.histogram()  # 256 grey levels
    ink = sum(histogram[:200]) / sum(histogram)
    assert ink > 0.05, f"{name}: the screenshot is {ink:.1%} ink: blank?"
    # every chart image decoded and drawn
    for index in range(v.page.locator("img").count()):
        width = v.page.locator("img").nth(index).evaluate("img => img.naturalWidth")
        assert width > 100


@pytest.mark.parametrize("name", REPORT_HTML + WELSH_HTML)
def test_the_report_fits_an_a4_page_when_printed(visit, name):
    # A4 at 96 dpi is 794 px wide; the print margins leave about 690 px.
    v = visit(name, viewport=(690, 1000))
    v.page.emulate_media(media="print")
    overflow = v.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 2, f"{name} is {overflow}px wider than an A4 page"
    pdf = v.page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2


def test_the_network_guard_catches_a_planted_request(browser, tmp_path):
    page_file = tmp_path / "planted.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><h1>t</h1>'
        '<img src="http://example.invalid/x.png" alt="x"></body></html>',
        encoding="utf-8",
    )
    v = Visit(browser, page_file)
    try:
        assert v.blocked == ["http://example.invalid/x.png"]
    finally:
        v.close()
