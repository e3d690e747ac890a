"""Values, names and messages are shown shortened and with control characters escaped."""

from __future__ import annotations

from factory_journey.domain.problems import VALUE_CHARS, Problem, shorten


def test_a_long_value_keeps_its_start_and_says_its_length() -> None:
    shown = shorten("x" * 1_000_000)
    assert shown.startswith("x" * VALUE_CHARS)
    assert shown.endswith("… (1,000,000 characters)")
    assert len(shown) < VALUE_CHARS + 30


def test_a_short_value_is_kept_as_it_is() -> None:
    assert shorten("kWh") == "kWh"
    assert Problem("m", value=12.5).value == 12.5


def test_every_place_a_problem_shows_text_is_bounded() -> None:
    problem = Problem("Column " + "y" * 5_000 + " is unknown", column="c" * 5_000,
                      value="v" * 1_000_000, file="f.csv")
    assert len(problem.describe()) < 1_000
    assert len(str(problem.to_dict())) < 1_500
    assert problem.value.endswith("(1,000,000 characters)")


def test_terminal_control_characters_are_escaped() -> None:
    problem = Problem("bad", column="unit\x1b[2J", value="a\x07")
    assert "\x1b" not in problem.describe() and "\\x1b[2J" in problem.describe()
    assert "\x07" not in problem.describe()


def test_a_nested_json_value_is_shortened_as_text() -> None:
    problem = Problem("bad", value={"a": ["b" * 500]})
    assert isinstance(problem.value, str) and len(problem.value) < 120


def test_a_huge_integer_is_shortened_as_text() -> None:
    assert Problem("bad", value=10**400).value.endswith("(401 characters)")
    assert Problem("bad", value=10**20).value == 10**20
