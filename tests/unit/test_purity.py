"""The pure cores stay pure: no database, web, broker or clock reaches into them."""

import ast
from pathlib import Path

import pytest

import board

PURE = ["domain", "dispatch", "reports"]
# The dispatch package's edges: one loads the shop and plans (reads only), one commits the foreman's decisions.
EDGES = {"dispatch/service.py", "dispatch/shop_plan.py", "dispatch/plan_store.py"}
FORBIDDEN = ("sqlalchemy", "starlette", "redis", "uvicorn", "websockets", "board.db", "board.api", "board.services",
             "board.live", "board.app", "board.clock", "socket", "requests", "httpx")


def modules():
    root = Path(board.__file__).parent
    return [p for pkg in PURE for p in sorted((root / pkg).glob("*.py")) if f"{pkg}/{p.name}" not in EDGES]


@pytest.mark.parametrize("path", modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pure_module_imports_no_io(path):
    tree = ast.parse(path.read_text())
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    bad = [name for name in imported if name.startswith(FORBIDDEN)]
    assert bad == [], f"{path.name} imports {bad}"
    assert "datetime.now" not in path.read_text() and "time.time(" not in path.read_text()
