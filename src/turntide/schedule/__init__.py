"""Periodic jobs: the worker enqueues what is due; web processes never schedule anything."""
