"""`briefing digest-email <period>`: the path of a built digest's email version, for a
newsletter tool to pick up (`2025-w45`, `2025-11`, `latest`, `latest-month`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

WEEK = re.compile(r"\d{4}-w\d{2}")
MONTH = re.compile(r"\d{4}-\d{2}")


def built_periods(output: Path) -> tuple[list[str], list[str]]:
    """The weeks and months (oldest first) whose email version the output holds."""
    folder = output / "digests"
    names = sorted(p.name for p in folder.iterdir() if (p / "email.html").is_file()) if folder.is_dir() else []
    return [n for n in names if WEEK.fullmatch(n)], [n for n in names if MONTH.fullmatch(n)]


def find_email(output: Path, period: str, text: bool = False) -> tuple[Path | None, str]:
    """(the file, '') or (None, why not, with the fix)."""
    if not (output / "index.html").is_file():
        return None, f"{output}/ holds no built site: run `make html` (or `make publish`, for the published addresses)"
    weeks, months = built_periods(output)
    wanted = period.strip().lower()
    if wanted in ("latest", "latest-month"):
        found = weeks if wanted == "latest" else months
        if not found:
            return None, f"{output}/ holds no {'weekly' if wanted == 'latest' else 'monthly'} digest"
        wanted = found[-1]
    if wanted not in (*weeks, *months):
        latest = " and ".join(p[-1] for p in (weeks, months) if p)
        shape = "a week (2025-w45), a month (2025-11), latest or latest-month"
        return None, f"no digest '{period}' in {output}/: write {shape}" + (
            f"; the newest are {latest}" if latest else ""
        )
    return output / "digests" / wanted / ("email.txt" if text else "email.html"), ""


def cmd_digest_email(args) -> int:
    path, problem = find_email(Path(args.output), args.period, args.text)
    if path is None:
        print(f"briefing digest-email: error: {problem}", file=sys.stderr)
        return 1
    print(path)
    return 0


def add_parser(commands):
    command = commands.add_parser(
        "digest-email", help="print the path of a digest's email version (email.html, or --text for email.txt)"
    )
    command.add_argument("period", help="a week (2025-w45), a month (2025-11), latest or latest-month")
    command.add_argument("--text", action="store_true", help="the plain-text twin, email.txt")
    command.add_argument("--output", default="output", help="the built site (default: output)")
    command.set_defaults(run=cmd_digest_email)
