"""The email body as a leadership reader sees it: a short report, readable on a phone and in Outlook."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser

import pytest

from analysis.delivery.command import email_command

from delivery_fixtures import MONTH, reports  # noqa: F401 (fixtures are used by name)


@pytest.fixture
def message(reports):
    assert email_command(MONTH, reports, dry_run=True, environ={}) == 0
    return BytesParser(policy=policy.default).parsebytes((reports / "2019-12" / "email.eml").read_bytes())


def test_the_body_gives_each_figure_with_its_direction_and_the_target(message):
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    for body in (text, re.sub(r"<[^>]+>", " ", page)):
        body = " ".join(body.split())
        assert "82.4%" in body and "(70 of 85)" in body
        assert "▬ The same as November 2019" in body  # the fixture's months all read 82.35%
        assert "✗ 7.6 percentage points below the 90% target" in body
        assert "16.16" in body and "▼ Down 7.64 on Autumn 2018 (23.8)" in body
        assert "75.0% of those due a formal supervision in each month from October 2019 to December 2019" in body
        assert "had one in all three (45 of 60)" in body and "✗ 15.0 percentage points below the 90% target" in body


def test_a_folder_without_regular_supervision_emails_without_that_figure(reports):
    (reports / "2019-12" / "tables" / "regular_supervision.csv").unlink()
    assert email_command(MONTH, reports, dry_run=True, environ={}) == 0
    sent = BytesParser(policy=policy.default).parsebytes((reports / "2019-12" / "email.eml").read_bytes())
    text = sent.get_body(("plain",)).get_content()
    assert "82.4%" in text and "in all three" not in text


def test_the_html_is_outlook_safe(message):
    page = message.get_body(("html",)).get_content()
    assert "<script" not in page.lower() and "<style" not in page.lower()
    assert "data:" not in page and "http" not in page.replace('"http-equiv"', "")
    assert "<img" not in page and "class=" not in page  # every style inline
    assert 'role="presentation"' in page and "max-width:600px" in page
    assert sorted(part.get_filename() for part in message.iter_attachments()) == ["caseload.html", "supervision.html"]


@pytest.mark.browser
@pytest.mark.slow
def test_the_body_reads_well_at_phone_width(message, chromium, tmp_path):
    page_file = tmp_path / "body.html"
    page_file.write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
    context = chromium.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=2, java_script_enabled=True
    )
    try:
        page = context.new_page()
        page.goto(page_file.as_uri(), wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
        size = page.evaluate("getComputedStyle(document.querySelector('p')).fontSize")
        assert float(size.removesuffix("px")) >= 14
        shot = page.screenshot(full_page=True, path=str(tmp_path / "email-phone.png"))
        text = page.inner_text("body")
    finally:
        context.close()
    assert "82.4%" in text and "below the 90% target" in text
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(shot)).convert("L")
    assert image.size[0] == 750 and len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 20  # not blank


def test_a_bilingual_email_is_welsh_first_and_carries_both_languages_reports(reports):
    folder = reports / "2019-12"
    for name in ("supervision", "caseload"):
        (folder / f"{name}.cy.html").write_text('<!DOCTYPE html><html lang="cy"><body>cy</body></html>\n')
    assert email_command(MONTH, reports, dry_run=True, environ={}, lang="both") == 0
    sent = BytesParser(policy=policy.default).parsebytes((folder / "email.eml").read_bytes())
    assert sent["Subject"] == (
        "Adroddiad goruchwyliaeth a llwyth achosion: Rhagfyr 2019 / Supervision and caseload report: December 2019"
    )
    assert [p.get_filename() for p in sent.iter_attachments()] == [
        "supervision.cy.html",
        "caseload.cy.html",
        "supervision.html",
        "caseload.html",
    ]
    text = sent.get_body(("plain",)).get_content()
    assert text.index("Cafodd 82.4% o'r 85 gweithiwr") < text.index("82.4% of the 85 social workers")
    page = sent.get_body(("html",)).get_content()
    assert '<html lang="cy">' in page and '<tr lang="en">' in page


def test_welsh_asked_of_a_report_made_in_english_alone_is_refused(reports, capsys):
    assert email_command(MONTH, reports, dry_run=True, environ={}, lang="cy") == 1
    assert "supervision.cy.html, caseload.cy.html not in" in capsys.readouterr().err
    assert not (reports / "2019-12" / "email.eml").exists()


def test_a_report_made_in_welsh_alone_is_complete_and_emailed_in_welsh(reports):
    import json

    folder = reports / "2019-12"
    for name in ("supervision.html", "caseload.html", "team_detail/index.html"):
        page = folder / name
        page.rename(page.with_name(page.name.replace(".html", ".cy.html")))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({**manifest, "languages": ["cy"]}), encoding="utf-8")
    assert email_command(MONTH, reports, dry_run=True, environ={}) == 0
    sent = BytesParser(policy=policy.default).parsebytes((folder / "email.eml").read_bytes())
    assert sent["Subject"] == "Adroddiad goruchwyliaeth a llwyth achosion: Rhagfyr 2019"
    assert [p.get_filename() for p in sent.iter_attachments()] == ["supervision.cy.html", "caseload.cy.html"]
