"""The availability checker against loopback servers: states, redirects, no body, no SSRF."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.takedown.loopback import DNSStub, LoopbackSite, Page, recording_proxy, tunnelling_proxy
from turntide.takedown.checker import (
    STATES,
    CheckerConfig,
    InvalidTarget,
    address_problem,
    check,
)

LOOPBACK_ALLOWED = CheckerConfig(allow_private=True, timeout_seconds=5)


@pytest.fixture
def site():
    with LoopbackSite() as running:
        yield running


@pytest.fixture
def dns_stub():
    with DNSStub() as running:
        yield running


def via_stub(stub: DNSStub, **options) -> CheckerConfig:
    return CheckerConfig(
        nameservers=("127.0.0.1",), dns_port=stub.port, timeout_seconds=3, **options
    )


def test_a_page_that_answers_200_is_online_after_one_head_request(site) -> None:
    site.pages["/gallery/1.html"] = Page()
    result = check(site.url("/gallery/1.html"), LOOPBACK_ALLOWED)
    assert (result.state, result.http_status, result.location) == ("online", 200, None)
    assert result.url == site.url("/gallery/1.html")
    assert [(hit.method, hit.path) for hit in site.hits] == [("HEAD", "/gallery/1.html")]
    assert site.hits[0].user_agent == "Turntide-availability-check/1"
    assert site.hits[0].host == f"127.0.0.1:{site.port}"
    assert result.checked_at.tzinfo is not None


@pytest.mark.parametrize(
    ("status", "state"),
    [(200, "online"), (204, "online"), (404, "offline"), (410, "offline"), (403, "unknown"),
     (451, "unknown"), (500, "unknown"), (503, "unknown")],
)  # fmt: skip
def test_the_status_code_decides_the_state(site, status: int, state: str) -> None:
    site.pages["/p"] = Page(status=status)
    result = check(site.url("/p"), LOOPBACK_ALLOWED)
    assert (result.state, result.http_status) == (state, status)


def test_a_page_that_disappears_at_its_scripted_time_goes_offline(site) -> None:
    start = site.now
    site.pages["/a.html"] = Page(gone_at=start + timedelta(hours=30))
    site.pages["/b.html"] = Page(gone_at=start + timedelta(hours=3))
    seen = []
    for hours in (0, 4, 28, 52):  # a first check, then every 24 hours
        site.now = start + timedelta(hours=hours)
        seen.append([check(site.url(p), LOOPBACK_ALLOWED).state for p in ("/a.html", "/b.html")])
    assert seen == [
        ["online", "online"],
        ["online", "offline"],
        ["online", "offline"],
        ["offline", "offline"],
    ]


def test_when_head_is_rejected_a_get_is_cut_off_after_the_headers(site) -> None:
    site.pages["/no-head"] = Page(head_allowed=False)
    result = check(site.url("/no-head"), LOOPBACK_ALLOWED)
    assert (result.state, result.http_status) == ("online", 200)
    head, get = site.finished_hits()
    assert (head.method, get.method) == ("HEAD", "GET")
    # The server waited before sending its body; the checker hung up first, so not one body
    # byte was sent (a client that read bodies would have waited and received them).
    assert get.client_closed_before_body is True
    assert get.body_bytes_sent == 0


def test_a_redirect_on_the_same_host_is_followed(site) -> None:
    site.pages["/old"] = Page(status=301, headers={"Location": "/new"})
    site.pages["/new"] = Page(status=302, headers={"Location": site.url("/newest")})
    site.pages["/newest"] = Page()
    result = check(site.url("/old"), LOOPBACK_ALLOWED)
    assert (result.state, result.http_status, result.location) == ("online", 200, None)
    assert [hit.path for hit in site.hits] == ["/old", "/new", "/newest"]


def test_a_redirect_to_another_host_is_reported_and_not_followed(site) -> None:
    with LoopbackSite("127.0.0.2") as elsewhere:
        elsewhere.pages["/landing"] = Page()
        site.pages["/moved"] = Page(status=302, headers={"Location": elsewhere.url("/landing")})
        result = check(site.url("/moved"), LOOPBACK_ALLOWED)
        assert elsewhere.hits == []
    assert (result.state, result.http_status) == ("redirect", 302)
    assert result.location == elsewhere.url("/landing")


def test_endless_redirects_stop_at_the_limit_as_unknown(site) -> None:
    site.pages["/loop"] = Page(status=302, headers={"Location": "/loop"})
    result = check(site.url("/loop"), CheckerConfig(allow_private=True, max_redirects=3))
    assert (result.state, result.http_status) == ("unknown", 302)
    assert len(site.hits) == 4
    assert "more than 3 redirects" in result.detail


def test_a_redirect_without_location_is_unknown(site) -> None:
    site.pages["/odd"] = Page(status=302)
    assert check(site.url("/odd"), LOOPBACK_ALLOWED).state == "unknown"


def test_a_refused_connection_is_offline() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: the kernel refuses
        result = check(f"http://127.0.0.1:{port}/", LOOPBACK_ALLOWED)
    assert (result.state, result.http_status, result.detail) == (
        "offline",
        None,
        "connection refused",
    )


def test_a_silent_server_is_unknown_after_the_timeout() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        config = CheckerConfig(allow_private=True, timeout_seconds=0.3)
        result = check(f"http://127.0.0.1:{port}/", config)
    assert (result.state, result.detail) == ("unknown", "timed out")


def test_a_server_that_trickles_its_headers_is_cut_off_at_the_timeout() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)
            for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 1000:
                if stop.is_set():
                    break
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    break
                time.sleep(0.02)  # each byte well within the timeout; all of them far beyond it

    server = threading.Thread(target=trickle, daemon=True)
    server.start()
    started = time.monotonic()
    port = listener.getsockname()[1]
    result = check(
        f"http://127.0.0.1:{port}/", CheckerConfig(allow_private=True, timeout_seconds=0.5)
    )
    elapsed = time.monotonic() - started
    stop.set()
    server.join(timeout=5)
    listener.close()
    assert (result.state, result.detail) == ("unknown", "timed out")
    assert elapsed < 5


@pytest.mark.parametrize("host", ["gone.example.test", "x" * 70 + ".example.test"])
def test_a_name_that_does_not_exist_is_offline(dns_stub, host) -> None:
    result = check(f"http://{host}/page", via_stub(dns_stub))
    assert (result.state, result.http_status) == ("offline", None)
    assert result.detail.startswith("DNS failure")


def test_a_name_no_dns_can_hold_is_offline_without_asking_the_system_resolver() -> None:
    result = check("http://" + "x" * 70 + ".example.test/", CheckerConfig())
    assert (result.state, result.http_status) == ("offline", None)


def test_a_dns_server_that_does_not_answer_gives_unknown() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as mute:
        mute.bind(("127.0.0.1", 0))
        config = CheckerConfig(
            nameservers=("127.0.0.1",), dns_port=mute.getsockname()[1], timeout_seconds=0.3
        )
        result = check("http://slow.example.test/", config)
    assert result.state == "unknown"


def test_it_connects_to_the_address_it_vetted_without_a_second_lookup(site, dns_stub) -> None:
    # Only the stub knows this name; the system resolver does not, so the request can only
    # have reached the site through the address the checker resolved and vetted itself.
    dns_stub.add("shop.example.test", "A", "127.0.0.1")
    site.pages["/item"] = Page()
    result = check(
        site.url("/item", host="shop.example.test"), via_stub(dns_stub, allow_private=True)
    )
    assert (result.state, result.http_status) == ("online", 200)
    assert site.hits[0].host == f"shop.example.test:{site.port}"
    assert dns_stub.queries.count(("shop.example.test", "A")) == 1


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0",  # noqa: S104
        "224.0.0.1", "255.255.255.255", "240.0.0.1", "192.0.2.10",
        "[::1]", "[::]", "[fe80::1]", "[fc00::1]", "[fd12:3456::1]", "[ff02::1]", "[ff0e::1]",
        "[::ffff:127.0.0.1]", "[::ffff:8.8.8.8]", "[64:ff9b::10.0.0.1]", "[2002:7f00:1::1]",
        "[2001:db8::1]", "2130706433", "0x7f.1",
    ],
)  # fmt: skip
def test_special_use_addresses_are_refused_without_a_request(site, host: str) -> None:
    result = check(f"http://{host}:{site.port}/admin", CheckerConfig())
    assert (result.state, result.http_status, result.location) == ("refused", None, None)
    assert site.hits == []


def test_numeric_ipv4_spellings_are_vetted_before_any_dns_server_sees_them(dns_stub) -> None:
    for host in ("2130706433", "0x7f.1", "017700000001", "127.1"):
        result = check(f"http://{host}/", via_stub(dns_stub))
        assert (result.state, result.detail) == ("refused", "loopback address 127.0.0.1")
    assert dns_stub.queries == []


def test_the_loopback_site_itself_is_refused_unless_allowed(site) -> None:
    site.pages["/"] = Page()
    refused = check(site.url("/"), CheckerConfig())
    assert (refused.state, refused.detail) == ("refused", "loopback address 127.0.0.1")
    assert site.hits == []
    assert check(site.url("/"), LOOPBACK_ALLOWED).state == "online"


def test_a_name_resolving_to_a_private_address_is_refused(dns_stub) -> None:
    dns_stub.add("intranet.example.test", "A", "10.20.30.40")
    result = check("http://intranet.example.test/", via_stub(dns_stub))
    assert result.state == "refused"
    assert result.detail == "intranet.example.test resolves to private address 10.20.30.40"


def test_one_private_address_among_public_ones_is_enough_to_refuse(site, dns_stub) -> None:
    dns_stub.add("mixed.example.test", "A", "93.184.215.14")
    dns_stub.add("mixed.example.test", "AAAA", "::1")
    result = check(site.url("/", host="mixed.example.test"), via_stub(dns_stub))
    assert (result.state, result.detail) == (
        "refused",
        "mixed.example.test resolves to loopback address ::1",
    )
    assert site.hits == []


def test_a_redirect_to_a_name_that_now_resolves_to_127_0_0_1_is_refused(dns_stub) -> None:
    # The site lives on 127.0.0.2, which this test trusts; its name then "rebinds" to
    # 127.0.0.1, and the same-host redirect must be vetted again and refused.
    with LoopbackSite("127.0.0.2") as site, LoopbackSite("127.0.0.1") as internal:
        dns_stub.add("rebind.example.test", "A", "127.0.0.2")
        dns_stub.answers_then("rebind.example.test", "A", "127.0.0.1")
        site.pages["/start"] = Page(status=302, headers={"Location": "/admin"})
        internal.pages["/admin"] = Page()
        config = via_stub(dns_stub, allow_networks=("127.0.0.2/32",))
        result = check(site.url("/start", host="rebind.example.test"), config)
        assert [hit.path for hit in site.hits] == ["/start"]
        assert internal.hits == []
    assert (result.state, result.http_status) == ("refused", None)
    assert result.detail == "rebind.example.test resolves to loopback address 127.0.0.1"


def test_a_redirect_to_127_0_0_1_itself_is_never_requested(site) -> None:
    with LoopbackSite("127.0.0.2") as public:
        public.pages["/x"] = Page(status=307, headers={"Location": site.url("/admin")})
        site.pages["/admin"] = Page()
        config = CheckerConfig(allow_networks=("127.0.0.2/32",))
        result = check(public.url("/x"), config)
    assert (result.state, result.location) == ("redirect", site.url("/admin"))
    assert site.hits == []


def test_user_agent_is_configurable(site) -> None:
    site.pages["/"] = Page()
    check(site.url("/"), CheckerConfig(allow_private=True, user_agent="Hotline-probe/2"))
    assert site.hits[0].user_agent == "Hotline-probe/2"


def test_plain_http_tunnels_through_the_proxy_with_credentials() -> None:
    with recording_proxy() as (port, seen):
        config = CheckerConfig(allow_private=True, proxy=f"http://probe:s3cret@127.0.0.1:{port}")
        result = check("http://127.0.0.9:8080/page?id=1", config)
    assert [request["line"] for request in seen] == ["CONNECT 127.0.0.9:8080 HTTP/1.1"]
    assert seen[0]["Proxy-Authorization"] == "Basic cHJvYmU6czNjcmV0"
    assert result.state == "unknown"  # this proxy refuses every tunnel


def test_plain_http_through_the_proxy_reaches_the_vetted_address_by_name(site, dns_stub) -> None:
    """The proxy is given the vetted address, never the name it could resolve again."""
    site.pages["/page?id=1"] = Page()
    dns_stub.add("plain.example.test", "A", "127.0.0.1")
    with tunnelling_proxy() as (proxy_port, connects):
        config = via_stub(dns_stub, allow_private=True, proxy=f"http://127.0.0.1:{proxy_port}")
        result = check(f"http://plain.example.test:{site.port}/page?id=1", config)
    assert connects == [f"127.0.0.1:{site.port}"]
    assert (result.state, result.http_status) == ("online", 200)
    assert [(hit.method, hit.path, hit.host) for hit in site.hits] == [
        ("HEAD", "/page?id=1", f"plain.example.test:{site.port}")
    ]


def test_https_through_the_proxy_tunnels_to_the_vetted_address(dns_stub) -> None:
    dns_stub.add("secure.example.test", "A", "127.0.0.9")
    with recording_proxy() as (port, seen):
        config = via_stub(dns_stub, allow_private=True, proxy=f"http://127.0.0.1:{port}")
        result = check("https://secure.example.test/page", config)
    assert seen[0]["line"].startswith("CONNECT 127.0.0.9:443 ")  # the address, not the name
    assert seen[0]["Host"] == "127.0.0.9:443"
    assert result.state == "unknown"  # this proxy refuses every tunnel


def test_the_proxy_is_vetted_for_nothing_but_the_target_is(dns_stub) -> None:
    dns_stub.add("intranet.example.test", "A", "192.168.0.10")
    with recording_proxy() as (port, seen):
        config = via_stub(dns_stub, proxy=f"http://127.0.0.1:{port}")
        result = check("http://intranet.example.test/", config)
    assert result.state == "refused"
    assert seen == []


@pytest.fixture(scope="module")
def self_signed_certificate(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a throwaway certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, certificate = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=secure.example.test", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return certificate, key


@pytest.fixture
def untrusted_tls_server(self_signed_certificate):
    """A TLS server on 127.0.0.1 with a certificate nobody trusts; yields (port, SNI names)."""
    certificate, key = self_signed_certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server_names: list[str | None] = []
    context.sni_callback = lambda _sock, name, _ctx: server_names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve_once() -> None:
        connection, _ = listener.accept()
        try:
            context.wrap_socket(connection, server_side=True).close()
        except (ssl.SSLError, OSError):
            pass  # the client rejects our certificate, as it should
        finally:
            connection.close()

    server = threading.Thread(target=serve_once, daemon=True)
    server.start()
    yield listener.getsockname()[1], server_names
    server.join(timeout=5)
    listener.close()


def test_https_names_the_host_in_tls_and_refuses_an_untrusted_certificate(
    dns_stub, untrusted_tls_server
) -> None:
    port, server_names = untrusted_tls_server
    dns_stub.add("secure.example.test", "A", "127.0.0.1")
    result = check(f"https://secure.example.test:{port}/", via_stub(dns_stub, allow_private=True))
    assert result.state == "unknown"
    assert result.detail.startswith("TLS error")
    assert server_names == ["secure.example.test"]


def test_https_through_a_tunnelling_proxy_reaches_the_vetted_address_by_name(
    dns_stub, untrusted_tls_server
) -> None:
    port, server_names = untrusted_tls_server
    dns_stub.add("secure.example.test", "A", "127.0.0.1")
    with tunnelling_proxy() as (proxy_port, connects):
        config = via_stub(dns_stub, allow_private=True, proxy=f"http://127.0.0.1:{proxy_port}")
        result = check(f"https://secure.example.test:{port}/", config)
    assert connects == [f"127.0.0.1:{port}"]
    assert (result.state, result.detail[:9]) == ("unknown", "TLS error")
    assert server_names == ["secure.example.test"]


@pytest.mark.parametrize(
    "url",
    ["ftp://files.example.com/x", "javascript:alert(1)", "http:///path", "http://host:99999/",
     "http://host:0/", "http://" + "a" * 64 + "!/",  # once a regex that backtracked for ages
     "example.com/no-scheme", "http://exa mple.com/"],
)  # fmt: skip
def test_a_url_that_cannot_be_checked_raises_invalid_target(url: str) -> None:
    with pytest.raises(InvalidTarget):
        check(url, LOOPBACK_ALLOWED)


@pytest.mark.parametrize(
    "options",
    [{"timeout_seconds": 0}, {"max_redirects": -1}, {"allow_networks": ("not-a-net",)},
     {"proxy": "socks5://127.0.0.1:1080"}, {"proxy": "http://127.0.0.1:notaport"}],
)  # fmt: skip
def test_bad_configuration_is_rejected_with_a_clear_error(options) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (each message names the setting)
        CheckerConfig(**options)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("64:ff9b::808:808", None),  # NAT64 of a public address: fine
        ("10.0.0.1", "private address 10.0.0.1"),
        ("127.0.0.1", "loopback address 127.0.0.1"),
        ("169.254.169.254", "link-local address 169.254.169.254"),
        ("100.64.1.1", "shared (carrier-grade NAT) address 100.64.1.1"),
        ("fd00::1", "unique-local address fd00::1"),
        ("64:ff9b:1::a00:1", "local-use NAT64 address 64:ff9b:1::a00:1"),
        ("::ffff:8.8.8.8", "IPv4-mapped address ::ffff:808:808"),
        ("224.0.0.251", "multicast address 224.0.0.251"),
        ("192.0.2.1", "special-use address 192.0.2.1"),
        ("2002:a00:1::1", "private address 10.0.0.1 (inside 6to4 address 2002:a00:1::1)"),
    ],
)
def test_address_problems_are_named(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


def test_configuration_comes_from_settings(settings) -> None:
    settings.TURNTIDE_CHECKER_ALLOW_PRIVATE = True
    settings.TURNTIDE_CHECKER_PROXY = "http://proxy.example.com:3128"
    settings.TURNTIDE_CHECKER_USER_AGENT = "Probe/3"
    settings.TURNTIDE_CHECKER_TIMEOUT = 7
    settings.TURNTIDE_CHECKER_ALLOW_NETWORKS = ["198.18.0.0/15"]
    settings.TURNTIDE_DNS_SERVERS = ["192.0.2.53"]
    assert CheckerConfig.from_settings() == CheckerConfig(
        allow_private=True,
        proxy="http://proxy.example.com:3128",
        user_agent="Probe/3",
        timeout_seconds=7.0,
        allow_networks=("198.18.0.0/15",),
        nameservers=("192.0.2.53",),
    )


@pytest.fixture(scope="module")
def nowhere():
    """A DNS stub that knows no name and a proxy port that refuses: no check leaves the host."""
    with DNSStub() as stub, socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        yield CheckerConfig(
            nameservers=("127.0.0.1",),
            dns_port=stub.port,
            proxy=f"http://127.0.0.1:{closed.getsockname()[1]}",
            timeout_seconds=1,
        )


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=40).map(lambda tail: "http://" + tail),
        st.from_regex(r"\Ahttps?://[a-z0-9.\[\]:%@_-]{0,30}(/[ -~]{0,20})?\Z"),
    )
)
def test_any_input_gives_a_result_or_invalid_target(nowhere, url: str) -> None:
    try:
        result = check(url, nowhere)
    except InvalidTarget:
        return
    assert result.state in STATES
    assert result.state != "online"  # nothing can have answered
