"""core/lists: the first few named, the rest counted, in the words the import's findings use."""

from insatskollen.core import fmt, lists


def rows(rest: int) -> str:
    return fmt.count_phrase(rest, "rad", "rader")


def test_named_joins_the_last_two_with_och_and_counts_what_is_left():
    assert lists.named([3], 10, rows) == "3"
    assert lists.named([3, 5], 10, rows) == "3 och 5"
    assert lists.named([3, 5, 7], 10, rows) == "3, 5 och 7"
    assert lists.named(list(range(1, 13)), 10, rows) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 och 2 rader till"
    assert lists.named(["Gävle", "Malmö", "Motala"], 2) == "Gävle, Malmö och 1 till"


def test_named_without_och_and_with_another_separator():
    assert lists.named(["a", "b", "c"], 5, last=None) == "a, b, c"
    assert lists.named(["a", "b", "c"], 2, rows, separator="; ", last=None) == "a; b och 1 rad till"
    assert lists.named([(1, "x")], 5, show=lambda item: f"rad {item[0]} ({item[1]})") == "rad 1 (x)"


def test_capped_keeps_the_first_and_one_line_for_the_rest():
    assert lists.capped(["a", "b"], 2, lambda rest: f"{rest} till") == ["a", "b"]
    assert lists.capped(["a", "b", "c", "d"], 2, lambda rest: f"{rest} till") == ["a", "b", "2 till"]
    assert lists.capped([1, 2, 3], 1, str, show=lambda n: f"rad {n}") == ["rad 1", "2"]


def test_further_says_how_many_were_shown():
    assert (
        lists.further(rows(12), "i kolumn E har använt mer än beviljat", 10)
        == "Ytterligare 12 rader i kolumn E har använt mer än beviljat (visas bara för de första 10)."
    )
