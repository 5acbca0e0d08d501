"""``python -m analysis``: the command line."""

from analysis.cli import run

if __name__ == "__main__":  # not when a worker process (spawn) imports this module again
    run()
