"""Debian's Chromium, as the browser tests launch it through Playwright."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
PRINT_WIDTH = 680  # CSS px between the margins of A4 paper: (210 - 2 * 15) mm at 96 px per inch
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
