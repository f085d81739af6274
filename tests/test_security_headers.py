"""Every page carries the strict policy: nothing inline, nothing from another host."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/report/", "/accounts/login/"])
def test_pages_carry_a_strict_content_security_policy(client: Client, path: str) -> None:
    response = client.get(path)
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_templates_have_no_inline_script_or_style(client: Client) -> None:
    from pathlib import Path

    import turntide

    templates = Path(turntide.__file__).parent / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text()
        assert "<style" not in text, template
        assert " style=" not in text, template
        for line in text.splitlines():
            if "<script" in line:
                assert "src=" in line, f"inline script in {template}"
