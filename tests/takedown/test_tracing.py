"""Hosting traces against a loopback DNS server, MaxMind files written here, the built-in
geoip2fast data, and a loopback RDAP service."""

from __future__ import annotations

import socket

import pytest

from tests.takedown.loopback import DNSStub, json_service
from tests.takedown.mmdb import write_mmdb
from turntide.takedown.tracing import (
    RDAP_MAX_BYTES,
    RDAPLookup,
    TraceConfig,
    TraceError,
    abuse_email_in,
    abuse_lookup_from_settings,
    cdn_for,
    trace,
)

# Synthetic networks (documentation ranges), as a hotline's installed databases would hold.
ASN_RECORDS = {
    "203.0.113.0/24": {
        "autonomous_system_number": 64500,
        "autonomous_system_organization": "Example Hosting Ltd",
    },
    "2001:db8::/32": {
        "autonomous_system_number": 13335,
        "autonomous_system_organization": "Example edge network",
    },
}
COUNTRY_RECORDS = {
    "203.0.113.0/24": {"country": {"iso_code": "NL", "names": {"en": "Netherlands"}}},
    "2001:db8::/32": {"registered_country": {"iso_code": "DE", "names": {"en": "Germany"}}},
}


@pytest.fixture
def dns_stub():
    with DNSStub() as running:
        yield running


@pytest.fixture
def databases(tmp_path):
    asn = write_mmdb(tmp_path / "GeoLite2-ASN.mmdb", "GeoLite2-ASN", ASN_RECORDS)
    country = write_mmdb(tmp_path / "dbip-country-lite.mmdb", "DBIP-Country-Lite", COUNTRY_RECORDS)
    return str(country), str(asn)


def stub_config(stub: DNSStub, **options) -> TraceConfig:
    return TraceConfig(nameservers=("127.0.0.1",), dns_port=stub.port, timeout_seconds=2, **options)


def test_it_follows_the_cname_chain_and_collects_ipv4_and_ipv6(dns_stub, databases) -> None:
    country_db, asn_db = databases
    dns_stub.add("www.shop.example.test", "CNAME", "shop.example.test.")
    dns_stub.add("shop.example.test", "CNAME", "lb.hosting.example.test.")
    dns_stub.add("lb.hosting.example.test", "A", "203.0.113.7", "203.0.113.8")
    dns_stub.add("lb.hosting.example.test", "AAAA", "2001:db8::7")
    found = trace(
        "WWW.Shop.Example.Test.", stub_config(dns_stub, country_db=country_db, asn_db=asn_db)
    )
    assert found.host == "www.shop.example.test"
    assert found.cname_chain == ["shop.example.test", "lb.hosting.example.test"]
    assert found.addresses == ["203.0.113.7", "203.0.113.8", "2001:db8::7"]
    assert (found.asn, found.as_name, found.country) == (64500, "Example Hosting Ltd", "NL")
    assert found.cdn == ""
    assert found.source == "maxmind:GeoLite2-ASN.mmdb,maxmind:dbip-country-lite.mmdb"
    assert found.traced_at.tzinfo is not None


def test_an_ipv6_only_host_uses_the_registered_country_when_no_country_is_given(
    dns_stub, databases
) -> None:
    country_db, asn_db = databases
    dns_stub.add("v6.example.test", "AAAA", "2001:db8::1")
    found = trace("v6.example.test", stub_config(dns_stub, country_db=country_db, asn_db=asn_db))
    assert found.addresses == ["2001:db8::1"]
    assert (found.asn, found.country, found.cdn) == (13335, "DE", "Cloudflare")


def test_an_address_missing_from_the_databases_has_empty_facts(dns_stub, databases) -> None:
    country_db, asn_db = databases
    found = trace("198.51.100.1", stub_config(dns_stub, country_db=country_db, asn_db=asn_db))
    assert (found.asn, found.as_name, found.country) == (None, "", "")
    assert dns_stub.queries == []  # an address needs no lookup


