"""URL identity: the Safe Browsing reference's worked examples and Turntide's own edge cases.

The reference examples ("URLs and Hashing", v4 and v5) keep their exact transformation, with
host names replaced by reserved ones and IP addresses by documentation addresses.
"""

from __future__ import annotations

import doctest
import hashlib
import re
import time
from pathlib import Path

import pytest

from turntide.core import urls
from turntide.core.urls import (
    MAX_URL_LENGTH,
    InvalidURL,
    browser_parseable,
    canonicalize,
    expressions,
    url_key,
)

REFERENCE_EXAMPLES = [
    ("http://host.test/%25%32%35", "http://host.test/%25"),
    ("http://host.test/%25%32%35%25%32%35", "http://host.test/%25%25"),
    ("http://host.test/%2525252525252525", "http://host.test/%25"),
    ("http://host.test/asdf%25%32%35asd", "http://host.test/asdf%25asd"),
    ("http://host.test/%%%25%32%35asd%%", "http://host.test/%25%25%25asd%25%25"),
    ("http://www.example.com/", "http://www.example.com/"),
    (
        "http://%31%39%32%2E%30%2E%32%2E%32%36/%2E%73%65%63%75%72%65/"
        "%77%77%77%2E%65%78%61%6D%70%6C%65%2E%63%6F%6D/",
        "http://192.0.2.26/.secure/www.example.com/",
    ),
    (
        "http://192.0.2.11/uploads/%20%20%20%20/.verify/.secure=update-x=y/",
        "http://192.0.2.11/uploads/%20%20%20%20/.verify/.secure=update-x=y/",
    ),
    (
        "http://host%23.example/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%2528"
        "33%252944_55%252B",
        "http://host%23.example/~a!b@c%23d$e%25f^00&11*22(33)44_55+",
    ),
    ("http://3221225995/blah", "http://192.0.2.11/blah"),
    ("http://www.example.com/blah/..", "http://www.example.com/"),
    ("www.example.com/", "http://www.example.com/"),
    ("www.example.com", "http://www.example.com/"),
    ("http://www.evil.example/blah#frag", "http://www.evil.example/blah"),
    ("http://www.EXample.com/", "http://www.example.com/"),
    ("http://www.example.com.../", "http://www.example.com/"),
    ("http://www.example.com/foo\tbar\rbaz\n2", "http://www.example.com/foobarbaz2"),
    ("http://www.example.com/q?", "http://www.example.com/q?"),
    ("http://www.example.com/q?r?", "http://www.example.com/q?r?"),
    ("http://www.example.com/q?r?s", "http://www.example.com/q?r?s"),
    ("http://evil.example/foo#bar#baz", "http://evil.example/foo"),
    ("http://evil.example/foo;", "http://evil.example/foo;"),
    ("http://evil.example/foo?bar;", "http://evil.example/foo?bar;"),
    ("http://%01%80.test/", "http://%01%80.test/"),
    ("http://notrailingslash.example", "http://notrailingslash.example/"),
    ("http://www.gotaport.example:1234/", "http://www.gotaport.example/"),
    ("  http://www.example.com/  ", "http://www.example.com/"),
    ("http:// leadingspace.test/", "http://%20leadingspace.test/"),
    ("http://%20leadingspace.test/", "http://%20leadingspace.test/"),
    ("%20leadingspace.test/", "http://%20leadingspace.test/"),
    ("https://www.securesite.example/", "https://www.securesite.example/"),
    ("http://host.example/ab%23cd", "http://host.example/ab%23cd"),
    (
        "http://host.example//twoslashes?more//slashes",
        "http://host.example/twoslashes?more//slashes",
    ),
    (
        "http://%31%39%38%2e5%31%2e%31%30%30%2e5/%2e%73%65%63%75%72%65%2f%77%77%77%2e%65%78%61%6d"
        "%70%6c%65%2e%63%6f%6d/",
        "http://198.51.100.5/.secure/www.example.com/",
    ),
    ("http://example.com/foo-bar-baz", "http://example.com/foo-bar-baz"),
    ("http://example.test/path/../", "http://example.test/"),
    # v5 additions: IPv6
    ("http://[2001:0db8:0000::1]/", "http://[2001:db8::1]/"),
    ("http://[::ffff:192.0.2.4]/", "http://192.0.2.4/"),
    ("http://[64:ff9b::192.0.2.4]/", "http://192.0.2.4/"),
]


