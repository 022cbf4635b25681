"""Rounding rules (wai.rounding): each rule's interval holds exactly the values it rounds to the print."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from wai.errors import OptionError
from wai.rounding import (RULES, interval, integers_in, reproducing_rules, resolve_rounding, round_by,
                          union_interval)


def test_interval_is_the_preimage_of_round_by():
    # derandomized sweep: every exact value rounds (by each rule) to a print whose interval holds it,
    # and the neighbouring prints' intervals do not
    rng = random.Random(12)
    for _ in range(500):
        x = Fraction(rng.randint(-3000, 3000), rng.choice([3, 8, 16, 40, 200, 1000]))
        d = rng.choice([0, 1, 2])
        for rule in RULES:
            v = round_by(x, d, rule)
            unit = Decimal(1).scaleb(-d)
            assert interval(str(v), rule).contains(x), (x, d, rule)
            assert not interval(str(v + unit), rule).contains(x)
            assert not interval(str(v - unit), rule).contains(x)


@pytest.mark.parametrize("rule, low, high, closed", [
    ("up", "0.595", "0.605", (True, False)), ("down", "0.595", "0.605", (False, True)),
    ("even", "0.595", "0.605", (True, True)), ("ceiling", "0.59", "0.60", (False, True)),
    ("floor", "0.60", "0.61", (True, False)), ("truncate", "0.60", "0.61", (True, False)),
    ("anti_truncate", "0.59", "0.60", (False, True)),
])
def test_hand_intervals_of_0_60(rule, low, high, closed):
    span = interval("0.60", rule)
    assert (span.low, span.high) == (Fraction(low), Fraction(high))
    assert (span.low_closed, span.high_closed) == closed


def test_even_depends_on_the_last_digit_and_sets():
    assert interval("0.61", "even").low_closed is False  # 0.605 -> 0.60, 0.615 -> 0.62
    assert resolve_rounding("usual") == ("up", "down", "even", "truncate")
    assert resolve_rounding("anything") == RULES
    span = union_interval("0.60", "usual")  # [0.595, 0.605] from half up/down, [0.60, 0.61) truncated
    assert (span.low, span.high, span.low_closed, span.high_closed) == \
        (Fraction("0.595"), Fraction("0.61"), True, False)
    # 2.675 exactly: half up 2.68, half down and truncation 2.67, half even 2.68 (8 is even)
    assert reproducing_rules(Fraction("2.675"), "2.67", "anything") == ("down", "floor", "truncate")
    assert integers_in(interval("0.60", "up"), 396) == range(236, 240)  # 236/396 = 0.5960 .. 239/396 = 0.6035
    with pytest.raises(OptionError, match="did you mean 'even'"):
        resolve_rounding("evn")
    with pytest.raises(OptionError):
        resolve_rounding(["up", "sideways"])
