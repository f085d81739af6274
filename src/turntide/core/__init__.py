"""Turntide's pure-Python core: URL identity, hashing, matching and statistics maths.

Nothing in this package imports Django, so members can run the same code that built the
lists (a test enforces it).
"""
