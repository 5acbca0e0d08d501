"""The council's answer: the response to a councillor's question as Word and tagged PDF, English and Welsh."""
