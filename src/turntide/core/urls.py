"""URL identity: Safe Browsing canonicalisation, lookup expressions and case keys.

One web address is one case however it is written, and members must match URLs by exactly
the rules we used to build the lists.  Those rules are Google Safe Browsing's ("URLs and
Hashing", v4, kept in v5 with IPv6 additions), the de-facto standard of URL block lists.
`urllib.parse` is not used: it splits URLs by RFC 3986 and normalises nothing, and a second
parser in front of these rules would only add disagreements.  docs/url-identity.md holds the
rules with examples.

>>> canonicalize("HTTP://user@WWW.Example.COM.:8080/a/./b/../c//d?q#frag")
'http://www.example.com/a/c/d?q'
>>> canonicalize("example.com/%7Euser/%2525")
'http://example.com/~user/%25'
>>> canonicalize("http://0x7f.1/")
'http://127.0.0.1/'
>>> canonicalize("https://bücher.example/ä")
'https://xn--bcher-kva.example/%C3%A4'
>>> expressions("http://a.b.example/1/2.html?param=1")
['a.b.example/1/2.html?param=1', 'a.b.example/1/2.html', 'a.b.example/', 'a.b.example/1/', \
'b.example/1/2.html?param=1', 'b.example/1/2.html', 'b.example/', 'b.example/1/']
>>> url_key("https://example.com:443/a") == url_key("http://EXAMPLE.com/a#top")
True
>>> canonicalize("javascript:alert(1)")
Traceback (most recent call last):
    ...
turntide.core.urls.InvalidURL: "javascript:" is not a web address; only http:// and \
https:// addresses can be used
>>> browser_parseable("https://example.com/") is None
True
>>> browser_parseable("https://exa mple.com/")
'the host name is not valid: it has a space or a character that browsers refuse'
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import ada_url

__all__ = [
    "MAX_URL_LENGTH",
    "InvalidURL",
    "Refusal",
    "browser_parseable",
    "canonical_and_key",
    "canonical_parts",
    "canonicalize",
    "expressions",
    "reaches_below",
    "url_key",
]

MAX_URL_LENGTH = 8192
"""Longest input accepted, in characters after trimming; browsers and servers refuse far less."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an address is not taken: a stable `code` to translate by, with the `params` its
    wording needs, and `reason`, the English wording."""

    code: str
    reason: str
    params: Mapping[str, str] = field(default_factory=dict)


class InvalidURL(ValueError):
    """An input with no canonical form; `reason` says why in words a reporter can follow,
    `code` says it for programs (see `Refusal`)."""

    def __init__(self, reason: str, code: str, **params: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.params = params

    @property
    def refusal(self) -> Refusal:
        return Refusal(self.code, self.reason, self.params)


# Browsers trim C0 controls and space, not other Unicode white space.
_SURROUNDING = "".join(map(chr, range(0x21)))
_TAB_CR_LF = str.maketrans("", "", "\t\r\n")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_WEB_SCHEME = re.compile(r"(https?):[/\\]*", re.IGNORECASE)
_HEX_DIGITS = "0123456789abcdefABCDEF"
_PERCENT_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_BYTE_OF_ESCAPE = {a + b: chr(int(a + b, 16)) for a in _HEX_DIGITS for b in _HEX_DIGITS}
_NEEDS_ESCAPE = re.compile(r"[\x00-\x20#%\x7f-\xff]")
_ESCAPE_OF_BYTE = {chr(b): f"%{b:02X}" for b in [*range(0x21), *range(0x7F, 0x100), 0x23, 0x25]}
_DOT_RUN = re.compile(r"\.{2,}")
_IPV4_NUMBERS = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_DECIMAL = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")  # canonical IPv4
# Characters that would read differently when the canonical form is read back: delimiters,
# and `%`, which IDNA could put next to hexadecimal digits.
_NOT_IN_IDN_HOST = re.compile(r"[\x00-\x1f\x7f/?#@:%\[\]\\]")
# What browsers refuse in a host and our canonical form would keep as it is (WHATWG's
# forbidden host code points less those escaped or split off): a host holding one is read
# differently, or not at all, by whoever reads the canonical form back.
_NOT_IN_HOST = re.compile(r"[<>\[\]^|]")
# Up to the slash or backslash that ends the host, leading dots and backslashes aside.
_AUTHORITY_PART = re.compile(r"[.\\]*[^/\\]*")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[/\\]*([^/\\?#]*)")
_PORT = re.compile(r"0*([0-9]{0,5})")
# RFC 2606 and RFC 6761: names kept for examples and tests, never delegated on the internet.
_BRACKETS = (
    "the host name (the part after http://) cannot contain square brackets, except around "
    "a whole IPv6 address such as http://[2001:db8::1]/"
)


def canonicalize(url: str) -> str:
    """The one spelling of a web address that names its case, scheme included."""
    scheme, location = canonical_parts(url)
    return f"{scheme}://{location}"


def url_key(url: str) -> bytes:
    """SHA-256 of the longest lookup expression: the identity of a URL case.

    Scheme and port are not part of it, as in every lookup expression, so the http and https
    spellings of an address are one case: the same content is served on both, and a list
    entry cannot tell them apart anyway.
    """
    return hashlib.sha256(canonical_parts(url)[1].encode("ascii")).digest()


def canonical_and_key(url: str) -> tuple[str, bytes]:
    """`canonicalize(url)` and `url_key(url)` from one canonicalisation, for intake's hot path.

    >>> canonical, key = canonical_and_key("HTTP://Example.COM:80/a/../b")
    >>> canonical, key == url_key("http://example.com/b")
    ('http://example.com/b', True)
    """
    scheme, location = canonical_parts(url)
    return f"{scheme}://{location}", hashlib.sha256(location.encode("ascii")).digest()


def expressions(url: str) -> list[str]:
    """The host-suffix by path-prefix lookup expressions of a URL, in the reference's order."""
    location = canonical_parts(url)[1]
    slash = location.index("/")
    host, path_query = location[:slash], location[slash:]
    path, has_query, _ = path_query.partition("?")
    hosts = [host]
    if not (host[0] == "[" or _DOTTED_DECIMAL.fullmatch(host)):
        labels = host.split(".")
        hosts += [".".join(labels[i:]) for i in range(max(1, len(labels) - 5), len(labels) - 1)]
    paths = [path_query] if has_query else []
    paths.append(path)
    prefix = "/"
    paths.append(prefix)
    for directory in path.split("/")[1:-1][:3]:
        prefix += directory + "/"
        paths.append(prefix)
    paths = list(dict.fromkeys(paths))
    return [h + p for h in hosts for p in paths]


