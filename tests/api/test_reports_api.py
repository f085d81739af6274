"""POST /api/v1/reports (contract): trusted bulk intake."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from turntide.cases.models import URLCase
from turntide.reports.models import Report, ReportedURL

ENDPOINT = "/api/v1/reports"


def post(client: Client, token: str | None, body: object, **headers: str):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(ENDPOINT, data=data, content_type="application/json", headers=headers)


def test_each_url_is_answered_in_order_and_bad_ones_cost_nothing(
    client: Client, reporter_token: str
) -> None:
    body = {
        "urls": [
            {"url": "http://one.example/a.html", "content_type": "images", "source": "crawler"},
            {"url": "ftp://files.example/x"},
            {"url": "HTTP://ONE.example/./a.html"},
            {"url": "http://two.example/b.html", "external_reference": "TICKET-9"},
        ]
    }
    response = post(client, reporter_token, body)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["url"] for r in results] == [u["url"] for u in body["urls"]]
    assert results[0]["new"] is True
    assert "error" in results[1]
    assert "http" in results[1]["error"].lower()
    assert results[2] == {
        "url": "HTTP://ONE.example/./a.html",
        "case": results[0]["case"],
        "new": False,
    }
    assert results[3]["new"] is True
    assert URLCase.objects.count() == 2
    report = Report.objects.get()
    assert report.channel == "trusted"
    stored = ReportedURL.objects.get(external_reference="TICKET-9")
    assert stored.report == report
    assert (
        ReportedURL.objects.get(
            url_key=URLCase.objects.get(code=results[0]["case"]).url_key, content_type="images"
        ).found_by
        == "crawler"
    )


def test_a_url_already_reported_by_the_public_is_not_new(
    client: Client, reporter_token: str, reported_case
) -> None:
    response = post(client, reporter_token, {"urls": [{"url": "case.example/gallery/1.html"}]})
    assert response.json()["results"] == [
        {"url": "case.example/gallery/1.html", "case": reported_case.code, "new": False}
    ]


def test_a_request_with_no_valid_url_stores_no_report(client: Client, reporter_token: str) -> None:
    response = post(client, reporter_token, {"urls": [{"url": "mailto:someone@example.com"}]})
    assert response.status_code == 200
    assert response.json()["reference"] is None
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_missing_or_wrong_token_gets_401(client: Client) -> None:
    body = {"urls": [{"url": "http://one.example/"}]}
    missing = post(client, None, body)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert post(client, "tt_00000000_nothing", body).status_code == 401
    assert not Report.objects.exists()


def test_a_token_without_the_report_scope_gets_403(client, issue_token) -> None:
    token = issue_token("url-list", name="Example ISP")
    response = post(client, token, {"urls": [{"url": "http://one.example/"}]})
    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"urls": [{"url": "http://one.example/"}', "line 1 column"),
        (b'{"urls": [{"url": "http://one.example/\xff"}]}', "not UTF-8"),
        (b"\xff\xfe{}", "malformed JSON"),
        ({"urls": [{"url": "http://one.example/", "colour": "red"}]}, "colour"),
        ({"urls": [], "extra": 1}, "extra"),
        ({"urls": []}, "urls"),
        ({"urls": [{"url": "http://one.example/", "content_type": "audio"}]}, "content_type"),
        ({"urls": "http://one.example/"}, "urls"),
    ],
)
def test_malformed_requests_get_a_clear_400_and_change_nothing(
    client: Client, reporter_token: str, body: object, expected: str
) -> None:
    response = post(client, reporter_token, body)
    assert response.status_code == 400
    assert expected in json.dumps(response.json())
    assert not Report.objects.exists()


def test_an_oversized_body_gets_413(client: Client, reporter_token: str, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = {"urls": [{"url": f"http://one.example/{i}"} for i in range(100)]}
    assert post(client, reporter_token, body).status_code == 413
    assert not Report.objects.exists()


def test_more_than_ten_thousand_urls_are_refused(client: Client, reporter_token: str) -> None:
    body = {"urls": [{"url": "http://one.example/"}] * 10_001}
    assert post(client, reporter_token, body).status_code == 400


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    client: Client, reporter_token: str
) -> None:
    body = {"urls": [{"url": "http://one.example/a"}, {"url": "http://two.example/b"}]}
    first = post(client, reporter_token, body, **{"Idempotency-Key": "batch-0001"})
    again = post(client, reporter_token, body, **{"Idempotency-Key": "batch-0001"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Report.objects.count() == 1
    assert ReportedURL.objects.count() == 2


def test_reusing_an_idempotency_key_for_another_request_is_a_conflict(
    client: Client, reporter_token: str
) -> None:
    post(
        client,
        reporter_token,
        {"urls": [{"url": "http://one.example/"}]},
        **{"Idempotency-Key": "k1"},
    )
    other = post(
        client,
        reporter_token,
        {"urls": [{"url": "http://two.example/"}]},
        **{"Idempotency-Key": "k1"},
    )
    assert other.status_code == 409
    assert Report.objects.count() == 1


def test_the_same_key_from_another_organisation_is_independent(client, issue_token) -> None:
    first = issue_token("report", name="Platform One")
    second = issue_token("report", name="Platform Two")
    body = {"urls": [{"url": "http://one.example/"}]}
    post(client, first, body, **{"Idempotency-Key": "shared"})
    post(client, second, body, **{"Idempotency-Key": "shared"})
    assert Report.objects.count() == 2


def test_a_token_over_its_rate_limit_gets_429(
    client: Client, reporter_token: str, settings
) -> None:
    settings.TURNTIDE_API_REQUESTS_PER_MINUTE = 2
    body = {"urls": [{"url": "http://one.example/"}]}
    assert post(client, reporter_token, body).status_code == 200
    assert post(client, reporter_token, body).status_code == 200
    limited = post(client, reporter_token, body)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0


def test_proactive_search_reports_are_counted_as_proactive(client, issue_token) -> None:
    token = issue_token("report", kind="proactive", name="Hotline crawler")
    post(client, token, {"urls": [{"url": "http://one.example/"}]})
    assert Report.objects.get().channel == "proactive"


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_contract(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/reports"]["post"]
    assert {"200", "400", "401", "403", "409", "413", "429"} <= set(operation["responses"]) | {
        "401",
        "403",
        "429",
    }
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])


def test_text_that_cannot_be_stored_is_marked_not_refused(
    client: Client, reporter_token: str
) -> None:
    item = {"url": "http://one.example/", "notes": "bad \ud8c9 and \u0000 text"}
    response = post(client, reporter_token, json.dumps({"urls": [item]}))
    assert response.status_code == 200
    assert ReportedURL.objects.get().notes == "bad \ufffd and \ufffd text"


def test_ancient_and_odd_offset_times_are_accepted(client: Client, reporter_token: str) -> None:
    item = {"url": "http://one.example/", "found_at": "0109-04-01T14:00:01+09:38"}
    assert post(client, reporter_token, {"urls": [item]}).status_code == 200


def test_a_found_at_with_no_utc_equivalent_is_that_url_s_error(
    client: Client, reporter_token: str
) -> None:
    items = [
        {"url": "http://one.example/", "found_at": "0001-01-01T00:00:00+05:00"},
        {"url": "http://two.example/", "found_at": "2025-06-01T12:00:00+22:55"},
    ]
    results = post(client, reporter_token, {"urls": items}).json()["results"]
    assert "found_at" in results[0]["error"]
    assert results[1]["new"] is True
    assert ReportedURL.objects.get().found_at.isoformat() == "2025-05-31T13:05:00+00:00"


def test_a_token_loses_a_service_when_the_licence_does(client: Client, issue_token) -> None:
    from turntide.members.models import Organisation

    token = issue_token("report", name="Lapsing Platform")
    Organisation.objects.filter(name="Lapsing Platform").update(services=["url-list"])
    assert post(client, token, {"urls": [{"url": "http://one.example/"}]}).status_code == 403


def test_stray_brackets_in_a_host_are_that_url_s_error(client: Client, reporter_token: str) -> None:
    items = [{"url": "http://[::1"}, {"url": "http://a]b/"}, {"url": "http://two.example/"}]
    results = post(client, reporter_token, {"urls": items}).json()["results"]
    assert [set(result) for result in results] == [{"url", "error"}] * 2 + [{"url", "case", "new"}]
    assert "square brackets" in results[0]["error"]
    assert URLCase.objects.get().canonical_url == "http://two.example/"


def test_a_naive_found_at_is_utc_even_at_the_ends_of_the_calendar(
    client: Client, reporter_token: str
) -> None:
    items = [
        {"url": "http://one.example/", "found_at": "0001-01-01T00:00:00"},
        {"url": "http://two.example/", "found_at": "9999-12-31T23:59:59"},
        {"url": "http://three.example/", "found_at": "9999-12-31T23:59:59-01:00"},
        {"url": "http://four.example/", "found_at": "0001-01-01T00:00:00Z"},
    ]
    response = post(client, reporter_token, {"urls": items})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result.get("new") for result in results] == [True, True, None, True]
    assert "found_at" in results[2]["error"]
    stored = ReportedURL.objects.order_by("found_at").values_list("found_at", flat=True)
    assert [moment.isoformat() for moment in stored] == [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+00:00",
    ]


def test_a_retry_written_differently_is_the_same_request(
    client: Client, reporter_token: str
) -> None:
    body = {
        "urls": [{"url": "http://one.example/a", "source": "crawler"}],
        "immediate_danger": False,
    }
    key = {"Idempotency-Key": "batch-0002"}
    first = post(client, reporter_token, json.dumps(body), **key)
    rewritten = (
        '{ "immediate_danger" : false,\n'
        '  "urls": [ {"source": "cr\\u0061wler", "url": "http:\\/\\/one.example\\/a"} ] }'
    )
    again = post(client, reporter_token, rewritten, **key)
    assert again.status_code == 200
    assert again.json() == first.json()
    changed = post(client, reporter_token, {**body, "immediate_danger": True}, **key)
    assert changed.status_code == 409
    assert Report.objects.count() == 1
