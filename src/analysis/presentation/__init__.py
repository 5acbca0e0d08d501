"""How the reports look and read: formats, wording, the HTML kit, sections and charts, the page shell."""
