# How R_PRISMA_data_*.json were made: the PRISMA2020 R package's own reading
# code (v1.1.4, MIT) run on the CSVs that review wrote. The package itself
# cannot be installed here (its DiagrammeR dependency is not packaged for
# Debian and CRAN is not reachable), so its R/ files are sourced from a
# checkout of github.com/prisma-flowdiagram/PRISMA2020 at commit
# 620aaf9b2029b09dc7ec9799c8d18eb208696d1b (needs r-cran-scales, r-cran-jsonlite).
#
#   Rscript R_PRISMA_data.R PRISMA2020/R scenario_prisma.csv R_PRISMA_data_scenario.json
#   Rscript R_PRISMA_data.R PRISMA2020/R awkward_prisma.csv  R_PRISMA_data_awkward.json
args <- commandArgs(trailingOnly = TRUE)
for (f in c("PRISMA_data", "PRISMA_format", "PRISMA_default_or_csv"))
  source(file.path(args[1], paste0(f, ".R")))
d <- PRISMA_data(read.csv(args[2]))
keys <- c("database_results", "register_results", "duplicates", "excluded_automatic", "excluded_other",
          "records_screened", "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports",
          "dbr_assessed", "new_studies", "new_reports", "total_studies", "total_reports",
          "previous_studies", "other_assessed")
out <- lapply(keys, function(k) d[[k]])
names(out) <- keys
for (k in c("database_specific_results", "register_specific_results", "dbr_excluded", "other_excluded"))
  out[[k]] <- list(reason = d[[k]]$reason, n = d[[k]]$n)
cat(jsonlite::toJSON(out, auto_unbox = TRUE, pretty = TRUE), "\n", file = args[3])
