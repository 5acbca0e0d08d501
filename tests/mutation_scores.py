"""Print the mutation score of each definition module from mutmut's results (``make mutation``).

Reads ``mutants/src/analysis/**/*.py.meta`` (mutmut 3). A mutant is killed when the tests failed
(exit 1 or 3) or timed out; survived when they passed. Known equivalent mutants (the code
behaves the same with them; listed in ``EQUIVALENT`` with why) are left out of the score.
Run from the project root; not part of ``make test``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 24, -24, 36, 152, 255}  # failed, pytest internal error, timeouts
SURVIVED = {0}
# mutant key -> why the mutant cannot change any figure
EQUIVALENT: dict[str, str] = {}


def scores(root: Path = Path("mutants/src/analysis")) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for meta in sorted(root.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        tally = Counter()
        for key, code in codes.items():
            if key in EQUIVALENT:
                tally["equivalent"] += 1
            elif code in KILLED:
                tally["killed"] += 1
            elif code in SURVIVED:
                tally["survived"] += 1
            else:
                tally["not run"] += 1
        out[str(meta.relative_to(root)).removesuffix(".py.meta").replace("/", ".")] = tally
    return out


def main() -> int:
    table = scores()
    if not table:
        print("no mutmut results: run `make mutation` first", file=sys.stderr)
        return 1
    total = Counter()
    print(f"{'module':<28}{'killed':>8}{'survived':>10}{'score':>8}{'not run':>9}{'equivalent':>12}")
    for module, tally in table.items():
        tried = tally["killed"] + tally["survived"]
        score = f"{tally['killed'] / tried:.1%}" if tried else "-"
        print(
            f"{module:<28}{tally['killed']:>8}{tally['survived']:>10}{score:>8}{tally['not run']:>9}"
            f"{tally['equivalent']:>12}"
        )
        total.update(tally)
    tried = total["killed"] + total["survived"]
    print(
        f"{'all':<28}{total['killed']:>8}{total['survived']:>10}"
        f"{(total['killed'] / tried if tried else 0):>8.1%}{total['not run']:>9}{total['equivalent']:>12}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
