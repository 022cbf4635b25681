"""Survey designs (wai.design) against R's survey package.

Every reference number below was printed by R 4.2, survey 4.1.1, with
tests/data/design/refs.R (which also wrote the CSV files the tests read):
the api data of the survey package (apistrat, apiclus1, apiclus2) with two
Likert-like items made from api00 and meals (``q1``, ``q2``; ``q2`` missing
where ``acs.k3`` is), and MASS::housing (``Sat`` with ``Freq``). The test
suite does not need R.

    lik <- function(x, br) as.integer(cut(x, breaks=c(-Inf, br, Inf)))
    d$q1 <- lik(d$api00, c(500, 600, 700, 800))
    d$q2 <- lik(d$meals, c(20, 40, 60, 80)); d$q2[is.na(d$acs.k3)] <- NA
    d$y1 <- (d$q1 - 1) / 4; d$y2 <- (d$q2 - 1) / 4     # the WAI scores
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wai.design import Design, count_design, combine_design_counts, linearized_wai, replicate_wai
from wai.errors import InputError, OptionError
from wai.scales import LikertScale

DATA = Path(__file__).parent / "data" / "design"
S5 = LikertScale(("1", "2", "3", "4", "5"))
S3 = LikertScale(("Low", "Medium", "High"))
JK = [f"jk{i}" for i in range(1, 16)]
BS = [f"bs{i}" for i in range(1, 51)]


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv")


def se_of(dc):
    est, var = linearized_wai(dc)
    return est, np.sqrt(var)


def close(got, want, rel=1e-10):
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=rel, atol=0)


# --------------------------------------------------------------------------
# linearization: svymean / svyby
# --------------------------------------------------------------------------


def test_stratified_with_fpc_matches_svymean():
    # dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, data=st, fpc=~fpc)
    # svymean(~y1, dstrat); svymean(~y2, dstrat, na.rm=TRUE)
    est, se = se_of(count_design(read("apistrat"), ["q1", "q2"], S5,
                                 Design(weights="pw", strata="stype", fpc="fpc")))
    close(est, [0.53290361528944097, 0.5], 1e-12)
    close(se, [0.023170444477491427, 0.035668382705336434])


def test_stratified_without_fpc():
    # svymean(~y1, svydesign(id=~1, strata=~stype, weights=~pw, data=st))
    _, se = se_of(count_design(read("apistrat"), ["q1"], S5, Design(weights="pw", strata="stype")))
    close(se, [0.02348308720581559])


def test_domains_are_estimated_in_the_whole_design_as_svyby():
    # svyby(~y1, ~awards, dstrat, svymean); svyby(~y2, ~awards, dstrat, svymean, na.rm=TRUE)
    est, se = se_of(count_design(read("apistrat"), ["q1", "q2"], S5,
                                 Design(weights="pw", strata="stype", fpc="fpc"), by="awards"))
    # group-major: (No, q1), (No, q2), (Yes, q1), (Yes, q2)
    close(est, [0.46101934605507111, 0.51851851851851849, 0.5735255470333892, 0.49285714285714283], 1e-12)
    close(se, [0.038256148281568245, 0.073515221752270418, 0.02901260609048683, 0.040451297170528561])


def test_one_stage_cluster_sample_with_fpc():
    # d1 <- svydesign(id=~dnum, weights=~pw, data=c1, fpc=~fpc)
    # svymean(~y1, d1); svymean(~y2, d1, na.rm=TRUE); svyby(~y2, ~awards, d1, svymean, na.rm=TRUE)
    c1 = read("apiclus1")
    est, se = se_of(count_design(c1, ["q1", "q2"], S5, Design(weights="pw", clusters="dnum", fpc="fpc")))
    close(est, [0.48907103825136611, 0.52256944444444442], 1e-12)
    close(se, [0.059933033871661628, 0.082503964891811929])
    est, se = se_of(count_design(c1, ["q2"], S5, Design(weights="pw", clusters="dnum", fpc="fpc"), by="awards"))
    close(est, [0.55303030303030309, 0.51351351351351349], 1e-12)
    close(se, [0.1086874889799684, 0.077253626191186253])


def test_stratified_cluster_sample_and_its_domains():
    # d2 <- svydesign(id=~dnum, strata=~stype, weights=~pw, data=c2, nest=TRUE)
    # svymean(~y1, d2); svymean(~y2, d2, na.rm=TRUE); svyby(~y1, ~awards, d2, svymean)
    c2 = read("apiclus2")
    design = Design(weights="pw", strata="stype", clusters="dnum")
    est, se = se_of(count_design(c2, ["q1", "q2"], S5, design))
    close(est, [0.54114391143911433, 0.54384531590413943], 1e-12)
    close(se, [0.057412058064938661, 0.13051106799222353])
    _, se = se_of(count_design(c2, ["q1"], S5, design, by="awards"))
    close(se, [0.048174188217600354, 0.068663224589401342])


# R: options(survey.lonely.psu=lp); d3 <- svydesign(id=~dnum, strata=~st3, weights=~pw, data=c1)
# st3 puts one district alone in stratum "L"; svymean(~y1, d3); svymean(~y2, d3, na.rm=TRUE);
# svyby(~y1, ~awards, d3, svymean)
LONELY = {
    "remove": ([0.058769056721509741, 0.075700713596148078], [0.07621886418762519, 0.054430789137315444]),
    "certainty": ([0.058769056721509741, 0.075700713596148078], [0.07621886418762519, 0.054430789137315444]),
    "adjust": ([0.05992342547529788, 0.079455531959621212], [0.077348661617686124, 0.055463070706769632]),
    "average": ([0.071977100816190451, 0.092714060737565884], [0.093348663017086012, 0.066663829841724101]),
}


@pytest.mark.parametrize("lonely", sorted(LONELY))
def test_lonely_psu_choices_as_survey_lonely_psu(lonely):
    data = read("apiclus1_lonely")
    design = Design(weights="pw", strata="st3", clusters="dnum", lonely_psu=lonely)
    _, se = se_of(count_design(data, ["q1", "q2"], S5, design))
    close(se, LONELY[lonely][0])
    _, se = se_of(count_design(data, ["q1"], S5, design, by="awards"))
    close(se, LONELY[lonely][1])


def test_lonely_psu_fail_names_the_stratum():
    dc = count_design(read("apiclus1_lonely"), ["q1"], S5, Design(weights="pw", strata="st3", clusters="dnum"))
    with pytest.raises(OptionError, match="stratum 'L' has only one PSU"):
        linearized_wai(dc)


# --------------------------------------------------------------------------
# replicate weights: svrepdesign
# --------------------------------------------------------------------------


def test_jk1_replicates_match_svrepdesign():
    # rj <- as.svrepdesign(d1, type="JK1", compress=FALSE)   (rj$scale = 0.91483927785116681)
    # rj2 <- svrepdesign(data=out, repweights=out[, jk], weights=~pw, type="JK1", scale=rj$scale,
    #                    combined.weights=TRUE)
    # svymean(~I((q1-1)/4), rj2); svymean(~I((q2-1)/4), rj2, na.rm=TRUE); svyby(~I((q1-1)/4), ~awards, rj2, svymean)
    c1 = read("apiclus1")
    design = Design(weights="pw", replicates=JK, replicate_method="JK1", replicate_scale=0.91483927785116681)
    est, var, _ = replicate_wai(count_design(c1, ["q1", "q2"], S5, design))
    close(est, [0.48907103825136611, 0.52256944444444442], 1e-12)
    close(np.sqrt(var), [0.066917498829974997, 0.094092336035690463])
    est, var, _ = replicate_wai(count_design(c1, ["q1"], S5, design, by="awards"))
    close(est, [0.43396226415094341, 0.5115384615384615], 1e-12)
    close(np.sqrt(var), [0.09239627484703615, 0.059175716253913289])


def test_bootstrap_replicates_match_svrepdesign():
    # rb <- as.svrepdesign(d1, type="bootstrap", replicates=50, compress=FALSE)  (set.seed(20261201))
    # rb2 <- svrepdesign(data=out, repweights=out[, bs], weights=~pw, type="bootstrap", combined.weights=TRUE)
    # svymean(~I((q1-1)/4), rb2); svymean(~I((q2-1)/4), rb2, na.rm=TRUE); and with mse=TRUE
    c1 = read("apiclus1")
    design = Design(weights="pw", replicates=BS, replicate_method="bootstrap")
    _, var, _ = replicate_wai(count_design(c1, ["q1", "q2"], S5, design))
    close(np.sqrt(var), [0.065550430357865452, 0.086001459242701556])
    design = Design(weights="pw", replicates=BS, replicate_method="bootstrap", mse=True)
    _, var, _ = replicate_wai(count_design(c1, ["q1"], S5, design))
    close(np.sqrt(var), [0.067051751134028684])


def test_brr_fay_and_jkn_factors():
    # svrepdesign: BRR scale 1/R, Fay 1/(R (1 - rho)^2), JKn scale 1 with rscales, JK1 (R - 1)/R
    reps = tuple(f"r{i}" for i in range(4))
    assert Design(replicates=reps, replicate_method="BRR").replicate_factors()[0] == 0.25
    assert Design(replicates=reps, replicate_method="Fay", fay_rho=0.5).replicate_factors()[0] == 1.0
    assert Design(replicates=reps, replicate_method="JK1").replicate_factors()[0] == 0.75
    scale, rscales = Design(replicates=reps, replicate_method="JKn",
                            replicate_rscales=(0.5, 0.5, 0.5, 0.5)).replicate_factors()
    assert scale == 1.0 and rscales.tolist() == [0.5] * 4
    with pytest.raises(OptionError, match="replicate_rscales"):
        Design(replicates=reps, replicate_method="JKn")
    with pytest.raises(OptionError, match="fay_rho"):
        Design(replicates=reps, replicate_method="Fay")
    with pytest.raises(OptionError, match="replicates"):
        Design(strata="s", replicates=reps, replicate_method="BRR")


def test_brr_by_hand():
    # two strata of two PSUs, half-samples (1,1), (1,2), (2,1), (2,2) doubled: theta_r by hand
    df = pd.DataFrame({"q": ["Low", "High", "Medium", "High"], "w": [1.0] * 4,
                       "r0": [2, 0, 2, 0.0], "r1": [2, 0, 0, 2.0], "r2": [0, 2, 2, 0.0], "r3": [0, 2, 0, 2.0]})
    d = Design(weights="w", replicates=("r0", "r1", "r2", "r3"), replicate_method="BRR")
    est, var, theta = replicate_wai(count_design(df, ["q"], S3, d))
    assert theta[:, 0].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert est[0] == 0.625
    assert var[0] == pytest.approx(((0.25 - 0.625) ** 2 + (0.5 - 0.625) ** 2) * 2 / 4, rel=1e-15)


# --------------------------------------------------------------------------
# frequency weights: exactly the expanded rows
# --------------------------------------------------------------------------


def test_frequency_weights_are_the_expanded_rows():
    # e <- h[rep(seq_len(nrow(h)), h$Freq), ]; de <- svydesign(ids=~1, data=e)
    # svyby(~ysat, ~Type, de, svymean); ds <- svydesign(ids=~1, strata=~Cont, data=e)
    h = read("housing")
    dc = count_design(h, ["Sat"], S3, Design(frequency="Freq"), by="Type")
    expanded = h.loc[h.index.repeat(h["Freq"])].drop(columns="Freq")
    de = count_design(expanded, ["Sat"], S3, Design(), by="Type")
    pd.testing.assert_frame_equal(dc.table(), de.table())
    est, se = se_of(dc)
    assert np.array_equal(est, se_of(de)[0]) and np.array_equal(se, se_of(de)[1])
    # groups sorted: Apartment, Atrium, Terrace, Tower (R's factor order: Tower first)
    close(est, [0.52026143790849666, 0.56694560669456062, 0.38628158844765342, 0.62624999999999997], 1e-12)
    close(se, [0.01563286269558729, 0.026113628131556137, 0.024801193423086419, 0.020678351305280895])
    _, se = se_of(count_design(h, ["Sat"], S3, Design(frequency="Freq", strata="Cont"), by="Type"))
    close(se, [0.015603703377261116, 0.026111213852730394, 0.024782915963795792, 0.020647161695550208])


def test_frequency_taken_as_sampling_weights_is_what_the_issue_reported():
    # svymean(~ysat, svydesign(ids=~1, weights=~Freq, data=h)): the SE 6.4 times too large
    _, se = se_of(count_design(read("housing"), ["Sat"], S3, Design(weights="Freq")))
    close(se, [0.066788525146784031])
    _, se = se_of(count_design(read("housing"), ["Sat"], S3, Design(frequency="Freq")))
    close(se, [0.010430265428826014])


def test_frequency_with_clusters_and_weights_equals_expanded_rows():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"q": rng.choice(["Low", "Medium", "High", None], 60), "c": rng.integers(0, 9, 60),
                       "s": rng.choice(["a", "b"], 60), "w": rng.choice([0.5, 1.0, 2.25], 60),
                       "f": rng.integers(0, 4, 60)})
    design = Design(weights="w", strata="s", clusters="c", frequency="f")
    ex = df.loc[df.index.repeat(df["f"])]
    a = se_of(count_design(df, ["q"], S3, design))
    b = se_of(count_design(ex, ["q"], S3, Design(weights="w", strata="s", clusters="c")))
    close(a[0], b[0], 1e-14)
    close(a[1], b[1], 1e-13)


# --------------------------------------------------------------------------
# chunks add up
# --------------------------------------------------------------------------


def test_chunks_combine_to_the_whole():
    c2 = read("apiclus2")
    design = Design(weights="pw", strata="stype", clusters="dnum")
    whole = count_design(c2, ["q1", "q2"], S5, design, by="awards")
    parts = [count_design(c2.iloc[i:i + 37], ["q1", "q2"], S5, design, by="awards") for i in range(0, len(c2), 37)]
    joined = combine_design_counts(parts)
    est, se = se_of(joined)
    close(est, se_of(whole)[0], 1e-14)
    close(se, se_of(whole)[1], 1e-12)
    pd.testing.assert_frame_equal(joined.table(), whole.table(), rtol=1e-14)


def test_bad_design_values_are_named():
    df = pd.DataFrame({"q": ["Low", "High"], "s": ["a", None], "f": [1.5, 1]})
    with pytest.raises(InputError) as error:
        count_design(df, ["q"], S3, Design(strata="s", frequency="f"))
    text = str(error.value)
    assert "column 's'" in text and "row 3" in text and "column 'f'" in text and "whole number" in text
    with pytest.raises(OptionError):
        Design(lonely_psu="drop")


# --------------------------------------------------------------------------
# score(design=): memory, chunks and dask; frequency weights exactly
# --------------------------------------------------------------------------

SCORE_NUMBERS = ["wai", "se", "ci_low", "ci_high", "n_eff", "count_1", "count_5", "n"]


def test_score_design_same_in_memory_chunked_and_on_dask():
    import wai

    path = DATA / "apiclus2.csv"
    c2 = pd.read_csv(path)
    design = Design(weights="pw", strata="stype", clusters="dnum")
    memory = wai.score(c2, ["q1", "q2"], S5, by="awards", design=design)
    chunked = wai.score(path, ["q1", "q2"], S5, by="awards", design=design, chunksize=23)
    whole = wai.score(path, ["q1", "q2"], S5, by="awards", design=design)
    for other in (chunked, whole):
        close(other[SCORE_NUMBERS], memory[SCORE_NUMBERS], 1e-13)
        assert other["ci_method"].tolist() == memory["ci_method"].tolist()
    # svyby(~y1, ~awards, d2, svymean) with survey.lonely.psu irrelevant (no lonely PSU)
    close(memory["se"].iloc[[0, 2]], [0.048174188217600354, 0.068663224589401342])
    dd = pytest.importorskip("dask.dataframe")
    on_dask = wai.score(dd.from_pandas(c2, npartitions=4), ["q1", "q2"], S5, by="awards", design=design)
    close(on_dask[SCORE_NUMBERS], memory[SCORE_NUMBERS], 1e-13)


def test_score_with_frequency_weights_equals_the_expanded_rows_exactly():
    import wai

    h = read("housing")
    expanded = h.loc[h.index.repeat(h["Freq"])].drop(columns="Freq").reset_index(drop=True)
    for ci_method in ("t", "multinomial"):
        got = wai.score(h, ["Sat"], S3, by="Type", design=Design(frequency="Freq"), ci_method=ci_method,
                        n_resamples=199)
        want = wai.score(expanded, ["Sat"], S3, by="Type", ci_method=ci_method, n_resamples=199)
        pd.testing.assert_frame_equal(got, want)


def test_score_replicates_give_band_share_of_replicates():
    import wai

    c1 = read("apiclus1")
    r = wai.score(c1, ["q1", "q2"], S5, design=Design(weights="pw", replicates=BS, replicate_method="bootstrap"))
    close(r["se"], [0.065550430357865452, 0.086001459242701556])
    dc = count_design(c1, ["q1", "q2"], S5, Design(weights="pw", replicates=BS, replicate_method="bootstrap"))
    _, _, theta = replicate_wai(dc)
    from wai.bands import CHAPTER11_BANDS

    for m in range(2):
        want = np.mean([CHAPTER11_BANDS.classify(float(v), "rounded") == r["band"].iloc[m] for v in theta[:, m]])
        assert r["band_share"].iloc[m] == want
    assert set(r["ci_method"]) == {"replicate"}


def test_design_intervals_stay_in_the_unit_interval():
    import wai

    df = pd.DataFrame({"q": ["Low", "High", "High"], "c": [1, 2, 3]})
    r = wai.score(df, ["q"], S3, design=Design(clusters="c"))
    assert 0 <= r["ci_low"].iloc[0] and r["ci_high"].iloc[0] <= 1
    logit = wai.score(df, ["q"], S3, design=Design(clusters="c"), ci_method="logit")
    assert logit["ci_method"].iloc[0] == "logit" and 0 < logit["ci_low"].iloc[0] < logit["ci_high"].iloc[0] < 1
    tiny = pd.DataFrame({"q": ["Low", "High"], "c": [1, 2]})  # two answers: the normal interval leaves [0, 1]
    r = wai.score(tiny, ["q"], S3, design=Design(clusters="c"))
    assert r["ci_method"].iloc[0] == "linearization-truncated"
    assert (r["ci_low"].iloc[0], r["ci_high"].iloc[0]) == (0.0, 1.0)


# --------------------------------------------------------------------------
# rank test, category shares, compare under a design
# --------------------------------------------------------------------------


def test_rank_test_matches_svyranktest():
    # R (tests/data/design/refs_po.R): d1 <- svydesign(id=~dnum, weights=~pw, data=c1, fpc=~fpc)
    # svyranktest(q1 ~ awards, d1): t = 1.5657557479153716, df = 13, p = 0.14141507514107002
    # svyranktest(q1 ~ stype, d1): Chisq = 1.362562747347698, ndf 2, ddf 12, p = 0.52450415256612015
    from wai.design import design_rank_test

    c1 = read("apiclus1")
    design = Design(weights="pw", clusters="dnum", fpc="fpc")
    test, t, df, p = design_rank_test(count_design(c1, ["q1"], S5, design, by="awards"), "q1")
    assert test == "svyranktest-wilcoxon" and df == 13
    close([t, p], [1.5657557479153716, 0.14141507514107002])
    test, chisq, ddf, p = design_rank_test(count_design(c1, ["q1"], S5, design, by="stype"), "q1")
    assert test == "svyranktest-kruskal-wallis" and ddf == 12
    close([chisq, p], [1.362562747347698, 0.52450415256612015])


def test_compare_under_a_design():
    import wai

    c1 = read("apiclus1")
    r = wai.compare(c1, ["q1"], S5, "awards", design=Design(weights="pw", clusters="dnum", fpc="fpc"))
    assert r.loc[0, "test"] == "svyranktest-wilcoxon" and r.loc[0, "n"] == 183
    close([r.loc[0, "statistic"], r.loc[0, "p_value"]], [1.5657557479153716, 0.14141507514107002])
    assert np.isnan(r.loc[0, "po_lr"]) and "not computed under a design" in r.loc[0, "note"]
    h = read("housing")
    expanded = h.loc[h.index.repeat(h["Freq"])].drop(columns="Freq")
    pd.testing.assert_frame_equal(wai.compare(h, ["Sat"], S3, "Type", design=Design(frequency="Freq")),
                                  wai.compare(expanded, ["Sat"], S3, "Type"))


def test_category_shares_match_svyciprop_xlogit():
    # for (k in 1:5) svyciprop(~I(q1 == k), dstrat, method="xlogit")   (degf(dstrat) = 197)
    import wai

    want = [(0.09717468577593516, 0.062095279627308708, 0.14892476468553539),
            (0.23201323867476714, 0.17464349660378872, 0.30134791197069538),
            (0.26647239393825878, 0.20692802138788802, 0.33589398926728248),
            (0.25070229183767639, 0.19067729398995245, 0.32210274206435585),
            (0.15363738977336255, 0.10512201209431282, 0.21906222439931639)]
    dc = count_design(read("apistrat"), ["q1"], S5, Design(weights="pw", strata="stype", fpc="fpc"))
    t = wai.category_intervals(design=dc, item="q1")
    close(t[["share", "ci_low", "ci_high"]].to_numpy(), np.array(want))
    assert set(t["method"]) == {"xlogit"}


# --------------------------------------------------------------------------
# the codebook's [design] table
# --------------------------------------------------------------------------

CODEBOOK = """
[study]
id = "mini"
responses = "answers.csv"
[scale]
labels = ["Low", "Medium", "High"]
[[tables]]
id = "table1"
title = "Satisfaction"
[[items]]
id = "sat"
column = "Sat"
in = "table1"
"""


def test_codebook_design_table_reaches_the_report(tmp_path):
    from wai.errors import CodebookError
    from wai.report.analysis import item_scores
    from wai.study import load_study

    h = read("housing")
    h.to_csv(tmp_path / "answers.csv", index=False)
    (tmp_path / "codebook.toml").write_text(CODEBOOK + '[design]\nfrequency = "Freq"\nstrata = "Cont"\n')
    study = load_study(tmp_path)
    assert study.design == Design(frequency="Freq", strata="Cont")
    scored = item_scores(study, h)
    # svymean(~ysat, svydesign(ids=~1, strata=~Cont, data=e)) on the expanded rows e
    _, se = se_of(count_design(h, ["Sat"], S3, Design(frequency="Freq", strata="Cont")))
    close(scored["se"], se, 1e-14)
    (tmp_path / "codebook.toml").write_text(CODEBOOK + '[design]\nlonely_psu = "drop"\nfrequncy = "Freq"\n')
    with pytest.raises(CodebookError) as error:
        load_study(tmp_path)
    text = str(error.value)
    assert "lonely_psu" in text and "frequncy" in text


def test_replicate_and_frequency_designs_stream_as_in_memory(tmp_path):
    import wai

    c1 = read("apiclus1")
    design = Design(weights="pw", replicates=JK, replicate_method="JK1", replicate_scale=0.91483927785116681)
    memory = wai.score(c1, ["q1", "q2"], S5, by="awards", design=design)
    chunked = wai.score(DATA / "apiclus1.csv", ["q1", "q2"], S5, by="awards", design=design, chunksize=40)
    close(chunked[SCORE_NUMBERS], memory[SCORE_NUMBERS], 1e-13)
    close(chunked["band_share"], memory["band_share"], 0)
    h = read("housing")
    chunked = wai.score(DATA / "housing.csv", ["Sat"], S3, by="Type", design=Design(frequency="Freq"), chunksize=7,
                        n_resamples=99)
    pd.testing.assert_frame_equal(chunked, wai.score(h, ["Sat"], S3, by="Type", design=Design(frequency="Freq"),
                                                     n_resamples=99))


def test_design_options_of_the_score_and_report_commands():
    from wai.cli import report as report_cli
    from wai.cli import score as score_cli

    args = report_cli.build_parser().parse_args(["--design-weights", "pw", "--design-replicates", "r1, r2,r3",
                                                 "--design-replicate-method", "Fay", "--design-fay-rho", "0.5"])
    assert score_cli.design_of(args) == Design(weights="pw", replicates=("r1", "r2", "r3"), replicate_method="Fay",
                                               fay_rho=0.5)
    args = score_cli.build_parser().parse_args(["x.csv", "--design-strata", "s", "--design-lonely-psu", "average"])
    assert score_cli.design_of(args) == Design(strata="s", lonely_psu="average")
    assert score_cli.design_of(score_cli.build_parser().parse_args(["x.csv"])) is None
    with pytest.raises(OptionError, match="--design-fay-rho"):
        score_cli.design_of(score_cli.build_parser().parse_args(
            ["x.csv", "--design-replicates", "a,b", "--design-replicate-method", "Fay"]))


def test_score_command_with_a_design(capsys):
    from io import StringIO

    from wai.cli.score import main

    code = main([str(DATA / "housing.csv"), "--items", "Sat", "--scale", "labels:Low|Medium|High", "--by", "Type",
                 "--design-frequency", "Freq", "--design-strata", "Cont"])
    assert code == 0
    out = pd.read_csv(StringIO(capsys.readouterr().out))
    _, se = se_of(count_design(read("housing"), ["Sat"], S3, Design(frequency="Freq", strata="Cont"), by="Type"))
    close(out["se"], se, 1e-12)
    assert main([str(DATA / "housing.csv"), "--items", "Sat", "--design-strata", "Contt"]) == 2
    assert "did you mean 'Cont'" in capsys.readouterr().err
