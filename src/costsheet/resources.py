"""Files that ship with costsheet: the grammar and the demo ruleset.

In a wheel they live inside the package (``costsheet/grammar``,
``costsheet/rulesets``; see ``[tool.hatch.build.targets.wheel.force-include]``
in pyproject.toml).  In a checkout they live at the top of the repository
(``grammar/``, ``rulesets/``).  Both are found by this one function, so the
code that reads them does not know how costsheet was installed (importlib.resources
is asked only when neither folder holds the file: it costs milliseconds to import).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource_path", "resource_text"]

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE.parents[1]


def resource_path(relative: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("grammar/costsheet.lark")``."""
    # the package a folder (a wheel installed, a checkout): the file is in it, or at the top of the
    # checkout; importlib.resources only for other installs (a zip file, a custom loader)
    for path in (_PACKAGE / relative, _CHECKOUT_ROOT / relative):
        if path.is_file():
            return path
    from importlib import resources

    packaged = resources.files("costsheet").joinpath(relative)
    if packaged.is_file():
        return Path(str(packaged))
    raise FileNotFoundError(f"costsheet is installed without its data file {relative!r}; reinstall it")


def resource_text(relative: str) -> str:
    return resource_path(relative).read_text(encoding="utf-8")
