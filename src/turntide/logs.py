"""Logging to whatever sys.stderr is at the time of each record.

The standard StreamHandler keeps the stream it was built with; when a test runner or a
daemon swaps sys.stderr, records would go to a closed file. Nothing here ever logs client
addresses (Turntide keeps no access log).
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class StderrHandler(logging.StreamHandler[TextIO]):
    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """Ignored: the handler always follows sys.stderr."""