def reaches_below(expression: str) -> bool:
    """Whether a client checking any URL on or below `expression` generates it.

    A list entry that ends in "/" stands for everything beneath it, but clients build only
    host suffixes of up to five labels and the first three folders of a path, so a deeper
    entry would match its own address and silently miss the rest. List builders refuse such
    entries. An IP address or one-label host is matched only exactly, never as a suffix.

    >>> reaches_below("dedicated.example/")
    True
    >>> reaches_below("example.test/a/b/c/")
    True
    >>> reaches_below("example.test/a/b/c/d/")
    False
    >>> reaches_below("a.b.c.d.e.example/")
    False
    >>> reaches_below("example.test/page.html")
    False
    """
    host, slash, path = expression.partition("/")
    is_folder = path == "" or path.endswith("/")
    if not slash or not is_folder or "?" in path:
        return False
    try:
        canonical = canonical_parts("http://" + expression)[1]
    except InvalidURL:
        return False
    if canonical != expression:
        return False
    labels = host.split(".")
    is_suffix = not (host[0] == "[" or _DOTTED_DECIMAL.fullmatch(host)) and len(labels) >= 2
    return is_suffix and len(labels) <= 5 and path.count("/") <= 3


def browser_parseable(url: str, base: str | None = None) -> str | None:
    """None when a browser could open `url` (WHATWG URL standard), else the reason it could not.

    This answers intake's question "is this a real address?", which is not the question
    `canonicalize` answers: Safe Browsing rules canonicalise hosts no browser would open,
    because a block list must match whatever is written out there.
    """
    try:
        ada_url.URL(url, base)
    except ValueError:
        pass
    else:
        return None
    trimmed = url.strip(_SURROUNDING).translate(_TAB_CR_LF)
    if not trimmed:
        return "the address is empty"
    if base is None and not _SCHEME.match(trimmed):
        return "the address does not start with a scheme such as https://"
    authority = _AUTHORITY.match(trimmed)
    if authority:
        host_port = authority[1].rpartition("@")[2]
        after_host = host_port.partition("]")[2] if host_port[:1] == "[" else host_port
        _, colon, port = after_host.partition(":")
        valid_port = _PORT.fullmatch(port)
        if colon and (valid_port is None or int(valid_port[1] or 0) > 65535):
            return "the port (after the colon) is not a number from 0 to 65535"
    return "the host name is not valid: it has a space or a character that browsers refuse"


