"""Geometry for the HTML page's SVG charts.

Only numbers and the labels to show are worked out here; the template draws
them, so every label still goes through autoescape.
"""

from __future__ import annotations

import math

BAR_ROW = 24  # px per bar in the "missing" chart
LABEL_CHARS = 14  # rule titles longer than this are cut (the full title is the tooltip)


def score_bins(scores: list[int]) -> list[int]:
    """Counts in bins of 10: 0–9, 10–19, …, 90–100 (100 joins the last bin)."""
    bins = [0] * 10
    for s in scores:
        bins[min(max(int(s), 0) // 10, 9)] += 1
    return bins


def histogram(bins: list[int]) -> dict:
    width, height, base, top = 440, 170, 140, 20
    slot = (width - 20) / len(bins)
    peak = max(bins) or 1
    bars = []
    for i, count in enumerate(bins):
        h = (base - top) * count / peak
        label = f"{i * 10}–{i * 10 + 9}" if i < 9 else "90–100"
        bars.append({"x": round(10 + i * slot + 3, 1), "y": round(base - h, 1), "w": round(slot - 6, 1), "h": round(h, 1), "count": count, "label": label, "cx": round(10 + (i + 0.5) * slot, 1)})
    return {"width": width, "height": height, "base": base, "bars": bars}


def missing_chart(rows: list[dict], reports: int) -> dict:
    """One bar per rule that some report misses: how many reports miss it."""
    label_w, bar_w = 200, 250
    bars = []
    for i, row in enumerate(rows):
        title = row["title"]
        short = title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1] + "…"
        share = row["missing"] / reports if reports else 0
        bars.append(
            {
                "y": i * BAR_ROW,
                "w": round(bar_w * share, 1),
                "label": short,
                "tip": f"{title}（{row['rule']}）：{row['missing']} 份缺失，占 {share:.0%}",
                "value": f"{row['missing']} 份 · {share:.0%}",
                "severity": row["severity"],
            }
        )
    return {"width": label_w + bar_w + 90, "height": len(rows) * BAR_ROW + 4, "label_w": label_w, "bar_w": bar_w, "bars": bars}


def coverage_chart(items: list[dict], found: int) -> dict:
    """A ring with the share of 纲要 tasks covered, beside one tile per task."""
    cols, tile_w, tile_h, gap, left = 2, 168, 26, 6, 110
    rows = math.ceil(len(items) / cols)
    radius = 38
    circumference = 2 * math.pi * radius
    share = found / len(items) if items else 0
    tiles = []
    for i, item in enumerate(items):
        row, col = divmod(i, cols)
        tiles.append({**item, "x": left + col * (tile_w + gap), "y": row * (tile_h + gap), "w": tile_w, "h": tile_h})
    height = max(rows * (tile_h + gap), 2 * radius + 24)
    return {
        "width": left + cols * (tile_w + gap),
        "height": height,
        "tiles": tiles,
        "ring": {"cx": 50, "cy": height / 2, "r": radius, "dash": round(circumference * share, 2), "gap": round(circumference, 2)},
        "label": f"{found}/{len(items)}",
    }
