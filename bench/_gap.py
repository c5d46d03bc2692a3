"""Read OR-Library GAP instances (see ../shared/data/gap/README) and their optima."""

from __future__ import annotations

import csv
from pathlib import Path


def read(path: Path) -> tuple[list[list[int]], list[list[int]], list[int]]:
    numbers = [int(t) for t in path.read_text().split()]
    m, n = numbers[0], numbers[1]
    at = 2
    cost = [numbers[at + i * n: at + (i + 1) * n] for i in range(m)]
    at += m * n
    hours = [numbers[at + i * n: at + (i + 1) * n] for i in range(m)]
    at += m * n
    return cost, hours, numbers[at: at + m]


def optima(folder: Path) -> dict[str, int]:
    with open(folder / "optima.csv") as f:
        return {row["file"]: int(row["min_optimum"]) for row in csv.DictReader(f)}
