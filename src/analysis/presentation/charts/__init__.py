"""The report charts by domain, on a common style: Analysis Function colours, alt text, data tables."""
