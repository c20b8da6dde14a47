"""Survival from published Kaplan-Meier curves.

Digitised points and numbers-at-risk tables (``digitised``) are turned into
patient-level data by Guyot et al.'s reconstruction (``guyot``); Kaplan-Meier
curves, medians, the log-rank test and Cox hazard ratios come from lifelines
(``km``), with a survminer-style plot (``plot``).

    curves = read_curves("points.csv"); tables = read_at_risk("risk.csv", [c.label for c in curves])
    recs = reconstruct_all(curves, tables)
    result = km_analysis(combined_ipd(recs), by="curve")
"""

from review.survival.digitised import AtRisk, Curve, clean_curve, read_at_risk, read_curves, read_points
from review.survival.guyot import Reconstruction, RiskCheck, combined_ipd, reconstruct, reconstruct_all
from review.survival.ipd import MONTH_DAYS, read_ipd
from review.survival.km import GroupKM, HazardRatio, KMResult, LogRank, km_analysis

__all__ = [
    "AtRisk", "Curve", "GroupKM", "HazardRatio", "KMResult", "LogRank", "MONTH_DAYS", "Reconstruction",
    "RiskCheck", "clean_curve", "combined_ipd", "km_analysis", "read_at_risk", "read_curves", "read_ipd",
    "read_points", "reconstruct", "reconstruct_all",
]
