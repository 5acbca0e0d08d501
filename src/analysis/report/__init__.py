"""The month's reports: inputs for the notebooks, formats, sections, charts, rendering, the command."""
