"""Caseloads: open cases counted per person and date, the Autumn snapshots, breakdowns and flags."""
