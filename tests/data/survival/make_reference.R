# Reference values for tests/survival: R's survival package on its own data sets.
#
# Run from this folder with R 4.2.2 and survival 3.5-3 (Debian r-cran-survival):
#   Rscript make_reference.R
# It writes
#   aml.csv, veteran.csv, lung.csv, colon.csv   the patient data (time, status 0/1, groups)
#   r_survfit.csv   every survfit curve: survfit(Surv(time, status) ~ g, data) with
#                   the default conf.type = "log", conf.int = 0.95 (one row per time)
#   r_summary.csv   n, events, median and its CI (print.survfit / quantile.survfit),
#                   survdiff chi-square, df, p; coxph (Efron ties) hazard ratios with
#                   95% CI against the first factor level
#   r_at_risk.csv   summary(fit, times = ...)$n.risk, the numbers-at-risk tables
#                   used to build the digitised curves (make_digitised.py)
#   r_survival_at.csv  summary(fit, times = ...)$surv at a few times
# The data sets are from the survival package (LGPL-2 | LGPL-3).
suppressMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")

aml_d <- data.frame(time = aml$time, status = aml$status, group = as.character(aml$x))
vet_d <- data.frame(time = veteran$time, status = veteran$status,
                    trt = ifelse(veteran$trt == 1, "standard", "test"),
                    celltype = as.character(veteran$celltype))
lung_d <- data.frame(time = lung$time, status = lung$status - 1,
                     sex = ifelse(lung$sex == 1, "Male", "Female"))
col2 <- colon[colon$etype == 2, ]
colon_d <- data.frame(time = col2$time, status = col2$status, rx = as.character(col2$rx))

write.csv(aml_d, "aml.csv", row.names = FALSE)
write.csv(vet_d, "veteran.csv", row.names = FALSE)
write.csv(lung_d, "lung.csv", row.names = FALSE)
write.csv(colon_d, "colon.csv", row.names = FALSE)

# (dataset, data frame, grouping column or "" for one curve, factor levels, at-risk grid)
cases <- list(
  list("aml", aml_d, "", NULL, NULL),
  list("aml", aml_d, "group", c("Maintained", "Nonmaintained"), NULL),
  list("veteran", vet_d, "celltype", c("squamous", "smallcell", "adeno", "large"), NULL),
  list("veteran", vet_d, "trt", c("standard", "test"), seq(0, 900, by = 100)),
  list("lung", lung_d, "sex", c("Male", "Female"), seq(0, 1000, by = 100)),
  list("colon", colon_d, "rx", c("Obs", "Lev", "Lev+5FU"), seq(0, 3000, by = 500))
)

curves <- list(); summ <- list(); risk <- list(); sat <- list()
add <- function(ds, by, q, g, v) data.frame(dataset = ds, by = by, quantity = q, group = g, value = v)

for (cs in cases) {
  ds <- cs[[1]]; d <- cs[[2]]; by <- cs[[3]]; lev <- cs[[4]]; grid <- cs[[5]]
  if (by == "") {
    fit <- survfit(Surv(time, status) ~ 1, data = d)
    groups <- "all"; strata <- rep("all", length(fit$time))
  } else {
    d$g <- factor(d[[by]], levels = lev)
    fit <- survfit(Surv(time, status) ~ g, data = d)
    groups <- lev
    strata <- rep(sub("^g=", "", names(fit$strata)), fit$strata)
  }
  curves[[length(curves) + 1]] <- data.frame(dataset = ds, by = by, group = strata, time = fit$time,
    n.risk = fit$n.risk, n.event = fit$n.event, n.censor = fit$n.censor,
    surv = fit$surv, std.err = fit$std.err, lower = fit$lower, upper = fit$upper)
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- matrix(tab, nrow = 1, dimnames = list("all", names(tab)))
  for (i in seq_along(groups)) {
    summ[[length(summ) + 1]] <- rbind(
      add(ds, by, "n", groups[i], tab[i, "records"]),
      add(ds, by, "events", groups[i], tab[i, "events"]),
      add(ds, by, "median", groups[i], tab[i, "median"]),
      add(ds, by, "median_lower", groups[i], tab[i, "0.95LCL"]),
      add(ds, by, "median_upper", groups[i], tab[i, "0.95UCL"]))
  }
  if (by != "") {
    sd <- survdiff(Surv(time, status) ~ g, data = d)
    df <- length(sd$n) - 1
    summ[[length(summ) + 1]] <- rbind(
      add(ds, by, "logrank_chisq", "", sd$chisq),
      add(ds, by, "logrank_df", "", df),
      add(ds, by, "logrank_p", "", pchisq(sd$chisq, df, lower.tail = FALSE)))
    cx <- coxph(Surv(time, status) ~ g, data = d)  # ties = "efron"
    ci <- exp(confint(cx))
    for (j in seq_along(coef(cx))) {
      g <- lev[j + 1]
      summ[[length(summ) + 1]] <- rbind(
        add(ds, by, "cox_hr", g, exp(coef(cx))[j]),
        add(ds, by, "cox_lower", g, ci[j, 1]),
        add(ds, by, "cox_upper", g, ci[j, 2]))
    }
  }
  if (!is.null(grid)) {
    s <- summary(fit, times = grid, extend = TRUE)
    risk[[length(risk) + 1]] <- data.frame(dataset = ds, by = by,
      group = sub("^g=", "", as.character(s$strata)), time = s$time, n.risk = s$n.risk)
  }
  if (ds == "aml") {
    s <- summary(fit, times = c(12, 24))
    st <- if (is.null(s$strata)) rep("all", length(s$time)) else sub("^g=", "", as.character(s$strata))
    sat[[length(sat) + 1]] <- data.frame(dataset = ds, by = by, group = st, time = s$time,
      surv = s$surv, lower = s$lower, upper = s$upper)
  }
}
# survdiff stratified by cell type (FACTS.md section 5 anchor; lifelines has no strata)
sd <- survdiff(Surv(time, status) ~ trt + strata(celltype), data = vet_d)
summ[[length(summ) + 1]] <- add("veteran", "trt|celltype", "logrank_chisq_stratified", "", sd$chisq)

fmt <- function(x) { x[] <- lapply(x, function(col) if (is.numeric(col)) signif(col, 12) else col); x }
write.csv(fmt(do.call(rbind, curves)), "r_survfit.csv", row.names = FALSE)
write.csv(fmt(do.call(rbind, summ)), "r_summary.csv", row.names = FALSE)
write.csv(do.call(rbind, risk), "r_at_risk.csv", row.names = FALSE)
write.csv(fmt(do.call(rbind, sat)), "r_survival_at.csv", row.names = FALSE)
