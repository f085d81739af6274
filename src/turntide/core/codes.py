"""Short, unguessable, readable codes for objects people quote on the phone or in email.

Codes use Crockford's base32 alphabet (no I, L, O or U), so they survive being read aloud
and typed back.  Eight random characters carry 40 bits.

>>> code = new_code("TT")
>>> len(code), code[:3], code[7]
(12, 'TT-', '-')
>>> set(code[3:].replace("-", "")) <= set(ALPHABET)
True

Large batches draw theirs at once, far faster than one at a time:

>>> codes = new_codes("C", 1000)
>>> len(codes), all(len(code) == 11 and code[1] == "-" == code[6] for code in codes)
(1000, True)
"""

from __future__ import annotations

import base64
import secrets

__all__ = ["ALPHABET", "new_code", "new_codes"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# RFC 4648 base32 spells the same 5-bit values with other characters.
_FROM_BASE32 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET.encode())


def new_code(prefix: str, groups: int = 2, group_length: int = 4) -> str:
    """A random code such as `TT-7KQ4-93XD`."""
    parts = ["".join(secrets.choice(ALPHABET) for _ in range(group_length)) for _ in range(groups)]
    return "-".join([prefix, *parts])


def new_codes(prefix: str, count: int) -> list[str]:
    """`count` random codes shaped like `new_code(prefix)`'s (two groups of four).

    Forty random bits are exactly eight base32 characters, so one call to the C base32
    encoder spells them all.
    """
    spelled = base64.b32encode(secrets.token_bytes(5 * count)).translate(_FROM_BASE32).decode()
    return [
        f"{prefix}-{spelled[i : i + 4]}-{spelled[i + 4 : i + 8]}" for i in range(0, 8 * count, 8)
    ]
