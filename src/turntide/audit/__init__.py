"""Append-only, tamper-evident audit trail: every action writes one chained event."""
