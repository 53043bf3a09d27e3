"""Did-you-mean: the code or word a misspelt one most likely meant.

:func:`nearest` ranks the candidates that are close enough, deterministically:

1. by how well the candidate fits the place (``fit``, 0 best): an element of a
   cost group the condition accepts there before any other chart line, a
   condition of the kind the place needs before one of another kind …;
2. by edit distance (insertions, deletions, substitutions and swaps of two
   neighbouring characters, letter case ignored), then with letter case;
3. by how far apart the first differing characters are (for digits, the
   numbers they belong to: ``1130`` is nearer ``1120`` than ``1110``);
4. by text.

A candidate is close enough when at most 30% of the longer text's characters
need an edit (so codes of three characters or fewer get a suggestion only
for a difference in letter case).  Texts longer than :data:`LONGEST` (twice
the longest code) get no suggestion: they are no misspelt code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["nearest", "distance", "LONGEST"]

#: the share of the longer text's characters that may differ
_SHARE_TENTHS = 3
#: no suggestion for or of texts longer than this
LONGEST = 40


def nearest(word: str, candidates: Iterable[str], fit: Callable[[str], int] | None = None) -> str | None:
    """The candidate ``word`` most likely meant, or None when none is close (see the module docstring)."""
    if len(word) > LONGEST:
        return None
    folded = word.casefold()
    pattern = _Pattern(folded)
    best: tuple | None = None
    for candidate in candidates:
        if candidate == word or len(candidate) > LONGEST:
            continue
        limit = max(len(word), len(candidate)) * _SHARE_TENTHS // 10
        other = candidate.casefold()
        if abs(len(other) - len(folded)) > limit:
            continue
        edits = pattern.distance(other)
        if edits > limit:
            continue
        key = (fit(candidate) if fit else 0, edits, distance(word, candidate), _gap(word, candidate), candidate)
        if best is None or key < best:
            best = key
    return None if best is None else best[-1]


def distance(a: str, b: str) -> int:
    """Edits that turn ``a`` into ``b``: insertions, deletions, substitutions and swaps of two
    neighbours (the optimal string alignment distance)."""
    return _Pattern(a).distance(b)


class _Pattern:
    """A text prepared for Hyyrö's bit-parallel optimal string alignment distance ("A bit-vector
    algorithm for computing Levenshtein and Damerau edit distances", 2003): one pass over the
    other text with a few integer operations per character, so that a ruleset's thousands of
    codes are compared quickly."""

    __slots__ = ("last", "length", "mask", "positions")

    def __init__(self, text: str):
        self.length = len(text)
        self.mask = (1 << self.length) - 1
        self.last = 1 << (self.length - 1) if text else 0
        self.positions: dict[str, int] = {}
        for index, char in enumerate(text):
            self.positions[char] = self.positions.get(char, 0) | 1 << index

    def distance(self, other: str) -> int:
        if not self.length:
            return len(other)
        mask, last, positions = self.mask, self.last, self.positions
        vp, vn, d0, previous = mask, 0, 0, 0
        score = self.length
        for char in other:
            pm = positions.get(char, 0)
            swapped = (((~d0) & pm) << 1) & previous
            d0 = ((((pm & vp) + vp) ^ vp) | pm | vn | swapped) & mask
            hp = (vn | ~(d0 | vp)) & mask
            hn = d0 & vp
            if hp & last:
                score += 1
            elif hn & last:
                score -= 1
            shifted = (hp << 1) | 1
            vn = shifted & d0
            vp = ((hn << 1) | ~(shifted | d0)) & mask
            previous = pm
        return score


def _gap(a: str, b: str) -> int:
    """How far apart ``a`` and ``b`` are where they first differ: the difference of the
    numbers there when both have digits at that place, else of the two characters."""
    # not strict: only the common prefix is compared, a longer tail is the length difference below
    index = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    if index is None:
        return abs(len(a) - len(b))
    if a[index].isdigit() and b[index].isdigit():
        return abs(_number_at(a, index) - _number_at(b, index))
    return abs(ord(a[index]) - ord(b[index]))


def _number_at(text: str, index: int) -> int:
    """The run of digits around ``index`` as a number (the texts are at most LONGEST characters)."""
    start = index
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    end = index
    while end < len(text) and text[end].isdigit():
        end += 1
    return int(text[start:end])
