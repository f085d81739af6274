"""Turntide: case management and member services for child-protection hotlines."""
