"""The runner: parameters, kernels and rendering of the month's notebooks, the `report` command and the explorer."""
