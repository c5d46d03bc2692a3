"""Read OR-Library wt40 instances in the layout of ../shared/data/smwt/wt40.txt."""

from __future__ import annotations

from pathlib import Path


def read(path: str, n: int = 40) -> list[tuple[int, list[int], list[int], list[int]]]:
    """(optimum, p, w, d) per instance: a comment line with the optimum, then p, w, d lines."""
    out = []
    optimum = None
    numbers: list[int] = []
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            digits = [int(t) for t in line.replace(":", " ").replace("=", " ").split() if t.lstrip("-").isdigit()]
            optimum = digits[-1] if digits else None
            numbers = []
            continue
        numbers += [int(t) for t in line.split()]
        if len(numbers) == 3 * n:
            out.append((optimum if optimum is not None else -1, numbers[:n], numbers[n:2 * n], numbers[2 * n:]))
            numbers = []
    return out
