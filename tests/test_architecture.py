"""The import graph follows the layers of ARCHITECTURE.md: no upward arrows."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "ravine"

# Lower index = higher layer (may be imported by anything after it).
LAYERS = [
    ["errors"],
    ["autodiff"],
    ["tracer"],  # autograd-named re-exports of the engine
    ["numpy", "scipy"],
    ["differential_operators", "extend", "builtins", "wrap_util", "core"],
    ["misc", "test_util", "util"],
    ["optim"],
    ["diagnose"],
    ["nn"],
    ["data"],
    ["landscape"],
    ["plot"],
    ["studies"],
    ["store"],
    ["report"],
    ["cli", "__main__"],
]
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}


def _top_module(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imported_ravine_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ravine."):
                    yield node.lineno, alias.name.split(".")[1]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("ravine."):
                yield node.lineno, node.module.split(".")[1]
            elif node.module == "ravine":
                for alias in node.names:
                    if alias.name in RANK:
                        yield node.lineno, alias.name


def test_no_module_imports_a_lower_layer():
    violations = []
    for path in SRC.rglob("*.py"):
        if path.parent == SRC and path.name == "__init__.py":
            continue
        here = _top_module(path)
        if here not in RANK:
            violations.append(f"{path.relative_to(SRC)}: module {here!r} is not in the layer list")
            continue
        for lineno, target in _imported_ravine_modules(ast.parse(path.read_text())):
            if target in RANK and RANK[target] > RANK[here]:
                violations.append(f"{path.relative_to(SRC)}:{lineno} imports ravine.{target} (a lower layer)")
    assert not violations, "\n".join(violations)
