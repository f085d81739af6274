"""Short, unguessable, readable codes for objects people quote on the phone or in email.

Codes use Crockford's base32 alphabet (no I, L, O or U), so they survive being read aloud
and typed back.  Eight random characters carry 40 bits.

>>> code = new_code("TT")
>>> len(code), code[:3], code[7]
(12, 'TT-', '-')
>>> set(code[3:].replace("-", "")) <= set(ALPHABET)
True
"""

from __future__ import annotations

import secrets

__all__ = ["ALPHABET", "new_code"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code(prefix: str, groups: int = 2, group_length: int = 4) -> str:
    """A random code such as `TT-7KQ4-93XD`."""
    parts = ["".join(secrets.choice(ALPHABET) for _ in range(group_length)) for _ in range(groups)]
    return "-".join([prefix, *parts])