def test_an_ipv6_address_may_come_in_brackets(dns_stub) -> None:
    found = trace("[2001:DB8::0:1]", stub_config(dns_stub))
    assert (found.host, found.addresses) == ("2001:db8::1", ["2001:db8::1"])
    assert dns_stub.queries == []


def test_without_installed_databases_the_built_in_data_answers(dns_stub) -> None:
    # 104.16.0.0/13 is Cloudflare's in the data geoip2fast ships (pinned by uv.lock); only
    # its name is recorded there, not its number.
    dns_stub.add("cf.example.test", "A", "104.16.0.1")
    found = trace("cf.example.test", stub_config(dns_stub))
    assert (found.asn, found.as_name, found.country) == (None, "CLOUDFLARENET", "US")
    assert (found.cdn, found.source) == ("Cloudflare", "geoip2fast")


def test_one_installed_database_is_completed_by_the_built_in_data(dns_stub, databases) -> None:
    _, asn_db = databases
    found = trace("203.0.113.9", stub_config(dns_stub, asn_db=asn_db))
    assert found.asn == 64500
    assert found.source == "maxmind:GeoLite2-ASN.mmdb,geoip2fast"


@pytest.mark.parametrize("host", ["gone.example.test", "x" * 70 + ".example.test"])
def test_a_name_that_does_not_exist_gives_a_trace_without_addresses(dns_stub, host) -> None:
    found = trace(host, stub_config(dns_stub))
    assert (found.addresses, found.cname_chain, found.source) == ([], [], "")


def test_a_dns_server_that_does_not_answer_raises_trace_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as mute:
        mute.bind(("127.0.0.1", 0))
        config = TraceConfig(
            nameservers=("127.0.0.1",), dns_port=mute.getsockname()[1], timeout_seconds=0.3
        )
        with pytest.raises(TraceError):
            trace("slow.example.test", config)


def test_an_unreadable_database_raises_trace_error(tmp_path, dns_stub) -> None:
    (tmp_path / "broken.mmdb").write_bytes(b"not a database")
    for path in (tmp_path / "missing.mmdb", tmp_path / "broken.mmdb"):
        with pytest.raises(TraceError, match="GeoIP database"):
            trace("203.0.113.1", stub_config(dns_stub, asn_db=str(path)))


def test_a_replaced_database_file_is_read_again(tmp_path, dns_stub) -> None:
    path = tmp_path / "asn.mmdb"
    write_mmdb(path, "GeoLite2-ASN", ASN_RECORDS)
    assert trace("203.0.113.1", stub_config(dns_stub, asn_db=str(path))).asn == 64500
    moved = {"203.0.113.0/24": {"autonomous_system_number": 64501}}
    write_mmdb(tmp_path / "new.mmdb", "GeoLite2-ASN", moved).replace(path)
    assert trace("203.0.113.1", stub_config(dns_stub, asn_db=str(path))).asn == 64501


def test_an_empty_host_is_bad_input() -> None:
    with pytest.raises(ValueError, match="no host"):
        trace("  ", TraceConfig())


@pytest.mark.parametrize(
    ("asn", "as_name", "chain", "cdn"),
    [
        (13335, "", [], "Cloudflare"),
        (None, "Akamai International B.V.", [], "Akamai"),
        (None, "", ["www.example.com.edgekey.net", "e1.a.akamaiedge.net"], "Akamai"),
        (54113, "", [], "Fastly"),
        (16509, "AMAZON-02", ["d1234.cloudfront.net"], "Amazon CloudFront"),
        (16509, "AMAZON-02", [], ""),
        (None, "Ddos-guard Ltd", [], "DDoS-Guard"),
        (64500, "Example Hosting", ["notcloudfront.net.example.test"], ""),
    ],
)
def test_known_cdns_are_recognised(asn, as_name, chain, cdn) -> None:
    assert cdn_for(asn, as_name, chain) == cdn


