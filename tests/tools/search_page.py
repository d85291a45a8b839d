"""Waiting for the search page's script: its status line (role=status) says when a query ran."""

from __future__ import annotations

SEARCH_DONE = """() => { const s = document.querySelector('main [role=status]');
  return s && s.textContent.trim() && !/loading/i.test(s.textContent); }"""
SEARCH_FAILED = ("not available", "failed")  # what the status line says when search broke


def search_status(tab, timeout_ms: int = 15_000) -> str:
    """The status line once the query has run (or failed)."""
    tab.wait_for_function(SEARCH_DONE, timeout=timeout_ms)
    return tab.evaluate("document.querySelector('main [role=status]').textContent.trim()")
