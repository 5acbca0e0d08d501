"""Shared ground of the definitions: calendar months and working days, who held which post, intervals."""
