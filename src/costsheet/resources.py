"""Files that ship with costsheet: the grammar and the demo ruleset.

In a wheel they live inside the package (``costsheet/grammar``,
``costsheet/rulesets``; see ``[tool.hatch.build.targets.wheel.force-include]``
in pyproject.toml).  In a checkout they live at the top of the repository
(``grammar/``, ``rulesets/``).  Both are found by this one function, so the
code that reads them does not know how costsheet was installed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["resource_path", "resource_text"]

_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


def resource_path(relative: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("grammar/costsheet.lark")``."""
    packaged = resources.files("costsheet").joinpath(relative)
    if packaged.is_file():
        return Path(str(packaged))
    in_checkout = _CHECKOUT_ROOT / relative
    if in_checkout.is_file():
        return in_checkout
    raise FileNotFoundError(f"costsheet is installed without its data file {relative!r}; reinstall it")


def resource_text(relative: str) -> str:
    return resource_path(relative).read_text(encoding="utf-8")
