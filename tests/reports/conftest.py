"""Personas of the public form: anonymous reporters, each on their own connection."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

# Documentation addresses (RFC 5737): reserved, never anyone's real address.
ROSA_ADDRESS = "203.0.113.77"
BEN_ADDRESS = "198.51.100.23"


@pytest.fixture
def rosa(db: None) -> Client:
    """Rosa, an anonymous reporter, on a browser with JavaScript off."""
    return Client(REMOTE_ADDR=ROSA_ADDRESS)


@pytest.fixture
def ben(db: None) -> Client:
    """Ben, another anonymous reporter, on another connection."""
    return Client(REMOTE_ADDR=BEN_ADDRESS)


@pytest.fixture
def hotline_admin(client: Client) -> Client:
    """Hana, who looks after the hotline's website content (a superuser here)."""
    hana = get_user_model().objects.create_superuser("hana", password="not-used-here")
    client.force_login(hana)
    return client
