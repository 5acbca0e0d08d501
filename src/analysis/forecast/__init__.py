"""Next month's supervision compliance, forecast from what is known at a month's end, and its back-test
(docs/definitions.md, "Next month's forecast")."""
