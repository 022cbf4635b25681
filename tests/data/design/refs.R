suppressMessages(library(survey))
options(digits=17)
data(api)
lik <- function(x, br) as.integer(cut(x, breaks=c(-Inf, br, Inf)))
prep <- function(d) {
  d$q1 <- lik(d$api00, c(500, 600, 700, 800))
  d$q2 <- lik(d$meals, c(20, 40, 60, 80)); d$q2[is.na(d$acs.k3)] <- NA
  d$y1 <- (d$q1 - 1) / 4; d$y2 <- (d$q2 - 1) / 4
  d
}
st <- prep(apistrat); c1 <- prep(apiclus1); c2 <- prep(apiclus2)
write.csv(st[, c("stype", "awards", "pw", "fpc", "q1", "q2")], "/work/wt-design/tests/data/design/apistrat.csv", row.names=FALSE, na="")
write.csv(c2[, c("stype", "dnum", "snum", "awards", "pw", "q1", "q2")], "/work/wt-design/tests/data/design/apiclus2.csv", row.names=FALSE, na="")
p <- function(label, x) cat(sprintf("%s = %s\n", label, paste(sprintf("%.17g", x), collapse=", ")))
dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, data=st, fpc=~fpc)
m <- svymean(~y1, dstrat); p("strat y1 mean,se", c(coef(m), SE(m)))
m <- svymean(~y2, dstrat, na.rm=TRUE); p("strat y2 mean,se", c(coef(m), SE(m)))
b <- svyby(~y1, ~awards, dstrat, svymean); p("strat by awards y1 mean", coef(b)); p("strat by awards y1 se", SE(b))
b <- svyby(~y2, ~awards, dstrat, svymean, na.rm=TRUE); p("strat by awards y2 mean", coef(b)); p("strat by awards y2 se", SE(b))
dstrat0 <- svydesign(id=~1, strata=~stype, weights=~pw, data=st)
m <- svymean(~y1, dstrat0); p("strat nofpc y1 mean,se", c(coef(m), SE(m)))
# one-stage cluster sample with fpc
d1 <- svydesign(id=~dnum, weights=~pw, data=c1, fpc=~fpc)
m <- svymean(~y1, d1); p("clus1 y1 mean,se", c(coef(m), SE(m)))
m <- svymean(~y2, d1, na.rm=TRUE); p("clus1 y2 mean,se", c(coef(m), SE(m)))
b <- svyby(~y2, ~awards, d1, svymean, na.rm=TRUE); p("clus1 by awards y2 mean", coef(b)); p("clus1 by awards y2 se", SE(b))
# replicate weights from the one-stage cluster design, exported and rebuilt
set.seed(20261201)
rj <- as.svrepdesign(d1, type="JK1", compress=FALSE)
rb <- as.svrepdesign(d1, type="bootstrap", replicates=50, compress=FALSE)
W <- weights(rj, "analysis"); J <- matrix(as.numeric(W), nrow=nrow(W)); W <- weights(rb, "analysis"); B <- matrix(as.numeric(W), nrow=nrow(W)); print(dim(J)); p("jk1 scale", rj$scale); p("boot scale", rb$scale)
colnames(J) <- paste0("jk", 1:ncol(J)); colnames(B) <- paste0("bs", 1:ncol(B))
out <- cbind(c1[, c("dnum", "stype", "awards", "pw", "fpc", "q1", "q2")], J, B)
write.csv(out, "/work/wt-design/tests/data/design/apiclus1.csv", row.names=FALSE, na="")
rj2 <- svrepdesign(data=out, repweights=out[, colnames(J)], weights=~pw, type="JK1", scale=rj$scale, combined.weights=TRUE)
m <- svymean(~I((q1-1)/4), rj2); p("jk1 y1 mean,se", c(coef(m), SE(m)))
m <- svymean(~I((q2-1)/4), rj2, na.rm=TRUE); p("jk1 y2 mean,se", c(coef(m), SE(m)))
b <- svyby(~I((q1-1)/4), ~awards, rj2, svymean); p("jk1 by awards y1 mean", coef(b)); p("jk1 by awards y1 se", SE(b))
rb2 <- svrepdesign(data=out, repweights=out[, colnames(B)], weights=~pw, type="bootstrap", combined.weights=TRUE)
m <- svymean(~I((q1-1)/4), rb2); p("boot y1 mean,se", c(coef(m), SE(m)))
m <- svymean(~I((q2-1)/4), rb2, na.rm=TRUE); p("boot y2 mean,se", c(coef(m), SE(m)))
rb3 <- svrepdesign(data=out, repweights=out[, colnames(B)], weights=~pw, type="bootstrap", combined.weights=TRUE, mse=TRUE)
m <- svymean(~I((q1-1)/4), rb3); p("boot mse y1 mean,se", c(coef(m), SE(m)))
# stratified cluster design (clusters nested in strata), lonely PSU choices
for (lp in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu=lp)
  d2 <- svydesign(id=~dnum, strata=~stype, weights=~pw, data=c2, nest=TRUE)
  m <- svymean(~y1, d2); p(paste("strclus", lp, "y1 mean,se"), c(coef(m), SE(m)))
  m <- svymean(~y2, d2, na.rm=TRUE); p(paste("strclus", lp, "y2 mean,se"), c(coef(m), SE(m)))
  b <- svyby(~y1, ~awards, d2, svymean); p(paste("strclus", lp, "by awards y1 se"), SE(b))
}
cat("PSUs per stratum: "); print(table(unique(c2[, c("stype", "dnum")])$stype))
# lonely PSU: a stratum holding one district of apiclus1
c1$st3 <- ifelse(c1$dnum == min(c1$dnum), "L", ifelse(c1$dnum < 400, "A", "B"))
write.csv(c1[, c("st3", "dnum", "awards", "pw", "q1", "q2")], "/work/wt-design/tests/data/design/apiclus1_lonely.csv", row.names=FALSE, na="")
for (lp in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu=lp)
  d3 <- svydesign(id=~dnum, strata=~st3, weights=~pw, data=c1)
  m <- svymean(~y1, d3); p(paste("lonely", lp, "y1 mean,se"), c(coef(m), SE(m)))
  m <- svymean(~y2, d3, na.rm=TRUE); p(paste("lonely", lp, "y2 mean,se"), c(coef(m), SE(m)))
  b <- svyby(~y1, ~awards, d3, svymean); p(paste("lonely", lp, "by awards y1 se"), SE(b))
}
cat("PSUs per stratum: "); print(table(unique(c1[, c("st3", "dnum")])$st3))
# frequency weights: MASS::housing, Sat (Low < Medium < High) with Freq; the expanded rows as the truth
library(MASS)
h <- housing; h$sat <- as.integer(h$Sat); h$ysat <- (h$sat - 1) / 2
e <- h[rep(seq_len(nrow(h)), h$Freq), ]
de <- svydesign(ids=~1, data=e)
m <- svymean(~ysat, de); p("housing expanded mean,se", c(coef(m), SE(m)))
b <- svyby(~ysat, ~Type, de, svymean); p("housing expanded by Type mean", coef(b)); p("housing expanded by Type se", SE(b))
ds <- svydesign(ids=~1, strata=~Cont, data=e)
b <- svyby(~ysat, ~Type, ds, svymean); p("housing expanded strata=Cont by Type se", SE(b))
dw <- svydesign(ids=~1, weights=~Freq, data=h)
m <- svymean(~ysat, dw); p("housing Freq as sampling weights mean,se", c(coef(m), SE(m)))
# category shares with svyciprop xlogit on the stratified design
options(survey.lonely.psu="fail")
for (k in 1:5) { ci <- svyciprop(~I(q1 == k), dstrat, method="xlogit"); p(paste("strat q1 share", k, "est,lo,hi"), c(coef(ci), attr(ci, "ci"))) }
p("strat degf", degf(dstrat))
