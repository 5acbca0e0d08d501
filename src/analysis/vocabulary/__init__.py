"""One vocabulary: every sentence, label and heading a person reads, from gettext catalogues in English and
Welsh, with each language's number and date forms (Babel)."""
