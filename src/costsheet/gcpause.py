"""Pausing the cyclic garbage collector around work that builds many objects and no reference cycles.

The collector is process-wide: ``gc.disable()`` in one thread switches it
off for every thread, and a plain "disable, then enable again if it was
enabled" around two overlapping pieces of work in two threads leaves it off
for good (the second one found it disabled, so nobody enables it) or, the
other way round, enables it while the other still runs.
:class:`paused_gc` counts the pauses instead:

- the first pause to begin (in any thread) disables the collector and
  remembers whether it was enabled;
- further pauses, nested or in other threads, are only counted;
- each pause ends only itself: when the last one ends, the collector is
  enabled again if the first one found it enabled.  So no thread ends
  another's pause, and the state before the first pause comes back.

While any pause is active the collector is off for the whole process.
Reference counting still frees everything at once; garbage cycles that other
code makes meanwhile are collected after the last pause ends.  The parser,
the CSV reader and the roll-up pause it (docs/costing.md, "Threads and the
garbage collector").

After ``os.fork()`` only the forking thread lives on in the child, so the
child keeps only that thread's pauses; when it has none, the collector is
enabled again if the pauses had found it enabled.
"""

from __future__ import annotations

import gc
import os
import threading
from types import TracebackType

__all__ = ["paused_gc"]


class _Pauses:
    """The active pauses of this process (one set, because there is one collector) and what to restore."""

    __slots__ = ("active", "lock", "resume")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active: dict[paused_gc, int] = {}  # each active pause -> the thread that began it
        self.resume = False  # the first pause found the collector enabled

    def after_fork_in_child(self) -> None:
        self.lock = threading.Lock()  # another thread may have held it at the fork
        thread = threading.get_ident()
        self.active = {pause: owner for pause, owner in self.active.items() if owner == thread}
        if not self.active and self.resume:
            gc.enable()


_PAUSES = _Pauses()
if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_PAUSES.after_fork_in_child)


class paused_gc:  # noqa: N801 - used like a function: `with paused_gc():`
    """``with paused_gc(): ...`` runs the block with the cyclic collector paused (counted, thread-safe).

    Each ``paused_gc()`` is one pause: it may be nested in others and run in
    several threads at once, but not be entered again while it is active.
    (A class, not ``@contextmanager``: a generator-based manager costs several
    times more.)
    """

    __slots__ = ()

    def __enter__(self) -> None:
        pauses = _PAUSES
        with pauses.lock:
            active = pauses.active
            if self in active:
                raise RuntimeError("this paused_gc() is active already; nest a new paused_gc() instead")
            if not active:
                pauses.resume = gc.isenabled()
                gc.disable()
            active[self] = threading.get_ident()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        pauses = _PAUSES
        with pauses.lock:
            active = pauses.active
            if active.pop(self, None) is not None and not active and pauses.resume:
                gc.enable()