def canonical_parts(url: str) -> tuple[str, str]:
    """Scheme and escaped location (host, path and query) of the canonical form."""
    if not isinstance(url, str):
        raise InvalidURL("the address must be text", "not-text")
    text = url.strip(_SURROUNDING)
    if not text:
        raise InvalidURL("the address is empty", "empty")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidURL(
            f"the address is longer than {MAX_URL_LENGTH} characters",
            "too-long",
            limit=str(MAX_URL_LENGTH),
        )
    if "\t" in text or "\r" in text or "\n" in text:
        text = text.translate(_TAB_CR_LF)
    scheme, rest = _split_scheme(text.partition("#")[0])
    if not rest.isascii():
        # From here on each character stands for one byte of the UTF-8 text.
        rest = rest.encode("utf-8", "surrogatepass").decode("latin-1")
    if "%" in rest:
        rest = _unescape(rest)

    rest, question_mark, query = rest.partition("?")
    # A backslash ends the host as a slash does, as browsers read it; later ones are kept.
    authority = _AUTHORITY_PART.match(rest)[0]  # type: ignore[index]  # matches any text
    path = "/" + rest[len(authority) + 1 :]
    if "//" in path or "/." in path:
        path = _resolve_path(path)

    # No user info; leading dots go, and backslashes before the host are read as the slashes
    # after the scheme, as browsers read them.
    authority = authority.rpartition("@")[2].lstrip(".\\")
    if authority[:1] == "[" and "]" in authority:
        address, _, after = authority[1:].partition("]")
        if after[:1] not in ("", ":"):
            raise InvalidURL(_BRACKETS, "brackets")
        host = _ipv6(address)
    else:
        host = _hostname(authority.partition(":")[0])
    location = _NEEDS_ESCAPE.sub(_escape, host + path + question_mark + query)
    return scheme, location


def _split_scheme(text: str) -> tuple[str, str]:
    """Scheme and the rest after its slashes; `http` when the text starts with the host."""
    web = _WEB_SCHEME.match(text)
    if web:
        return web[1].lower(), text[web.end() :]
    other = _SCHEME.match(text)
    if other is None:
        return "http", text.lstrip("/\\")
    if "." in other[0]:
        return "http", text  # a host and port such as `example.com:8080`, not a scheme
    scheme = other[0][:-1]
    shown = scheme if len(scheme) <= 20 else scheme[:20] + "..."
    raise InvalidURL(
        f'"{shown}:" is not a web address; only http:// and https:// addresses can be used',
        "scheme",
        scheme=shown,
    )


