"""The report sections the notebooks show, by concern: they format tables, never compute figures."""