@pytest.mark.parametrize(("url", "canonical"), REFERENCE_EXAMPLES)
def test_it_reproduces_the_reference_examples(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


def test_the_module_examples_hold() -> None:
    result = doctest.testmod(urls)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM/A/b", "https://example.com/A/b"),
        ("example.com:8080/a", "http://example.com/a"),
        ("EXAMPLE.COM:8080?q", "http://example.com/?q"),
        ("a.test:b@example.com/", "http://example.com/"),
        ("//example.com/a", "http://example.com/a"),
        ("http:example.com", "http://example.com/"),
        ("http:\\\\example.com/a", "http://example.com/a"),
        ("http://example.com\\a\\b", "http://example.com/a\\b"),
        ("http://user@example.com%5Ca/", "http://example.com/a/"),
        ("http://[2001:db8::1]:8080/", "http://[2001:db8::1]/"),
        ("http:///example.com/a", "http://example.com/a"),
        ("ht\ttp://exa\nmple.com/a\r", "http://example.com/a"),
        ("\x00 http://example.com/ \x1f", "http://example.com/"),
        ("http://user:secret@example.com:8080/a", "http://example.com/a"),
        ("http://a@b@example.com/", "http://example.com/"),
        ("http://example.com:80:90/", "http://example.com/"),
        ("http://example.com/a%2Fb", "http://example.com/a/b"),
        ("http://example.com/a%3Fb", "http://example.com/a?b"),
        ("http://example.com/%c3%a4", "http://example.com/%C3%A4"),
        ("http://example.com/ä", "http://example.com/%C3%A4"),
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://example.com/%7e", "http://example.com/~"),
        ("http://example.com/%zz%", "http://example.com/%25zz%25"),
        ("http://example.com/?a=/./b//c/../d", "http://example.com/?a=/./b//c/../d"),
        ("http://example.com?q", "http://example.com/?q"),
        ("http://example.com/#", "http://example.com/"),
        ("http://example.com/a%23b#c", "http://example.com/a%23b"),
    ],
)
def test_it_applies_the_rules(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/../../a", "/a"),
        ("/a/b/../../../c", "/c"),
        ("/a/./b/.", "/a/b/"),
        ("/a/b/..", "/a/"),
        ("//a///b//", "/a/b/"),
        ("/a//../b", "/b"),
        ("/.hidden/..a/a..", "/.hidden/..a/a.."),
        ("/%2e%2E/a/%2e", "/a/"),
        ("/.well-known/x", "/.well-known/x"),
    ],
)
def test_it_resolves_dot_segments_and_never_climbs_above_the_root(
    path: str, canonical: str
) -> None:
    assert canonicalize("http://example.com" + path) == "http://example.com" + canonical


@pytest.mark.parametrize(
    ("host", "canonical"),
    [
        ("192.0.2.11", "192.0.2.11"),
        ("3221225995", "192.0.2.11"),
        ("0xc000020b", "192.0.2.11"),
        ("0XC000020B", "192.0.2.11"),
        ("0300.0000.0002.0013", "192.0.2.11"),
        ("0xc0.0x0.0x2.0xb", "192.0.2.11"),
        ("192.0.523", "192.0.2.11"),
        ("192.523", "192.0.2.11"),
        ("0xc0.0.02.11", "192.0.2.11"),
        ("192.0.2.11.", "192.0.2.11"),
        ("..192..0.2.11..", "192.0.2.11"),
        ("00000000000000000000300.0.2.11", "192.0.2.11"),
        ("0x", "0.0.0.0"),  # noqa: S104
        ("0", "0.0.0.0"),  # noqa: S104
        ("4294967295", "255.255.255.255"),
    ],
)
def test_it_writes_ipv4_addresses_in_dotted_decimal(host: str, canonical: str) -> None:
    assert canonicalize(f"http://{host}/") == f"http://{canonical}/"


