"""Calibration of the sample authority to the council report's figures (work in progress)."""

from __future__ import annotations


def calibrate_staff(staff):
    return staff


def calibrate_records(rng, staff, absences, supervisions, allocations):
    return absences, supervisions, allocations
