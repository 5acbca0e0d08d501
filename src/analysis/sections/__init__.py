"""The report sections the notebooks show, by concern; ``analysis.presentation`` gathers them."""
