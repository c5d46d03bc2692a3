"""Small line charts as server-rendered SVG: a KPI over the days, a standard as a dashed line.
Pure (text in, text out); no chart library to load on a workshop PC."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 30


def line_chart(title: str, days: list[str], values: list[float | None], percent: bool = True, standard: float | None = None) -> str:
    """``values`` may have gaps (None: nothing to count that day); the axis starts at 0."""
    known = [v for v in values if v is not None]
    top = max([*known, standard or 0.0, 0.0001])
    top = 1.0 if percent and top <= 1.0 else top * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(days) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    def label(v: float) -> str:
        return f"{v * 100:.0f}%" if percent else f"{v:.1f}"

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for frac in (0.0, 0.5, 1.0):
        level = top * frac
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y(level) + 4:.1f}" class="tick" text-anchor="end">{label(level)}</text>')
    if standard is not None:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(standard):.1f}" y2="{y(standard):.1f}" class="standard"/>')
    for i in range(0, len(days), max(len(days) // 6, 1)):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" class="tick" text-anchor="middle">{escape(days[i][5:])}</text>')
    # One path per run of known values: a day with nothing to count leaves a gap, not a zero.
    run: list[str] = []
    paths: list[list[str]] = []
    for i, value in enumerate(values):
        if value is None:
            if run:
                paths.append(run)
            run = []
        else:
            run.append(f"{x(i):.1f},{y(value):.1f}")
    if run:
        paths.append(run)
    for points in paths:
        parts.append(f'<polyline points="{" ".join(points)}" class="series"/>')
    for i, value in enumerate(values):
        if value is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" class="point"><title>{escape(days[i])}: {label(value)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
