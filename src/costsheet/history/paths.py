"""Where the history store lives.

One rule, used by the CLI, the API and the service alike, so that a
calculation recorded by one is listed by the others: an explicit path wins,
then the ``COSTSHEET_HISTORY`` environment variable, then the per-user data
directory (``$XDG_DATA_HOME/costsheet/history.sqlite3``, by default
``~/.local/share/costsheet/history.sqlite3``; ``%LOCALAPPDATA%`` on Windows).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ENV_VAR", "FILE_NAME", "default_store_path", "resolve_store_path"]

#: The environment variable that points at the history database.
ENV_VAR = "COSTSHEET_HISTORY"
FILE_NAME = "history.sqlite3"


def default_store_path(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user default: the XDG data directory (or its Windows equivalent)."""
    env = os.environ if environ is None else environ
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        base = Path(env["LOCALAPPDATA"])
    elif env.get("XDG_DATA_HOME"):
        base = Path(env["XDG_DATA_HOME"])
    else:
        base = Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return base / "costsheet" / FILE_NAME


def resolve_store_path(path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The path to use: ``path`` if given, else ``$COSTSHEET_HISTORY``, else the default."""
    env = os.environ if environ is None else environ
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return default_store_path(env)