@pytest.mark.parametrize(
    "host",
    ["192.0.2.256", "4294967296", "1.2.3.4.5", "08.1.2.3", "0x1g.2.3.4", "192.0.2.11a", "1" * 5000],
)
def test_it_keeps_hosts_that_only_look_like_ipv4_addresses(host: str) -> None:
    assert canonicalize(f"http://{host}/") == f"http://{host}/"


@pytest.mark.parametrize(
    ("host", "canonical"),
    [
        ("[2001:DB8:0:0:0:0:0:1]", "[2001:db8::1]"),
        ("[2001:db8::1]:8080", "[2001:db8::1]"),
        ("[fe80::1%25eth0]", "[fe80::1]"),
        ("[::ffff:c000:20b]", "192.0.2.11"),
        ("[64:ff9b::c000:20b]", "192.0.2.11"),
        ("[2001:db8::192.0.2.11]", "[2001:db8::c000:20b]"),
    ],
)
def test_it_writes_ipv6_addresses_in_shortest_form(host: str, canonical: str) -> None:
    assert canonicalize(f"http://{host}/a") == f"http://{canonical}/a"


@pytest.mark.parametrize(
    ("host", "canonical"),
    [
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example", "xn--bcher-kva.example"),
        ("b%C3%BCcher.example", "xn--bcher-kva.example"),
        ("b%25C3%25BCcher.example", "xn--bcher-kva.example"),
        ("bücher。example", "xn--bcher-kva.example"),
        ("ＥＸＡＭＰＬＥ.test", "example.test"),  # noqa: RUF001 (full-width letters)
        ("пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"),
        ("faß.example", "xn--fa-hia.example"),
        ("１９２.0.2.11", "192.0.2.11"),  # noqa: RUF001 (full-width digits)
    ],
)
def test_it_writes_international_host_names_in_punycode(host: str, canonical: str) -> None:
    assert canonicalize(f"http://{host}/") == f"http://{canonical}/"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://example.com/%00", "http://example.com/%00"),
        ("http://example.com/a\x00b", "http://example.com/a%00b"),
        ("http://example.com/%FF%fe", "http://example.com/%FF%FE"),
        ("http://%FF.test/", "http://%FF.test/"),
        ("http://a\x00ä.test/", "http://a%00%C3%A4.test/"),
        ("http://a／b.ä.test/", "http://a%EF%BC%8Fb.%C3%A4.test/"),  # noqa: RUF001
        ("http://example.com/\udc80", "http://example.com/%ED%B2%80"),
        ("http://example.com/\x7f\x80", "http://example.com/%7F%C2%80"),
    ],
)
def test_it_escapes_nul_and_bytes_that_are_not_utf8(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


def test_it_unescapes_deeply_nested_escapes() -> None:
    nested = "A"
    for _ in range(8):
        nested = "".join(f"%{ord(c):02X}" for c in nested)
    assert canonicalize("http://example.com/" + nested) == "http://example.com/A"


def test_it_accepts_addresses_up_to_the_length_limit_and_stays_fast_on_them() -> None:
    prefix = "http://example.com/"
    worst_cases = [
        prefix + "a" * (MAX_URL_LENGTH - len(prefix)),
        prefix + "%252525" * ((MAX_URL_LENGTH - len(prefix)) // 7),
        prefix + "%" * (MAX_URL_LENGTH - len(prefix)),
        prefix + "/.." * ((MAX_URL_LENGTH - len(prefix)) // 3),
        "http://" + "a." * ((MAX_URL_LENGTH - 8) // 2) + "/",
        "http://" + "ä" * (MAX_URL_LENGTH - 8) + "/",
    ]
    start = time.perf_counter()
    for url in worst_cases:
        assert len(url) <= MAX_URL_LENGTH
        canonicalize(url)
        expressions(url)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "the address is empty"),
        (" \t\r\n ", "the address is empty"),
        ("ftp://example.com/", '"ftp:" is not a web address'),
        ("javascript:alert(1)", '"javascript:" is not a web address'),
        ("mailto:someone@example.com", '"mailto:" is not a web address'),
        ("localhost:8080", '"localhost:" is not a web address'),
        ("tel:0123456789", '"tel:" is not a web address'),
        ("data:text/html,hello", '"data:" is not a web address'),
        ("x" * 30 + ":y", '"xxxxxxxxxxxxxxxxxxxx...:" is not a web address'),
        ("http://", "no host name"),
        ("https:///", "no host name"),
        ("http://.../a", "no host name"),
        ("http://user@/a", "no host name"),
        ("http://:80/a", "no host name"),
        ("http://[not-an-address]/", "not a valid IPv6 address"),
        ("http://[2001:db8::1::2]/", "not a valid IPv6 address"),
        ("http://example.com/" + "a" * MAX_URL_LENGTH, f"longer than {MAX_URL_LENGTH}"),
    ],
)
def test_it_refuses_what_has_no_canonical_form_with_a_readable_reason(
    url: str, reason: str
) -> None:
    with pytest.raises(InvalidURL) as refused:
        canonicalize(url)
    assert reason in refused.value.reason
    assert str(refused.value) == refused.value.reason
    assert isinstance(refused.value, ValueError)
    for function in (expressions, url_key):
        with pytest.raises(InvalidURL):
            function(url)


@pytest.mark.parametrize("value", [None, b"http://example.com/", 42])
def test_it_refuses_what_is_not_text(value: object) -> None:
    with pytest.raises(InvalidURL, match="must be text"):
        canonicalize(value)  # type: ignore[arg-type]


REFERENCE_EXPRESSIONS = [
    (
        "http://a.b.example/1/2.html?param=1",
        [
            "a.b.example/1/2.html?param=1",
            "a.b.example/1/2.html",
            "a.b.example/",
            "a.b.example/1/",
            "b.example/1/2.html?param=1",
            "b.example/1/2.html",
            "b.example/",
            "b.example/1/",
        ],
    ),
    (
        "http://a.b.c.d.e.f.test/1.html",
        [
            "a.b.c.d.e.f.test/1.html",
            "a.b.c.d.e.f.test/",
            "c.d.e.f.test/1.html",
            "c.d.e.f.test/",
            "d.e.f.test/1.html",
            "d.e.f.test/",
            "e.f.test/1.html",
            "e.f.test/",
            "f.test/1.html",
            "f.test/",
        ],
    ),
    ("http://192.0.2.4/1/", ["192.0.2.4/1/", "192.0.2.4/"]),
    (
        "http://a.b.example/saw-relative",
        ["a.b.example/saw-relative", "a.b.example/", "b.example/saw-relative", "b.example/"],
    ),
]


@pytest.mark.parametrize(("url", "expected"), REFERENCE_EXPRESSIONS)
def test_it_forms_the_reference_lookup_expressions(url: str, expected: list[str]) -> None:
    assert expressions(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com:8443/", ["example.com/"]),
        ("localhost", ["localhost/"]),
        ("http://example/", ["example/"]),
        ("http://[2001:db8::1]/a/b", ["[2001:db8::1]/a/b", "[2001:db8::1]/", "[2001:db8::1]/a/"]),
        ("0xc000020b/a?", ["192.0.2.11/a?", "192.0.2.11/a", "192.0.2.11/"]),
        (
            "http://example.com/a/b/c/d/e/f.html?x=1",
            [
                f"example.com{p}"
                for p in (
                    "/a/b/c/d/e/f.html?x=1",
                    "/a/b/c/d/e/f.html",
                    "/",
                    "/a/",
                    "/a/b/",
                    "/a/b/c/",
                )
            ],
        ),
        ("http://example.com/a/b/", ["example.com/a/b/", "example.com/", "example.com/a/"]),
    ],
)
def test_it_forms_expressions_without_scheme_or_port(url: str, expected: list[str]) -> None:
    assert expressions(url) == expected


