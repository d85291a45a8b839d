"""Helpers shared by the quality tests and `make screenshots` (not tests themselves)."""
