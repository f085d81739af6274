"""POST /api/v1/reports answers each URL that is not a public web address on its own."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from turntide.cases.models import URLCase

pytestmark = pytest.mark.django_db

JUNK = [
    "hello",
    "not a url at all",
    "http://localhost/x",
    "http://192.168.1.1/admin",
    "http://[::1]/",
]


def test_an_api_batch_answers_each_junk_url_and_keeps_the_good_one(
    client: Client, reporter_token: str
) -> None:
    urls = ["http://fine.example/1", *JUNK]
    response = client.post(
        "/api/v1/reports",
        data=json.dumps({"urls": [{"url": url} for url in urls]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {reporter_token}"},
    )
    results = response.json()["results"]
    assert set(results[0]) == {"url", "case", "new"}
    errors = [result["error"] for result in results[1:]]
    assert [result["url"] for result in results] == urls
    assert errors == [
        '"hello" has no dot: it is a name on one network, not an internet address',
        "the host name is not valid: it has a space or a character that browsers refuse",
        '"localhost" names the computer it is typed on',
        "192.168.1.1 is a private address, not one on the public internet",
        "::1 is a loopback address, not one on the public internet",
    ]
    assert URLCase.objects.count() == 1
