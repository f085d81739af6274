"""A minimal MaxMind DB (MMDB v2) writer, so tests read real database files they made.

No writer package is a dependency, and real GeoLite2/DB-IP files cannot live in the
repository, so this writes the documented format (https://maxmind.github.io/MaxMind-DB/):
an IPv6 binary search tree with 24-bit records (IPv4 networks under ::/96), a 16-byte
separator, the data section, then the metadata marker and map. Only the types that
GeoLite2-Country and GeoLite2-ASN records use are encoded.
"""

from __future__ import annotations

import ipaddress
import struct
from pathlib import Path
from typing import Any

METADATA_MARKER = b"\xab\xcd\xefMaxMind.com"


def _control(type_number: int, size: int) -> bytes:
    first, extended = (type_number << 5, b"") if type_number <= 7 else (0, bytes([type_number - 7]))
    if size < 29:
        return bytes([first | size]) + extended
    if size < 285:
        return bytes([first | 29]) + extended + bytes([size - 29])
    if size < 65_821:
        return bytes([first | 30]) + extended + (size - 285).to_bytes(2, "big")
    return bytes([first | 31]) + extended + (size - 65_821).to_bytes(3, "big")


class Uint16(int):
    """An integer the format wants as uint16 (plain ints are written as uint32)."""


class Uint64(int):
    """An integer the format wants as uint64."""


def encode(value: Any) -> bytes:
    if isinstance(value, bool):
        return _control(14, int(value))
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _control(2, len(raw)) + raw
    if isinstance(value, float):
        return _control(3, 8) + struct.pack(">d", value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError("negative integers are not needed here")
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
        type_number = 5 if isinstance(value, Uint16) else 9 if isinstance(value, Uint64) else 6
        return _control(type_number, len(raw)) + raw
    if isinstance(value, dict):
        body = b"".join(encode(str(key)) + encode(item) for key, item in value.items())
        return _control(7, len(value)) + body
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(encode(item) for item in value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def write_mmdb(path: Path, database_type: str, networks: dict[str, dict[str, Any]]) -> Path:
    """Write `networks` ({"192.0.2.0/24": record, ...}) as an IPv6 MMDB file at `path`."""
    data = b""
    leaves: list[tuple[int, int, int]] = []  # (address as 128 bits, prefix length, offset)
    for cidr, record in networks.items():
        network = ipaddress.ip_network(cidr)
        bits, length = int(network.network_address), network.prefixlen
        if network.version == 4:
            length += 96  # IPv4 lives under ::/96 in an IPv6 tree
        leaves.append((bits, length, len(data)))
        data += encode(record)

    nodes: list[list[Any]] = [[None, None]]
    for bits, length, offset in leaves:
        node = 0
        for depth in range(length):
            bit = (bits >> (127 - depth)) & 1
            if depth == length - 1:
                nodes[node][bit] = ("data", offset)
            else:
                if nodes[node][bit] is None:
                    nodes.append([None, None])
                    nodes[node][bit] = ("node", len(nodes) - 1)
                node = nodes[node][bit][1]

    node_count = len(nodes)

    def record_value(entry: Any) -> int:
        if entry is None:
            return node_count  # "no data"
        kind, number = entry
        return number if kind == "node" else node_count + 16 + number

    tree = b"".join(
        record_value(left).to_bytes(3, "big") + record_value(right).to_bytes(3, "big")
        for left, right in nodes
    )
    metadata = {
        "node_count": node_count,
        "record_size": Uint16(24),
        "ip_version": Uint16(6),
        "database_type": database_type,
        "languages": ["en"],
        "binary_format_major_version": Uint16(2),
        "binary_format_minor_version": Uint16(0),
        "build_epoch": Uint64(1_700_000_000),
        "description": {"en": "Synthetic test database"},
    }
    path.write_bytes(tree + b"\x00" * 16 + data + METADATA_MARKER + encode(metadata))
    return path
