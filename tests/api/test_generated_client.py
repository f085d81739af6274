"""A client generated from our OpenAPI schema by openapi-python-client works as generated.

Members generate clients rather than take ours; the generator drops what it cannot type (a
response whose model name clashes, an undeclared status) and parses every declared answer by
its media type, so the schema must declare each status and format truthfully.
"""

from __future__ import annotations

import csv
import importlib
import io
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.members.test_url_list import actioned, token_for
from turntide.hashes.actions import checked_hash, do_add_hashes, do_create_source
from turntide.members.actions import do_set_list_key
from turntide.members.lists import do_publish_url_list
from turntide.members.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def generated(
    live_server, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> ModuleType:
    """The client package generated from the served schema; any generator warning fails."""
    where = tmp_path_factory.mktemp("generated")
    config = where / "config.yaml"
    # No formatter runs on the generated code; the server's first answer imports every view,
    # which on a busy machine takes longer than the generator's default 5 s.
    config.write_text("post_hooks: []\nhttp_timeout: 120\n")
    with django_db_blocker.unblock():  # the server's request signals touch the connection
        run = _generate(f"{live_server.url}/api/v1/openapi.json", config, where / "turntide_client")
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Warning" not in output, output
    sys.path.insert(0, str(where))
    yield importlib.import_module("turntide_client")
    sys.path.remove(str(where))


def _generate(schema_url: str, config: Path, package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            GENERATOR,
            "generate",
            "--url",
            schema_url,
            "--meta",
            "none",
            "--config",
            config,
            "--output-path",
            package,
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def connect(generated: ModuleType, server: str, token: str):
    return generated.AuthenticatedClient(base_url=server, token=token)


def test_it_posts_reports_and_reads_a_delta(generated: ModuleType, live_server, analyst) -> None:
    from turntide_client.api.lists import url_list
    from turntide_client.api.reports import submit_reports
    from turntide_client.models import ReportIn, URLAccepted, URLIn, URLListOut, URLRejected

    reporter = connect(generated, live_server.url, token_for("report", name="Reporter"))
    body = ReportIn(urls=[URLIn(url="http://generated.example/a"), URLIn(url="http://[::1")])
    answer = submit_reports.sync(client=reporter, body=body)
    accepted, rejected = answer.results
    assert isinstance(accepted, URLAccepted)
    assert accepted.new is True
    assert isinstance(rejected, URLRejected)
    assert "square brackets" in rejected.error

    actioned(analyst, "http://listed.example/b")
    version = do_publish_url_list()
    member = connect(generated, live_server.url, token_for("url-list-plain", name="Vendor"))
    delta = url_list.sync(client=member, since=0)
    assert isinstance(delta, URLListOut)
    assert delta.version == version
    assert [entry.expression for entry in delta.added] == ["listed.example/b"]


def test_it_parses_a_409_and_a_401(generated: ModuleType, live_server, analyst) -> None:
    from turntide_client.api.lists import url_list
    from turntide_client.models import ErrorOut

    actioned(analyst, "http://keyed.example/c")
    do_publish_url_list()
    member = connect(generated, live_server.url, token_for("url-list", name="Keyed ISP"))
    since = url_list.sync(client=member).version
    do_set_list_key("system", Organisation.objects.get(name="Keyed ISP"), rotate=True)
    conflict = url_list.sync_detailed(client=member, since=since)
    assert conflict.status_code == 409
    assert isinstance(conflict.parsed, ErrorOut)
    assert "since=0" in conflict.parsed.detail
    stranger = connect(generated, live_server.url, "not-a-token")
    refused = url_list.sync_detailed(client=stranger)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, ErrorOut)


def test_it_reads_a_csv_and_a_zone_as_text(generated: ModuleType, live_server, analyst) -> None:
    from turntide_client.api.lists import url_list_csv, url_list_rpz

    actioned(analyst, "http://csv.example/d")
    do_publish_url_list()
    member = connect(generated, live_server.url, token_for("url-list-plain", name="Vendor"))
    text = url_list_csv.sync(client=member, since=0)
    assert isinstance(text, str)
    rows = [row for row in csv.reader(io.StringIO(text)) if not row[0].startswith("#")]
    assert rows[-1][-1] == "csv.example/d"
    zone = url_list_rpz.sync(client=member)
    assert isinstance(zone, str)
    assert " SOA " in zone


def test_it_posts_feedback_and_reads_it_back(generated: ModuleType, live_server) -> None:
    from turntide_client.api.feedback import list_feedback, send_feedback
    from turntide_client.models import (
        FeedbackAccepted,
        FeedbackIn,
        FeedbackItemIn,
        FeedbackItemInKind,
        FeedbackItemInVerdict,
        FeedbackListOut,
        FeedbackRejected,
    )

    source = do_create_source("system", "Partner Hotline")
    do_add_hashes("system", source, [checked_hash("md5", "ab" * 16)])
    member = connect(generated, live_server.url, token_for("hash-list", "feedback", name="Host"))
    body = FeedbackIn(
        items=[
            FeedbackItemIn(
                kind=FeedbackItemInKind.HASH,
                value=value,
                verdict=FeedbackItemInVerdict.FALSE_POSITIVE,
                note="a logo",
            )
            for value in ("ab" * 16, "cd" * 16)
        ]
    )
    accepted, unknown = send_feedback.sync(client=member, body=body).results
    assert isinstance(accepted, FeedbackAccepted)
    assert accepted.new is True
    assert isinstance(unknown, FeedbackRejected)
    assert unknown.status == 404
    own = list_feedback.sync(client=member)
    assert isinstance(own, FeedbackListOut)
    assert [(item.code, item.note) for item in own.feedback] == [(accepted.code, "a logo")]
