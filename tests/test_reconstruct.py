"""The seeded reconstruction regenerates the shipped responses byte for byte and hits its targets."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from wai.cli.reconstruct import main
from wai.study.reconstruct import category_counts_for_sum, reconstruct
from wai.study import load_study

ROOT = Path(__file__).resolve().parents[1]
CHAPTER11 = ROOT / "data" / "raw" / "chapter11"


def test_regenerates_the_shipped_file_byte_for_byte(tmp_path):
    out = tmp_path / "responses.csv"
    assert main(["--study", str(CHAPTER11), "--out", str(out)]) == 0
    assert out.read_bytes() == (CHAPTER11 / "responses.csv").read_bytes()
    assert main(["--study", str(CHAPTER11), "--check"]) == 0


def test_another_seed_gives_other_answers_with_the_same_published_numbers():
    study = load_study(CHAPTER11)
    a, b = reconstruct(study), reconstruct(study, seed=12)
    assert not a.equals(b)
    for frame in (a, b):
        assert len(frame) == 99
        assert frame["Gender"].value_counts().to_dict() == {"Male": 53, "Female": 46}
        # 27.7% etc. cannot come from 99 answers; 94 is the largest n <= 99 they fit
        assert frame["Occupation"].notna().sum() == 94


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 300), points=st.integers(2, 9), data=st.data(), seed=st.integers(0, 10**6))
def test_category_counts_hit_the_total(n, points, data, seed):
    total = data.draw(st.integers(0, n * (points - 1)))
    counts = category_counts_for_sum(n, total, points, random.Random(seed))
    assert len(counts) == points and min(counts) >= 0
    assert sum(counts) == n
    assert sum(k * c for k, c in enumerate(counts)) == total


def test_impossible_total_is_refused():
    with pytest.raises(ValueError):
        category_counts_for_sum(3, 13, 5, random.Random(0))
