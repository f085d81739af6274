"""Small typed readers for configuration from environment variables.

Every setting comes from the environment (twelve-factor), and a secret may instead come
from a file named by `NAME_FILE` (Docker and systemd credentials).  Production refuses to
start when a required value is missing rather than falling back to something unsafe.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ConfigurationError", "env_bool", "env_int", "env_list", "env_str", "secret"]


class ConfigurationError(RuntimeError):
    """A required setting is missing or malformed; the message names it."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret(name: str) -> str:
    """Read `name` from the environment, or from the file that `name_FILE` points to."""
    value = env_str(name)
    if value:
        return value
    path = env_str(f"{name}_FILE")
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigurationError(f"{name}_FILE={path} cannot be read: {error}") from None
