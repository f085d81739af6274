"""Logging to whatever sys.stderr is at the time of each record, with no email address.

The standard StreamHandler keeps the stream it was built with; when a test runner or a
daemon swaps sys.stderr, records would go to a closed file. Nothing here ever logs client
addresses (Turntide keeps no access log), and `RedactEmailAddresses` blanks email addresses:
reporters' are personal data kept only until their feedback is sent, and mail errors and
URLs (`mailto:`, `?email=`) quote them. A routine refusal (a 403, 404 or 429 that Django
logs with the exception that caused it) is one line, without a traceback.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

__all__ = [
    "REDACTED",
    "OneLineClientErrors",
    "RedactEmailAddresses",
    "StderrHandler",
    "redact_email_addresses",
]

REDACTED = "[email address]"
# Generous on purpose: a URL's user@host is blanked too. `%40` is an escaped `@`.
EMAIL_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
_FORMATTER = logging.Formatter()


def redact_email_addresses(text: str) -> str:
    return EMAIL_ADDRESS.sub(REDACTED, text)


class RedactEmailAddresses(logging.Filter):
    """Blank email addresses in a record's message, arguments, traceback and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # logging's own error report would print the args
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact_email_addresses(message), None
        if record.exc_info:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact_email_addresses(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_email_addresses(record.stack_info)
        return True


class OneLineClientErrors(logging.Filter):
    """Drop the traceback of a record about a 4xx answer: the request was wrong, not the code."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = record.exc_text = None
        return True


class StderrHandler(logging.StreamHandler[TextIO]):
    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """Ignored: the handler always follows sys.stderr."""
