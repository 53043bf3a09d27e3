"""Why an item could not be costed, kept beside the calculator's memo.

The memo stores ``None`` for an item that failed; without more, an item
asked for later (``calculate_many``, or a second ``Calculator.cost``) would
fail with no reason, because the component's error was reported once, to the
item that happened to meet it first.  A :class:`Failure` keeps the reason,
so every request for a failed item can say why: the item's own error, or
``component-failed`` naming the chain of components down to the one that
failed and repeating that one's message.

A parent's failure links to its component's instead of copying the chain,
and its diagnostic is built only when it is reported: a leaf that fails
under a 3,000-level BOM costs one small object per level, not a message per
level that grows with the depth.
"""

from __future__ import annotations

import attrs

from ..diagnostics import Diagnostic, Span
from ..model import BomLine, ByProduct, CoProduct

__all__ = ["Failure", "MAX_CHAIN"]

#: A chain longer than this is shortened in messages to its first and last items around "...".
MAX_CHAIN = 8


@attrs.frozen(eq=False)  # identity: failures form chains thousands deep; comparing them would walk them
class Failure:
    """Item ``code`` failed: with its own ``error``, or (``error`` None) because ``component`` failed.

    ``line`` is the BOM line of ``code`` that names the failed component
    (where the ``component-failed`` diagnostic points): or its by-product line, or the
    co-product line of its producer, when that is what failed.
    """

    code: str
    error: Diagnostic | None = None
    component: Failure | None = None
    line: BomLine | ByProduct | CoProduct | None = None

    def chain(self) -> tuple[str, ...]:
        """The item codes from this item down to the one that failed with its own error (iterative)."""
        codes = [self.code]
        current = self.component
        while current is not None:
            codes.append(current.code)
            current = current.component
        return tuple(codes)

    def root(self) -> Diagnostic:
        """The error of the item at the end of the chain: the reason behind this failure."""
        current = self
        while current.error is None and current.component is not None:
            current = current.component
        if current.error is None:  # unreachable by construction; a reason is still better than a traceback
            return Diagnostic.error("component-failed", f"item {current.code} could not be costed")
        return current.error

    def diagnostic(self) -> Diagnostic:
        """The diagnostic that says why this item failed: its own error, or ``component-failed``."""
        if self.error is not None:
            return self.error
        root = self.root()
        chain = self.chain()
        component = chain[1] if len(chain) > 1 else "?"
        return Diagnostic.error(
            "component-failed",
            f"item {self.code} cannot be costed: component {component} failed ({_names(chain)}): {root.message}",
            self.line.span if self.line is not None else None,
            f"correct the {root.code} error of {chain[-1]}{_at(root.span)}; {self.code} is costed once its "
            "components are",
        )


def _names(chain: tuple[str, ...]) -> str:
    if len(chain) > MAX_CHAIN:
        head = chain[: MAX_CHAIN - 2]
        return " -> ".join((*head, f"... ({len(chain) - MAX_CHAIN + 1} more)", chain[-1]))
    return " -> ".join(chain)


def _at(span: Span | None) -> str:
    return f" (at {span.file}:{span.line}:{span.column})" if span is not None else ""
