"""The month's files other than the rendered notebooks: CSVs, the workbook, team pages, the output folder."""