def _unescape(text: str) -> str:
    """Percent-unescape repeatedly until nothing changes, as the reference requires."""
    count = 1
    while count and "%" in text:
        text, count = _PERCENT_ESCAPE.subn(_byte_of_escape, text)
    return text


def _byte_of_escape(escape: re.Match[str]) -> str:
    return _BYTE_OF_ESCAPE[escape[1]]


def _escape(byte: re.Match[str]) -> str:
    return _ESCAPE_OF_BYTE[byte[0]]


def _resolve_path(path: str) -> str:
    """Resolve `.` and `..` segments and collapse runs of slashes; `..` stops at the root."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    if not segments:
        return "/"
    trailing = "/" if path.endswith(("/", "/.", "/..")) else ""
    return "/" + "/".join(segments) + trailing


def _hostname(host: str) -> str:
    """Lower case, punycode, no stray dots, and IPv4 addresses in dotted decimal."""
    host = host.lower() if host.isascii() else _idn(host)
    if ".." in host:
        host = _DOT_RUN.sub(".", host)
    host = host.strip(".")
    if not host:
        raise InvalidURL("the address has no host name (the part after http://)", "no-host")
    if odd := _NOT_IN_HOST.search(host):
        character = odd[0]
        if character in "[]":
            raise InvalidURL(_BRACKETS, "brackets")
        raise InvalidURL(
            f'the host name (the part after http://) cannot contain "{character}"',
            "host-character",
            character=character,
        )
    if (
        host[0] in "0123456789"
        and not _DOTTED_DECIMAL.fullmatch(host)
        and _IPV4_NUMBERS.fullmatch(host)
    ):
        return _ipv4(host) or host
    return host


def _idn(host: str) -> str:
    """Punycode (UTS #46, as browsers do) of a host given as UTF-8 bytes.

    A host that is not UTF-8, or that IDNA cannot map to a plain host name, stays as its
    bytes, which are then percent-escaped: the reference keeps odd hosts rather than
    rejecting them.
    """
    mapped = ""
    with contextlib.suppress(UnicodeDecodeError):
        text = host.encode("latin-1").decode("utf-8")
        if not _NOT_IN_IDN_HOST.search(text):
            mapped = ada_url.idna.encode(text).decode("latin-1")
    if mapped and mapped.isascii() and not _NOT_IN_IDN_HOST.search(mapped):
        return mapped
    return host.encode("latin-1").lower().decode("latin-1")


def _ipv4(host: str) -> str | None:
    """Dotted decimal of an IPv4 address in any notation browsers accept, else None.

    Parts may be decimal, octal (leading 0) or hexadecimal (0x), and fewer than four parts
    put the remaining bytes in the last one: `0x7f.1` is 127.0.0.1 and `3221225995` is
    192.0.2.11.
    """
    numbers = []
    for part in host.split("."):
        if part[:2] == "0x":
            digits, base = part[2:], 16
        elif len(part) > 1 and part[0] == "0":
            digits, base = part[1:], 8
        else:
            digits, base = part, 10
        digits = digits.lstrip("0") or "0"
        if len(digits) > 11:  # over 2**32 in any base; also keeps int() away from huge inputs
            return None
        try:
            numbers.append(int(digits, base))
        except ValueError:  # 8 or 9 in an octal part
            return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last + sum(n << (24 - 8 * i) for i, n in enumerate(leading))
    return f"{value >> 24}.{value >> 16 & 255}.{value >> 8 & 255}.{value & 255}"


def _ipv6(text: str) -> str:
    """Shortest form of a bracketed IPv6 address; IPv4-mapped and NAT64 ones become IPv4."""
    try:
        address = ipaddress.IPv6Address(text.partition("%")[0])  # a zone is local to one machine
    except ValueError:
        raise InvalidURL(
            "the part in square brackets is not a valid IPv6 address", "bad-ipv6"
        ) from None
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if address in _NAT64:
        return str(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return f"[{address.compressed}]"
