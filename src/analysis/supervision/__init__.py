"""Supervision: person-months, compliance, teams compared fairly, repeat misses, the NQSW standard."""
