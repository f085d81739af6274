"""Only public web addresses get in: each class of address intake refuses, and why."""

from __future__ import annotations

import doctest

import pytest

from turntide.core import addresses
from turntide.core.intake import public_address_problem


def test_the_documented_examples_hold() -> None:
    result = doctest.testmod(addresses)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    ("url", "code", "params"),
    [
        ("hello", "one-label", {"host": "hello"}),
        ("http://intranet/start", "one-label", {"host": "intranet"}),
        ("not a url at all", "not-browsable", {}),
        ("http://exa mple.com/", "not-browsable", {}),
        ("http://[x]/", "bad-ipv6", {}),
        ("http://a]b.com/", "brackets", {}),
        ("mailto:someone@example.com", "scheme", {"scheme": "mailto"}),
        ("http://localhost/x", "localhost", {"host": "localhost"}),
        ("http://shop.localhost/x", "localhost", {"host": "shop.localhost"}),
    ],
)
def test_each_class_of_address_that_is_not_public_is_refused_in_every_profile(
    url: str, code: str, params: dict[str, str]
) -> None:
    for allow_reserved in (True, False):
        refusal = public_address_problem(url, allow_reserved=allow_reserved)
        assert refusal is not None
        assert (refusal.code, dict(refusal.params)) == (code, params)
        assert refusal.reason


@pytest.mark.parametrize(
    ("url", "kind", "address"),
    [
        ("http://127.0.0.1/", "loopback", "127.0.0.1"),
        ("http://0x7f.1/", "loopback", "127.0.0.1"),
        ("http://[::1]/", "loopback", "::1"),
        ("http://192.168.1.1/admin", "private", "192.168.1.1"),
        ("http://10.0.0.8/", "private", "10.0.0.8"),
        ("http://172.16.5.4/", "private", "172.16.5.4"),
        ("http://[fd00::1]/", "unique-local", "fd00::1"),
        ("http://169.254.169.254/latest", "link-local", "169.254.169.254"),
        ("http://[fe80::1]/", "link-local", "fe80::1"),
        ("http://100.64.1.1/", "shared", "100.64.1.1"),
        ("http://224.0.0.251/", "multicast", "224.0.0.251"),
        ("http://240.0.0.1/", "reserved", "240.0.0.1"),
        ("http://0.0.0.0/", "unspecified", "0.0.0.0"),  # noqa: S104
        ("http://192.0.2.1/", "special-use", "192.0.2.1"),
    ],
)
def test_each_special_use_address_is_refused_in_every_profile(
    url: str, kind: str, address: str
) -> None:
    for allow_reserved in (True, False):
        refusal = public_address_problem(url, allow_reserved=allow_reserved)
        assert refusal is not None
        assert (refusal.code, dict(refusal.params)) == (
            "special-address",
            {"address": address, "kind": kind},
        )
        assert address in refusal.reason


@pytest.mark.parametrize(
    "url",
    [
        "http://shop.example/",
        "http://host.test/a",
        "http://nothing.invalid/",
        "http://example.com/",
        "https://www.example.org/x",
        "http://case.example.net/",
    ],
)
def test_reserved_names_get_in_only_outside_production(url: str) -> None:
    assert public_address_problem(url, allow_reserved=True) is None
    refusal = public_address_problem(url, allow_reserved=False)
    assert refusal is not None
    assert refusal.code == "reserved-name"


@pytest.mark.parametrize(
    ("url", "suffix"), [("http://intranet.corp/", "corp"), ("http://nas.home.lan/", "lan")]
)
def test_a_suffix_off_the_public_suffix_list_is_refused_in_production(
    url: str, suffix: str
) -> None:
    assert public_address_problem(url, allow_reserved=True) is None
    refusal = public_address_problem(url, allow_reserved=False)
    assert refusal is not None
    assert (refusal.code, dict(refusal.params)) == ("unknown-suffix", {"suffix": suffix})


@pytest.mark.parametrize(
    "url",
    [
        "www.iana.org/domains",
        "https://bücher.de/ä",
        "http://shop.co.uk/",
        "http://8.8.8.8/",
        "http://[2606:4700::1111]/",
        "http://[::ffff:8.8.8.8]/",  # canonicalised to the public IPv4 address it maps
        "http://abcdefghijklmnop.onion/",
        "http://someone.blogspot.com/",
    ],
)
def test_public_addresses_get_in_in_every_profile(url: str) -> None:
    for allow_reserved in (True, False):
        assert public_address_problem(url, allow_reserved=allow_reserved) is None
