"""The did-you-mean ranking (costsheet.check.nearest): edit distance against a reference,
and a suggestion that depends on the candidates, never on their order."""

from __future__ import annotations

import functools

from hypothesis import given
from hypothesis import strategies as st

from costsheet.check.nearest import LONGEST, distance, nearest

words = st.text("ab1-", max_size=8)
codes = st.from_regex(r"\A[A-C0-3][A-C0-3\-]{0,6}\Z")


def reference(a: str, b: str) -> int:
    """Optimal string alignment distance, written as its recurrence."""

    @functools.cache
    def d(i: int, j: int) -> int:
        if not i or not j:
            return i or j
        best = min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] != b[j - 1]))
        if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
            best = min(best, d(i - 2, j - 2) + 1)
        return best

    return d(len(a), len(b))


@given(words, words)
def test_distance_is_the_optimal_string_alignment_distance(a, b):
    assert distance(a, b) == reference(a, b) == distance(b, a)


@given(st.text(max_size=40), st.text(max_size=40))
def test_distance_of_any_texts_up_to_the_longest_code_suggested(a, b):
    assert distance(a, b) == reference(a, b)


@given(codes, st.lists(codes, max_size=8, unique=True), st.randoms())
def test_the_suggestion_does_not_depend_on_the_candidates_order(word, candidates, random):
    shuffled = candidates[:]
    random.shuffle(shuffled)
    assert nearest(word, candidates) == nearest(word, shuffled)


@given(codes, st.lists(codes, max_size=8))
def test_a_suggestion_is_a_close_other_candidate(word, candidates):
    found = nearest(word, candidates)
    if found is not None:
        assert found in candidates and found != word
        assert distance(word.casefold(), found.casefold()) <= max(len(word), len(found)) * 3 // 10


def test_fit_comes_before_distance_and_distance_before_nearness():
    assert nearest("1130", ["1110", "1120", "4110"]) == "1120"  # one edit each but 4110; 1120 is nearest
    assert nearest("1130", ["1120", "1110"], fit=lambda c: c != "1110") == "1110"
    assert nearest("1130", ["1120", "1131X"]) == "1120"


def test_swapped_letters_and_letter_case_are_small_mistakes():
    assert nearest("mateiral", ["material", "mfg-overhead"]) == "material"
    assert nearest("ico-0001", ["ICO-0001", "ICO-0002"]) == "ICO-0001"


def test_very_long_texts_get_no_suggestion():
    long = "A" * (LONGEST + 1)
    assert nearest(long, [long + "B"]) is None and nearest("AAAA", [long]) is None
