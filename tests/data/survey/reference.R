# Reference results for tests/core/test_survey_reference.py, from R's survey package.
# Run from this folder: Rscript reference.R > expected.txt
# It writes the package's API samples as CSV and every figure the tests compare with into
# reference.csv (full precision); expected.txt is what R prints for the same calls.
suppressMessages(library(survey))
data(api)
write.csv(apistrat, "apistrat.csv", row.names = FALSE)
write.csv(apiclus1, "apiclus1.csv", row.names = FALSE)

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dstrat_wr <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
dclus1_wr <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
dclus1r <- rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))
designs <- list(dstrat = dstrat, dclus1 = dclus1, dstrat_wr = dstrat_wr,
                dclus1_wr = dclus1_wr, dclus1r = dclus1r)

rows <- list()
add <- function(design, statistic, variable, by, group, est, se, lo, hi, deff) {
  rows[[length(rows) + 1]] <<- data.frame(
    design = design, statistic = statistic, variable = variable, by = by, group = group,
    estimate = est, se = se, ci_low = lo, ci_high = hi, deff = deff)
}
whole <- function(name, statistic, variable) {
  f <- as.formula(paste0("~", variable))
  fun <- if (statistic == "mean") svymean else svytotal
  r <- fun(f, designs[[name]], deff = TRUE)
  print(r)
  ci <- confint(r)
  print(ci)
  add(name, statistic, variable, "", "", coef(r)[[1]], SE(r)[[1]], ci[1, 1], ci[1, 2],
      deff(r)[[1]])
}
domains <- function(name, statistic, variable, by) {
  f <- as.formula(paste0("~", variable))
  fun <- if (statistic == "mean") svymean else svytotal
  r <- svyby(f, as.formula(paste0("~", by)), designs[[name]], fun, deff = TRUE)
  print(r)
  ci <- confint(r)
  print(ci)
  for (i in seq_len(nrow(r))) {
    add(name, statistic, variable, by, as.character(r[i, 1]), coef(r)[[i]], SE(r)[[i]],
        ci[i, 1], ci[i, 2], deff(r)[[i]])
  }
}
proportion <- function(name, variable, value, by = NULL) {
  d <- designs[[name]]
  d <- update(d, hit = as.numeric(get(variable) == value))
  if (is.null(by)) {
    p <- svyciprop(~hit, d)
    print(p)
    m <- svymean(~hit, d, deff = TRUE)
    print(m)
    ci <- attr(p, "ci")
    add(name, "proportion", paste0(variable, "=", value), "", "", coef(p)[[1]], SE(p)[[1]],
        ci[[1]], ci[[2]], deff(m)[[1]])
  } else {
    r <- svyby(~hit, as.formula(paste0("~", by)), d, svyciprop, vartype = c("se", "ci"))
    print(r)
    m <- svyby(~hit, as.formula(paste0("~", by)), d, svymean, deff = TRUE)
    for (i in seq_len(nrow(r))) {
      add(name, "proportion", paste0(variable, "=", value), by, as.character(r[i, 1]),
          r[i, 2], r[i, 3], r[i, 4], r[i, 5], deff(m)[[i]])
    }
  }
}

for (name in names(designs)) {
  whole(name, "mean", "api00")
  whole(name, "total", "enroll")
  proportion(name, "sch.wide", "Yes")
}
domains("dstrat", "mean", "api00", "awards")
domains("dclus1", "mean", "api00", "stype")
domains("dclus1", "total", "enroll", "stype")
domains("dclus1_wr", "mean", "api00", "stype")
domains("dclus1r", "mean", "api00", "stype")
domains("dclus1r", "total", "enroll", "awards")
proportion("dclus1", "sch.wide", "Yes", by = "stype")
proportion("dstrat", "awards", "Yes", by = "stype")
proportion("dclus1r", "awards", "Yes", by = "sch.wide")

# Raking: the margins reached.
print(svytotal(~stype, dclus1r))
print(svytotal(~sch.wide, dclus1r))

# Lonely PSUs: the first stratum of apistrat cut to one school.
lonely <- apistrat[apistrat$stype != "H" | apistrat$snum == apistrat$snum[apistrat$stype == "H"][1], ]
for (option in c("certainty", "remove", "adjust")) {
  options(survey.lonely.psu = option)
  dl <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = lonely)
  designs[[paste0("lonely_", option)]] <- dl
  whole(paste0("lonely_", option), "mean", "api00")
}
options(survey.lonely.psu = "fail")

write.csv(do.call(rbind, rows), "reference.csv", row.names = FALSE)

# Rao-Scott second-order adjusted chi-square (svychisq's default statistic "F").
chisq <- list()
for (case in list(c("dclus1", "sch.wide", "stype"), c("dstrat", "sch.wide", "comp.imp"),
                  c("dclus1r", "stype", "awards"))) {
  test <- svychisq(as.formula(paste0("~", case[2], "+", case[3])), designs[[case[1]]])
  print(test)
  chisq[[length(chisq) + 1]] <- data.frame(
    design = case[1], rows = case[2], cols = case[3], F = test$statistic[[1]],
    ndf = test$parameter[[1]], ddf = test$parameter[[2]], p_value = test$p.value[[1]])
}
write.csv(do.call(rbind, chisq), "chisq.csv", row.names = FALSE)
