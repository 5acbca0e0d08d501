"""The ``email`` command: the leadership email, its settings, and handing it to the SMTP server."""
