"""The synthetic authority: staff, absences, supervisions and case allocations, calibrated to the council report."""
