"""The stages run one way (README, "Architecture"): each package imports only what is below it.

Every import statement of src/costsheet is read (those inside functions too), resolved to
the module it names, and checked against the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "costsheet"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every costsheet module ``path`` imports (a name imported from a
    package counts as the package, ``from . import x`` as the module x when there is one)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("costsheet"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("costsheet"):
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                is_module = (SRC / submodule.replace(".", "/")).with_suffix(".py").is_file() or (
                    SRC / submodule.replace(".", "/") / "__init__.py"
                ).is_file()
                found.append((node.lineno, submodule if is_module else target))
    return found


def _files(package: str) -> list[Path]:
    path = PACKAGE / package
    return sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(SRC)}:{line} imports {target}"
        for path in _files(package)
        for line, target in _imports(path)
        if any(target == f"costsheet.{f}" or target.startswith(f"costsheet.{f}.") for f in forbidden)
    ]


ENGINES = ("costing", "valuation", "formulas")
ABOVE_ENGINES = ("cli", "service", "ruleset", "loader", "history", "lsp", "session", "reports")


@pytest.mark.parametrize(
    "package, forbidden",
    [
        (
            "vocabulary",
            (
                "diagnostics",
                "numbers",
                "syntax",
                "model",
                "model_builder",
                "check",
                *ENGINES,
                *ABOVE_ENGINES,
                "csvdata",
            ),
        ),
        ("syntax", ("model", "model_builder", "check", *ENGINES, *ABOVE_ENGINES, "csvdata")),
        ("model", ("model_builder", "check", *ENGINES, *ABOVE_ENGINES, "csvdata")),
        ("check", ("costing", "valuation", *ABOVE_ENGINES)),
        ("formulas", ("model", "model_builder", "check", "costing", "valuation", *ABOVE_ENGINES, "csvdata")),
        ("costing", ("check", "valuation", *ABOVE_ENGINES, "csvdata")),
        # valuation is above costing: production orders are costed with the costing engine's condition
        # evaluation (docs/valuation.md, "Production orders"); costing never imports valuation
        ("valuation", ("check", *ABOVE_ENGINES, "csvdata")),
        ("csvdata", ("costing", "valuation", *ABOVE_ENGINES)),
        # the service and the web view under it are used by the command line, never the reverse
        ("service", ("cli",)),
        # the language server sits beside the command line and the service, not on them
        ("lsp", ("cli", "service", "history")),
        # scenarios sit on the loaded ruleset and the engines; only surfaces import them
        ("scenarios", ("cli", "service", "history", "valuation", "csvdata")),
        # reports present the engines' results; the commands, the service and the web view call them
        ("reports", ("check", "cli", "service", "ruleset", "loader", "history", "csvdata", "lsp", "scenarios")),
    ],
)
def test_stages_import_only_what_is_below_them(package, forbidden):
    assert _violations(package, forbidden) == []


def test_pygls_is_imported_only_by_the_language_server_module():
    """The ``lsp`` extra stays optional: its protocol library is imported by costsheet/lsp/server.py
    alone, which only ``costsheet lsp`` loads."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] in ("pygls", "lsprotocol") for name in names):
                found.append(str(path.relative_to(SRC)))
    assert sorted(set(found)) == ["costsheet/cli/lsp.py", "costsheet/lsp/server.py"]


def test_the_scan_sees_imports_inside_functions():
    """The check above can fail: a function-level import is found like a top-level one."""
    source = PACKAGE / "ruleset.py"
    assert any(target.startswith("costsheet.history") for _, target in _imports(source))


def _exported(package: str) -> set[str]:
    """The names a package's ``__init__`` lists in ``__all__``."""
    tree = ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


PACKAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
#: imports that reach into another package's module, each with the reason it stays
_THROUGH_A_MODULE = {
    ("costsheet.ruleset", "costsheet.history.hashing"): "the load needs only the hash; the history's root "
    "imports SQLite and the diff (70 ms)",
}


def test_other_packages_are_used_through_their_public_names():
    """An import of another package names the package or one of the names its ``__init__`` exports."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        own = module.split(".")[1] if module.count(".") else None
        for line, target in _imports(path):
            parts = target.split(".")
            if len(parts) < 3 or parts[1] not in PACKAGES or parts[1] == own:
                continue
            if len(parts) == 3 and parts[2] in _exported(parts[1]):
                continue
            if (module, target) not in _THROUGH_A_MODULE:
                found.append(f"{path.relative_to(SRC)}:{line} imports {target}")
    assert found == []
