"""wai.raking against R's survey::rake and postStratify.

R 4.2, survey 4.1.1 (tests/data/design/refs_rake.R; its output in refs_rake.out):

    st <- read.csv("tests/data/design/apistrat.csv", na.strings="")
    d0 <- svydesign(id=~1, strata=~stype, weights=~pw, data=st)
    pop.types <- data.frame(stype=c("E", "H", "M"), Freq=c(4421, 755, 1018))
    pop.awards <- data.frame(awards=c("No", "Yes"), Freq=c(2500, 3694))
    r <- rake(d0, list(~stype, ~awards), list(pop.types, pop.awards), control=list(maxit=1000, epsilon=1e-11))
    weights(r)[c(1, 2, 101, 200)]; svymean(~y1, r)
    dw <- svydesign(id=~1, strata=~stype, weights=~w, data=cbind(st, w=weights(r))); svymean(~y1, dw)
    weights(postStratify(d0, ~stype, pop.types))[c(1, 101, 200)]
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wai.design import Design, count_design, linearized_wai
from wai.errors import InputError, OptionError
from wai.raking import poststratify, rake
from wai.scales import LikertScale

ST = pd.read_csv(Path(__file__).parent / "data" / "design" / "apistrat.csv")
MARGINS = {"stype": {"E": 4421, "H": 755, "M": 1018}, "awards": {"No": 2500, "Yes": 3694}}


def test_rake_matches_survey_rake():
    r = rake(ST, MARGINS, "pw")
    assert r.converged and r.max_error < 1e-12
    want = [50.938393664734122, 41.721416041746458, 41.721416041746458, 13.127881316811269]
    np.testing.assert_allclose(r.weights[[0, 1, 100, 199]], want, rtol=1e-10)
    assert r.weights.sum() == pytest.approx(6194, rel=1e-13)
    assert r.margins["total"].to_numpy() == pytest.approx(r.margins["target"].to_numpy(), rel=1e-12)


def test_raked_weights_in_a_design():
    w = rake(ST, MARGINS, "pw").weights
    est, var = linearized_wai(count_design(ST.assign(w=w), ["q1"], LikertScale.numeric(1, 5),
                                           Design(weights="w", strata="stype")))
    assert est[0] == pytest.approx(0.52916475380475825, rel=1e-10)
    # the raked weights taken as fixed (R's calibration-aware SE is 0.023752519739571102)
    assert np.sqrt(var[0]) == pytest.approx(0.023832259324533041, rel=1e-8)


def test_poststratify_matches_survey_poststratify():
    r = poststratify(ST, "stype", MARGINS["stype"], "pw")
    np.testing.assert_allclose(r.weights[[0, 100, 199]], [44.210000000000008, 44.210000000000008, 15.1],
                               rtol=1e-13)
    assert r.converged and r.iterations == 1


def test_inconsistent_margins_do_not_converge_and_say_so():
    r = rake(ST, {"stype": {"E": 4421, "H": 755, "M": 1018}, "awards": {"No": 100, "Yes": 100}}, "pw",
             max_iter=50)
    assert not r.converged and r.iterations == 50 and r.max_error > 0.1


def test_bad_margins_are_named():
    with pytest.raises(InputError, match="column 'stype'"):
        rake(ST, {"stype": {"E": 1, "H": 1}})
    with pytest.raises(OptionError, match="occur in the sample"):
        rake(ST, {"stype": {"E": 1, "H": 1, "M": 1, "X": 1}})
    with pytest.raises(OptionError, match="positive population totals"):
        rake(ST, {"stype": {"E": 1, "H": 0, "M": 1}})
