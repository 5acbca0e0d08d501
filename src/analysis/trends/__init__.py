"""Is it improving? Making Data Count (XmR) series of the headline measures."""
