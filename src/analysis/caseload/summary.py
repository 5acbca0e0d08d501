"""Frame-level summaries of caseloads shared by the snapshot and breakdown tables.

Each function takes rows as ``caseload.caseloads_on`` returns them (one per person and date).
"""

from __future__ import annotations

import pandas as pd

from analysis.config import Settings


def headline_mask(loads: pd.DataFrame, config: Settings) -> pd.Series:
    """People in the headline population: a headline role on the date, category not nqsw."""
    return loads["role"].isin(config.headline_roles) & (loads["category"] != "nqsw")


def summarise(people: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """staff, case_holders, cases, mean_caseload, cases_per_fte (2 dp) of ``people`` grouped ``by``.

    Means and cases per FTE are over case holders only; NaN where a group has none.
    """
    frame = people.assign(
        holder=people["caseload"] > 0,
        holder_fte=people["fte"].where(people["caseload"] > 0),  # blanks sum as 0
    )
    out = (
        frame.groupby(by, sort=False, observed=True)
        .agg(
            staff=("staff_id", "size"),
            case_holders=("holder", "sum"),
            cases=("caseload", "sum"),
            holder_fte=("holder_fte", "sum"),
        )
        .reset_index()
    )
    # With no case holder a group has no cases and no holders' FTE: pandas' 0 / 0 is blank.
    out["mean_caseload"] = (out["cases"] / out["case_holders"]).round(2)
    out["cases_per_fte"] = (out["cases"] / out["holder_fte"]).round(2)
    return out.drop(columns="holder_fte").astype({"staff": "int64", "case_holders": "int64", "cases": "int64"})
