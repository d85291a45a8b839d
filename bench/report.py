"""The bench's tables: each row with its ratio to vanilla Pelican and issue 19's targets, and
the hostile-entry rows with theirs."""

from __future__ import annotations

RATIO_TO = {
    "ours full, no search": "vanilla full",
    "ours full, with search": "vanilla full",
    "ours rebuild, one body edited": "vanilla cached, touch 1",
    "ours rebuild, one entry's countries changed": "vanilla cached, touch 1",
    "ours rebuild, one entry added": "vanilla cached, touch 1",
}


# Issue 19's targets: (what is compared, bound). "ratio" is wall time over the vanilla row of
# RATIO_TO; "wall" is seconds; "rss" is peak MiB. At 100,000 entries (no vanilla run) the
# preview and check bounds are those of that size.
TARGETS = {
    "ours full, no search": [("ratio", 0.15), ("rss", 600)],
    "ours full, with search": [("ratio", 0.40)],
    "search index alone (every bundle)": [("rss", 2048)],
    "ours rebuild, one body edited": [("ratio", 0.05)],
    "briefing check": [("wall", 1.0)],
    "briefing check, one body edited": [("wall", 1.0)],
    "briefing check, one entry's front matter changed": [("wall", 1.0)],
    "briefing check, cold": [("wall", 3.0)],
    "preview: body edit, save to served page": [("wall", 1.0)],
    "preview: front matter moves an entry": [("wall", 2.0)],
    "preview: front matter, every page written": [("wall", 2.0)],
    "preview: profile rename, every page naming it": [("wall", 5.0)],
}
TARGETS_100K = {
    "ours full, with search": [("rss", 3072)],
    "briefing check, cold": [("wall", 10.0)],
    "preview: body edit, save to served page": [("wall", 2.0)],
}


def verdict(n: int, label: str, row: dict, rows: dict) -> str:
    """Each target of the row and whether it is met: '≤ 0.15x: yes; ≤ 600 MiB: yes'."""
    targets = TARGETS_100K.get(label, []) if n >= 100_000 else TARGETS.get(label, [])
    parts = []
    for what, bound in targets:
        base = rows.get(RATIO_TO.get(label, ""))
        if what == "ratio" and base is None:
            continue
        value = {"ratio": row["wall"] / base["wall"] if base else 0, "wall": row["wall"], "rss": row["rss_mib"]}[what]
        unit = {"ratio": "x", "wall": " s", "rss": " MiB"}[what]
        parts.append(f"≤ {bound:g}{unit}: {'yes' if value <= bound else 'NO'}")
    return "; ".join(parts)


def table(results: dict[int, dict]) -> str:
    lines = [
        "| N | run | wall s | CPU s | peak RSS MiB | pages | ratio to vanilla | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, rows in results.items():
        for label, row in rows.items():
            base = rows.get(RATIO_TO.get(label, ""))
            ratio = f"{row['wall'] / base['wall']:.3f}" if base else ""
            lines.append(
                f"| {n:,} | {label} | {row['wall']:.2f} | {row['cpu']:.2f} | {row.get('rss_mib', 0):.0f} | "
                f"{row.get('pages', '')} | {ratio} | {verdict(n, label, row, rows)} |"
            )
    for n, rows in results.items():  # the median hides how far the edits were apart: each one
        each = [
            f"{label.removeprefix('preview: ')} {', '.join(f'{t:.2f}' for t in row['each'])}"
            for label, row in rows.items()
            if row.get("each")
        ]
        if each:
            lines.append(f"\nPreview at {n:,}, each edit in the order they ran (s): " + "; ".join(each) + ".")
    ns = list(results)
    if len(ns) >= 2 and "ours full, no search" in results[ns[0]]:
        for label in ("ours full, no search", "ours full, with search"):
            small, large = results[ns[0]][label], results[ns[-1]][label]
            growth = (large["cpu"] / ns[-1]) / (small["cpu"] / ns[0]) - 1
            lines.append(f"\nCPU per entry of {label}, {ns[0]:,} -> {ns[-1]:,}: {growth:+.0%}")
    return "\n".join(lines)


def bounds_table(rows: dict) -> str:
    """The hostile-entry rows (bench/bounds.py), with their targets."""
    targets = {"refused": 1.0, "2,000 names: full build": 5.0}
    lines = ["| one entry | wall s | CPU s | peak RSS MiB | pages | target |", "|---|---|---|---|---|---|"]
    for label, row in rows.items():
        target = next((f"< {t:g} s" for key, t in targets.items() if key in label), "")
        lines.append(
            f"| {label} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['rss_mib']:.0f} | {row['pages']} | {target} |"
        )
    return "\n".join(lines)
