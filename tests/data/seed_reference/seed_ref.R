# R reference values for the seed review's 32 studies (tests/data/seed_studies.tsv).
# Run from the repository root:  Rscript tests/data/seed_reference/seed_ref.R
# Made with R 4.2.2, metafor 3.8-1, lme4 1.1-31 (Debian bookworm packages). The meta
# package is not packaged for Debian: its metaprop rules (events = round(pct * n / 100),
# GLMM default for PLOGIT, Q-based I^2 with Higgins-Thompson CI, PI with t(k-1),
# subgroups each with own tau^2 and Q.b on the subgroup random estimates) are written
# out here exactly as in tests/data/metaprop/gen_ref.R.
suppressMessages({library(metafor); library(jsonlite)})
d <- read.delim("tests/data/seed_studies.tsv", check.names = FALSE)
isq <- function(Q, df) {
  k <- df + 1; H <- sqrt(Q/(k - 1))
  se <- if (Q > k) 0.5*(log(Q) - log(k - 1))/(sqrt(2*Q) - sqrt(2*k - 3)) else sqrt(1/(2*(k - 2))*(1 - 1/(3*(k - 2)^2)))
  z <- qnorm(0.975); c0 <- log(max(H, 1))
  h <- c(exp(c0), max(exp(c0 - z*se), 1), max(exp(c0 + z*se), 1))
  (h^2 - 1)/h^2
}
pool <- function(x, n, method) {
  k <- length(x)
  if (method == "GLMM") {
    g <- rma.glmm(measure = "PLO", xi = x, ni = n, method = "ML")
    TE <- c(g$b); se <- g$se; tau2 <- g$tau2; Q <- g$QE.Wld
  } else {
    inc <- ifelse(x == 0 | x == n, 0.5, 0)
    yi <- log((x + inc)/(n - x + inc)); vi <- 1/(x + inc) + 1/(n - x + inc)
    r <- rma(yi, vi, method = method); fe <- rma(yi, vi, method = "FE")
    TE <- c(r$b); se <- r$se; tau2 <- r$tau2; Q <- fe$QE
  }
  i2 <- if (k > 1) isq(Q, k - 1) else c(NA, NA, NA)
  pise <- sqrt(se^2 + tau2); tq <- if (k > 1) qt(0.975, k - 1) else NA
  list(k = k, events = sum(x), n = sum(n), TE = TE, se = se, tau2 = tau2,
       estimate = plogis(TE), lower = plogis(TE - qnorm(0.975)*se), upper = plogis(TE + qnorm(0.975)*se),
       pi_lower = plogis(TE - tq*pise), pi_upper = plogis(TE + tq*pise),
       Q = Q, I2 = i2[1], I2_lower = i2[2], I2_upper = i2[3])
}
out <- list(meta = list(R = R.version.string, metafor = as.character(packageVersion("metafor")),
                        lme4 = as.character(packageVersion("lme4")),
                        call = "rma.glmm(measure='PLO', method='ML') (nAGQ=7); rma(yi, vi, method=...) with metaprop's only0 increment"))
for (col in c("orr", "crr", "dr")) {
  s <- d[!is.na(d[[col]]), ]
  x <- round(s[[col]] * s$n / 100); n <- s$n
  for (method in c("GLMM", "DL", "REML")) {
    res <- list(overall = pool(x, n, method))
    for (by in c("cancer", "country")) {
      grp <- s[[by]]; lv <- sort(unique(grp))
      sub <- lapply(lv, function(g) pool(x[grp == g], n[grp == g], method)); names(sub) <- lv
      te <- sapply(sub, `[[`, "TE"); se <- sapply(sub, `[[`, "se")
      Qb <- rma(te, sei = se, method = "FE")$QE
      res[[by]] <- list(subgroups = sub, Q_between = Qb, df = length(lv) - 1,
                        p_between = pchisq(Qb, length(lv) - 1, lower.tail = FALSE))
    }
    out[[col]][[method]] <- res
  }
}
writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE, digits = NA, na = "null"),
           "tests/data/seed_reference/seed_reference.json")
cat("ok\n")
