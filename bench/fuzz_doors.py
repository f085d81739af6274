"""Fuzz every door a stranger can knock on, and count the server errors.

    uv run python bench/fuzz_doors.py [--api-examples 150] [--form-posts 1500] [--batches 400]

Runs against a scratch embedded instance in a temporary folder, through Django's WSGI handler
in this process (no network), and prints how many requests each door answered with 5xx: the
README's "Reliability" section quotes these counts.  The doors:

- the JSON API, every operation in its OpenAPI schema, through schemathesis (valid and invalid
  requests, every answer also checked against the schema);
- the public report form, with generated address lines: free text, stray brackets and `@`,
  IPv6 literals, IDN, escapes, control characters and over-long lines;
- `POST /api/v1/reports` batches with generated `found_at` times (naive, far past, far future)
  and the same request replayed under one Idempotency-Key with its JSON spelled differently.

Every URL it sends is under a reserved name or a documentation address; nothing is fetched.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

HOME = Path(tempfile.mkdtemp(prefix="turntide-fuzz-"))
os.environ.update(
    TURNTIDE_PROFILE="embedded",
    TURNTIDE_HOME=str(HOME),
    DJANGO_SETTINGS_MODULE="turntide.settings",
    TURNTIDE_REPORT_LIMIT_PER_HOUR="1000000",
    TURNTIDE_API_REQUESTS_PER_MINUTE="1000000",
    TURNTIDE_ALLOWED_HOSTS="localhost,testserver",
)
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import schemathesis  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from turntide.members.actions import do_create_organisation, do_issue_token  # noqa: E402

SERVICES = ["report", "url-list", "url-list-plain", "hash-list", "match", "keywords"]
FUZZ = settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))

LABELS = st.sampled_from(["a", "gallery", "xn--bcher-kva", "bücher", "例え", "-x", "a_b", ""])
HOSTS = st.one_of(
    st.builds(lambda a, b: f"{a}.{b}", LABELS, st.sampled_from(["example", "test", "example.com"])),
    st.sampled_from(["[::1", "a]b", "[2001:db8::1]", "[2001:db8::zz]", "[", "]", "[]", "@"]),
    st.sampled_from(["192.0.2.1", "0xc0.0.2.1", "3221225985", "198.51.100.300", "::1"]),
    st.text(max_size=12),
)
LINES = st.one_of(
    st.text(max_size=80),
    st.builds(
        "{}{}{}{}".format,
        st.sampled_from(["http://", "https://", "HTTP:\\\\", "", "ftp://", "//", "http:/"]),
        st.sampled_from(["", "user@", "u:p@", "@", "[@]"]),
        HOSTS,
        st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    ),
    st.builds(lambda n: "http://example.com/" + "a" * n, st.integers(8000, 9000)),
)
FOUND_AT = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-31T23:59:59+14:00"]),
    st.text(max_size=25),
    st.integers(),
    st.none(),
)


def statuses_of_the_api(examples: int, token: str) -> Counter[int]:
    counts: Counter[int] = Counter()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(FUZZ, max_examples=examples)
        def call(case: schemathesis.Case) -> None:
            counts[case.call(headers={"Authorization": f"Bearer {token}"}).status_code] += 1

        call()
    return counts


def statuses_of_the_form(posts: int) -> Counter[int]:
    counts: Counter[int] = Counter()
    client = Client(raise_request_exception=False)

    @given(lines=st.lists(LINES, min_size=1, max_size=5), email=st.sampled_from(["", "x@"]))
    @settings(FUZZ, max_examples=posts)
    def post(lines: list[str], email: str) -> None:
        data = {"urls": "\n".join(lines), "email": email, "content_type": "", "found_where": ""}
        counts[client.post("/report/", data).status_code] += 1

    post()
    return counts


def statuses_of_batches(batches: int, token: str) -> Counter[int | str]:
    """Each batch twice under a fresh key, the retry's JSON spelled differently: the retry must
    get the first answer again, byte for byte ("replays that differed" counts those that did
    not)."""
    counts: Counter[int | str] = Counter()
    keys = itertools.count()
    client = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})

    @given(items=st.lists(st.tuples(LINES, FOUND_AT), min_size=1, max_size=8))
    @settings(FUZZ, max_examples=batches)
    def post(items: list[tuple[str, Any]]) -> None:
        body = {"urls": [{"url": url, "found_at": found_at} for url, found_at in items]}
        key = f"fuzz-{next(keys)}"
        first, retry = (
            client.post(
                "/api/v1/reports", text, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
            )
            for text in (json.dumps(body), json.dumps(body, indent=1, sort_keys=True))
        )
        counts.update([first.status_code, retry.status_code])
        if first.status_code == 200 and retry.content != first.content:
            counts["replays that differed"] += 1

    post()
    return counts


def show(door: str, counts: Counter[int] | Counter[int | str]) -> int:
    statuses = {status: n for status, n in counts.items() if isinstance(status, int)}
    errors = sum(n for status, n in statuses.items() if status >= 500)
    spread = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=str))
    print(f"{door}: {sum(statuses.values())} requests, {errors} answered 5xx ({spread})")
    return errors + counts.get("replays that differed", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-examples", type=int, default=150, help="per API operation")
    parser.add_argument("--form-posts", type=int, default=1500)
    parser.add_argument("--batches", type=int, default=400)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    organisation = do_create_organisation("system", "Fuzz", SERVICES, kind="proactive")
    token = do_issue_token("system", organisation, SERVICES)[1]
    errors = show("API (schemathesis)", statuses_of_the_api(args.api_examples, token))
    errors += show("public form", statuses_of_the_form(args.form_posts))
    errors += show("report batches, each sent twice", statuses_of_batches(args.batches, token))
    print(f"server errors and differing replays in all: {errors}")


if __name__ == "__main__":
    main()