RDAP_NETWORK = {
    "objectClassName": "ip network",
    "handle": "EXAMPLE-NET",
    "entities": [
        {
            "roles": ["registrant"],
            "vcardArray": [
                "vcard",
                [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example"]],
            ],
            "entities": [
                {
                    "roles": ["technical"],
                    "vcardArray": ["vcard", [["email", {}, "text", "noc@hosting.example"]]],
                },
                {
                    "roles": ["abuse"],
                    "vcardArray": ["vcard", [["email", {}, "text", "abuse@hosting.example"]]],
                },
            ],
        }
    ],
}


def test_rdap_finds_the_abuse_email_of_a_network() -> None:
    with json_service({"/ip/203.0.113.7": (200, RDAP_NETWORK)}) as (base, asked):
        assert RDAPLookup(base).abuse_email("203.0.113.7") == "abuse@hosting.example"
    assert asked == ["/ip/203.0.113.7"]


def test_rdap_without_an_abuse_entity_or_network_gives_none() -> None:
    no_abuse = {"entities": [{"roles": ["registrant"], "vcardArray": ["vcard", []]}]}
    with json_service({"/ip/203.0.113.8": (200, no_abuse)}) as (base, _):
        lookup = RDAPLookup(base + "/")
        assert lookup.abuse_email("203.0.113.8") is None
        assert lookup.abuse_email("203.0.113.9") is None  # 404: no such network


def abuse_entity(*emails: str) -> dict:
    """An RDAP network whose abuse entity lists `emails` in its vCard."""
    vcard = ["vcard", [["email", {}, "text", email] for email in emails]]
    return {"entities": [{"roles": ["abuse"], "vcardArray": vcard}]}


@pytest.mark.parametrize(
    "email",
    ["abuse@example.test\r\nBcc: x@example.test", "abuse@example.test\nBcc: x@example.test",
     "Abuse Desk <abuse@example.test>", "abuse@", "@example.test", "abuse@@example.test",
     "abuse@exa mple.test", "abuse@-example.test", "abuse@example", "abuse.@example.test",
     "abuse@" + "a" * 64 + ".example"],
)  # fmt: skip
def test_an_rdap_email_that_is_not_one_plain_address_is_no_contact(email) -> None:
    assert abuse_email_in(abuse_entity(email)) is None


def test_rdap_passes_over_a_malformed_email_to_a_well_formed_one() -> None:
    document = abuse_entity("abuse@example.test\r\nBcc: x@example.test", " abuse@hosting.example ")
    assert abuse_email_in(document) == "abuse@hosting.example"


@pytest.mark.parametrize(
    "answer",
    [(500, {"errorCode": 500}), (200, b"<html>not json"), (200, b" " * (RDAP_MAX_BYTES + 1))],
)
def test_rdap_failures_raise_trace_error(answer) -> None:
    with json_service({"/ip/203.0.113.7": answer}) as (base, _), pytest.raises(TraceError):
        RDAPLookup(base).abuse_email("203.0.113.7")


def test_rdap_takes_only_addresses_and_http_services() -> None:
    with pytest.raises(ValueError, match="http"):
        RDAPLookup("file:///etc/passwd")
    with pytest.raises(ValueError):  # noqa: PT011
        RDAPLookup("https://rdap.example").abuse_email("../../etc")


def test_configuration_comes_from_settings(settings) -> None:
    settings.TURNTIDE_DNS_SERVERS = ["192.0.2.53"]
    settings.TURNTIDE_GEOIP_COUNTRY_DB = "/srv/geoip/GeoLite2-Country.mmdb"
    settings.TURNTIDE_GEOIP_ASN_DB = ""
    settings.TURNTIDE_RDAP_URL = "https://rdap.example"
    settings.TURNTIDE_CHECKER_TIMEOUT = 4
    config = TraceConfig.from_settings()
    assert config == TraceConfig(
        nameservers=("192.0.2.53",),
        timeout_seconds=4.0,
        country_db="/srv/geoip/GeoLite2-Country.mmdb",
        asn_db=None,
        rdap_url="https://rdap.example",
    )
    lookup = abuse_lookup_from_settings()
    assert isinstance(lookup, RDAPLookup)
    assert lookup.base_url == "https://rdap.example"
    settings.TURNTIDE_RDAP_URL = ""
    assert abuse_lookup_from_settings() is None