def test_expressions_stop_at_five_hosts_and_six_paths_and_never_the_bare_top_level_label() -> None:
    found = expressions("https://a.b.c.d.e.f.g.example/1/2/3/4/5/6?q")
    hosts = list(dict.fromkeys(e.split("/")[0] for e in found))
    paths = list(dict.fromkeys(e[e.index("/") :] for e in found))
    assert hosts == [
        "a.b.c.d.e.f.g.example",
        "d.e.f.g.example",
        "e.f.g.example",
        "f.g.example",
        "g.example",
    ]
    assert paths == ["/1/2/3/4/5/6?q", "/1/2/3/4/5/6", "/", "/1/", "/1/2/", "/1/2/3/"]
    assert len(found) == len(hosts) * len(paths)


def test_the_key_is_the_hash_of_the_longest_expression() -> None:
    url = "https://User@WWW.Example.COM:8443/a/./b?c=d#e"
    assert url_key(url) == hashlib.sha256(b"www.example.com/a/b?c=d").digest()
    assert expressions(url)[0] == "www.example.com/a/b?c=d"
    assert len(url_key(url)) == 32


def test_one_address_however_written_is_one_key() -> None:
    spellings = [
        "http://www.example.com/a b/ä?q=1",
        "https://www.example.com/a b/ä?q=1",
        "https://www.example.com:8443/a b/ä?q=1#top",
        "WWW.EXAMPLE.COM./a%20b/%C3%A4?q=1",
        "http://user:secret@www.example.com//a%2520b/./%c3%a4?q=1",
        "  http://www.example.com/x/../a\t%20b/ä?q%3D1\n",
    ]
    assert len({url_key(url) for url in spellings}) == 1
    assert url_key("http://www.example.com/a b/ä?q=2") != url_key(spellings[0])
    assert url_key("http://www.example.com/a b/ä") != url_key(spellings[0])
    assert url_key("http://www.example.com/a b/ä?") != url_key("http://www.example.com/a b/ä")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("example.com/page", "does not start with a scheme"),
        ("https://example.com:99999/", "port"),
        ("https://example.com:8o/", "port"),
        ("https://exa mple.com/", "host name is not valid"),
        ("https://exa%20mple.com/", "host name is not valid"),
        ("http://[2001:db8::1/", "host name is not valid"),
        ("https://", "host name is not valid"),
    ],
)
def test_browser_parseable_says_why_a_browser_could_not_open_an_address(
    url: str, reason: str
) -> None:
    found = browser_parseable(url)
    assert found is not None
    assert reason in found


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "HTTP://Example.COM:8080/a b?c#d",
        "https://bücher.example/",
        "http://[2001:db8::1]/",
        "javascript:alert(1)",
    ],
)
def test_browser_parseable_accepts_what_browsers_open(url: str) -> None:
    assert browser_parseable(url) is None


