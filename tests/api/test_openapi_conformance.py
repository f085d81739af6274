"""Schemathesis drives the API from its OpenAPI schema: no server error, no schema violation.

It generates valid and invalid requests for every operation and checks each answer against
the schema (status codes, bodies, headers) and against server errors.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings


@pytest.mark.django_db(transaction=True)
def test_every_operation_honours_its_schema(issue_token: Callable[..., str]) -> None:
    # The hotline's own organisation, so the capture route (hotline only) is driven too.
    token = issue_token("report", "url-list", "hash-list", "match", "keywords", kind="proactive")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no operation"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

        check()
