"""Re-parsing a changed file: only the top-level declarations the change touches.

:func:`reparse` compares the new text of a file with the text its previous
tree was parsed from, line by line: the lines both share at the start and at
the end are unchanged.  The declarations that lie wholly in the unchanged
start are kept as they are; those wholly in the unchanged end are kept with
their positions moved by the number of lines added or removed; the lines in
between (widened to whole declarations, and to whole lines, so that the piece
starts where a declaration may start) are parsed on their own and their
positions moved to where they lie in the file.  The grammar reads a file as a
sequence of declarations, and no token (a string, a comment) runs past the end
of a line, so the pieces put together are what parsing the whole text gives.

Anything out of the ordinary is parsed whole, so diagnostics are always those
of a full parse, at their exact lines and columns: a piece with a syntax
error, a text that starts with a byte-order mark, a first parse.
"""

from __future__ import annotations

import functools

import attrs

from ..diagnostics import Diagnostic, Span
from . import nodes as n
from .parser import BYTE_ORDER_MARK, comments_of, parse

__all__ = ["changed_lines", "reparse", "shifted"]


def reparse(
    previous: tuple[str, n.SourceFile] | None, text: str, file: str
) -> tuple[n.SourceFile | None, tuple[Diagnostic, ...]]:
    """Parse ``text`` (file ``file``), reusing ``previous``: ``(its text, its tree)`` or None.

    The same as ``parse(text, file)``, spans included (see the module docstring)."""
    if previous is None or text.startswith(BYTE_ORDER_MARK) or previous[0].startswith(BYTE_ORDER_MARK):
        return parse(text, file)
    old_text, old_tree = previous
    if text == old_text and old_tree.file == file:
        return old_tree, ()
    old_lines, new_lines = old_text.split("\n"), text.split("\n")
    first, last = changed_lines(old_lines, new_lines)  # in the old text; last < first: lines only inserted
    declarations = old_tree.declarations
    spans = [d.span for d in declarations]
    if old_tree.file != file or any(span is None for span in spans):
        return parse(text, file)
    # widen the changed lines to whole declarations: a declaration that reaches into them is parsed again
    for span in reversed(spans):  # from the end, so that a declaration ending where another starts joins too
        if span.line < first <= span.end_line:
            first = span.line
    for span in spans:
        if span.line <= last < span.end_line:
            last = span.end_line
    before = tuple(d for d, span in zip(declarations, spans, strict=True) if span.end_line < first)
    after = tuple(d for d, span in zip(declarations, spans, strict=True) if span.line > last)
    delta = len(new_lines) - len(old_lines)
    piece = "\n".join(new_lines[first - 1 : last + delta])
    tree, diagnostics = parse(piece, file)
    if tree is None or diagnostics:
        return parse(text, file)  # every syntax error, located as a full parse locates it
    middle = tuple(shifted(d, first - 1) for d in tree.declarations) if first > 1 else tree.declarations
    if delta:
        after = tuple(shifted(d, delta) for d in after)
    return n.SourceFile(before + middle + after, file, tuple(comments_of(text, file))), ()


def changed_lines(old_lines: list[str], new_lines: list[str]) -> tuple[int, int]:
    """``(first, last)``: the lines of the old text (1-based, inclusive) that differ from the new text,
    after the lines both share at the start and at the end.  ``last`` is ``first - 1`` when lines were
    only inserted before line ``first``."""
    limit = min(len(old_lines), len(new_lines))
    start = 0
    while start < limit and old_lines[start] == new_lines[start]:
        start += 1
    end = 0
    while end < limit - start and old_lines[-1 - end] == new_lines[-1 - end]:
        end += 1
    return start + 1, len(old_lines) - end


def shifted(node, lines: int):
    """``node`` with every span in it (its children's, a formula's, a diagnostic's) ``lines`` lines lower."""
    if isinstance(node, Span):
        return Span(node.file, node.line + lines, node.column, node.end_line + lines, node.end_column)
    if isinstance(node, tuple):
        return tuple(shifted(child, lines) for child in node)
    if not attrs.has(type(node)):
        return node
    changes = {}
    for name, alias in _fields(type(node)):
        value = getattr(node, name)
        if value is None or isinstance(value, (str, int)):
            continue
        moved = shifted(value, lines)
        if moved is not value:
            changes[alias] = moved
    return attrs.evolve(node, **changes) if changes else node


@functools.cache
def _fields(cls) -> tuple[tuple[str, str], ...]:
    return tuple((field.name, field.alias) for field in attrs.fields(cls) if field.init)