def test_browser_parseable_resolves_against_a_base() -> None:
    assert browser_parseable("/a/b", base="https://example.com/") is None
    assert browser_parseable("/a/b") is not None


DOCS = Path(__file__).resolve().parents[2] / "docs" / "url-identity.md"


def _documented_rows(heading: str) -> list[tuple[list[str], str]]:
    """(inputs, second cell) of each table row under `heading` in docs/url-identity.md."""
    section = DOCS.read_text().split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) == 2:
            inputs = [
                i.replace("<TAB>", "\t").replace("<CR>", "\r").replace("<LF>", "\n")
                for i in re.findall(r"`([^`]*)`", cells[0])
            ]
            rows.append((inputs, cells[1]))
    return rows


@pytest.mark.parametrize("heading", ["Examples from the reference", "Further examples"])
def test_the_documented_examples_hold(heading: str) -> None:
    rows = _documented_rows(heading)
    assert len(rows) > 10
    for inputs, cell in rows:
        expected = re.findall(r"`([^`]*)`", cell)[0]
        for url in inputs:
            assert canonicalize(url) == expected, url


def test_the_documented_refusals_hold() -> None:
    rows = _documented_rows("Refused")
    assert len(rows) >= 3
    for inputs, _ in rows:
        for url in inputs:
            with pytest.raises(InvalidURL):
                canonicalize(url)
