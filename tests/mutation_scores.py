"""Print the mutation score of each definition module from mutmut's results (``make mutation``).

Reads ``mutants/src/analysis/**/*.py.meta`` (mutmut 3). A mutant is killed when the tests failed
(exit 1 or 3) or timed out; survived when they passed. A surviving mutant is *equivalent* when
its change cannot alter any table: the kinds are listed in ``EQUIVALENT_KINDS``, each with why,
and matched on the mutant's own diff (read from the mutated sources mutmut writes). Equivalent
mutants are left out of the score. ``--survivors`` lists the others with their diffs.
Run from the project root; not part of ``make test``.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

KILLED = {1, 3, 24, -24, 36, 152, 255}  # failed, pytest internal error, timeouts
SURVIVED = {0}
ROOT = Path("mutants/src/analysis")


def _only(pattern: str):
    """A kind of change: the changed lines differ only where ``pattern`` matches (line breaks and
    spaces aside, so a keyword argument removed from its own line counts too)."""
    compiled = re.compile(pattern)

    def norm(lines: list[str]) -> str:
        return re.sub(r"\s+", "", compiled.sub("", " ".join(lines))).replace(",)", ")")

    def matches(removed: list[str], added: list[str]) -> bool:
        return bool(removed) and removed != added and norm(removed) == norm(added)

    return matches


# kind -> (test on the changed lines, why no table can change). Only mutants that survived every
# test, including the golden tables of five authorities, are matched against these.
EQUIVALENT_KINDS = {
    "index flags": (
        _only(r",?\s*\b(ignore_index|index|drop)=(True|False|None)\b,?\s*"),
        "the index of an intermediate frame: no table carries an index (tables are written without "
        "one), and row order is set afterwards by an explicit sort or a fixed grid",
    ),
    "groupby options": (
        _only(r",?\s*\b(sort|observed)=(True|False|None)\b,?\s*"),
        "the groups are merged onto a fixed grid or re-sorted afterwards, and no key is categorical",
    ),
    "whole numbers as floats": (
        _only(r"(?<=astype\()(np\.int64|np\.int32|int|\"int64\"|None)(?=\))|,?\s*\bdtype=(np\.int64|None)\b"),
        "counts and day numbers below 2**53 held as float64 rather than int64 are exact in the arithmetic "
        "and comparisons they feed; used as an index or written to a table they would fail or change the "
        "golden tables' dtypes, so a survivor never gets there",
    ),
    "merge on the shared keys": (
        _only(r"\bon=(\"[^\"]*\"|\[[^\]]*\]|\w+),\s*"),
        "the two frames of the merge share only their key columns, so pandas' default (merge on the "
        "common columns) is the same join",
    ),
    "text arrays as numpy strings": (
        _only(r",?\s*\bdtype=(object|None)\b"),
        "an array of text held as numpy's own strings rather than Python objects: comparisons, lookups and "
        "the text written to the tables are the same",
    ),
    "units numpy infers": (
        _only(r',?\s*"(D|M)"(?=\s*,?\s*\))|,?\s*\bdtype=("datetime64\[ns\]"|None\b)'),
        "numpy takes the same unit from the date's text, or from the datetime it is added to or compared with",
    ),
    "defaults spelled out": (
        _only(r',?\s*\b(how="inner"|side="left")'),
        'how="inner" is merge\'s default and side="left" searchsorted\'s',
    ),
    "copy flags": (
        _only(r",?\s*\bcopy=(True|False|None)\b"),
        "pandas 3 copies on write: the copy keyword changes no value",
    ),
    "numpy error state": (
        _only(r"np\.errstate\([^)]*\)"),
        "np.errstate only silences warnings for 0/0; the values (NaN) are the same",
    ),
    "float conversion of numbers": (
        _only(r",?\s*\bdtype=(float|None)\b,?\s*"),
        "np.asarray of values that are already numbers: integer and float inputs give the same "
        "results through numpy's own promotion",
    ),
}


from mutation_equivalents import KNOWN_EQUIVALENT  # noqa: E402


def known_equivalent(key: str, removed: list[str], added: list[str]) -> str | None:
    """The reason a mutant is one of ``KNOWN_EQUIVALENT``, or None."""
    stem = key.rsplit(".", 1)[1].rsplit("__mutmut_", 1)[0].removeprefix("x_").split("ǁ")[-1]
    for function, before, after, why in KNOWN_EQUIVALENT:
        if stem == function and "\n".join(removed) == before and "\n".join(added) == after:
            return why
    return None


@cache
def functions(path: Path) -> dict[str, list[str]]:
    """Every function of a mutated module by name, its body as lines (parsed once per module)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    return {
        node.name: lines[node.lineno : node.end_lineno]
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def function_source(path: Path, name: str) -> list[str]:
    return functions(path).get(name, [])


def changed_lines(key: str) -> tuple[list[str], list[str]]:
    """The lines a mutant removes and adds, against the original function."""
    module, function = key.rsplit(".", 1)
    path = ROOT / ("/".join(module.split(".")[1:]) + ".py")
    stem = function.rsplit("__mutmut_", 1)[0]
    original, mutant = function_source(path, f"{stem}__mutmut_orig"), function_source(path, function)
    removed, added = [], []
    for line in difflib.ndiff(original, mutant):
        if line.startswith("- "):
            removed.append(line[2:].strip())
        elif line.startswith("+ "):
            added.append(line[2:].strip())
    return removed, added


def equivalent_kind(key: str) -> str | None:
    removed, added = changed_lines(key)
    for kind, (matches, _why) in EQUIVALENT_KINDS.items():
        if matches(removed, added):
            return kind
    return "checked one by one" if known_equivalent(key, removed, added) else None


def scores(root: Path = ROOT) -> tuple[dict[str, Counter], dict[str, list[str]]]:
    out: dict[str, Counter] = {}
    survivors: dict[str, list[str]] = {}
    for meta in sorted(root.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        module = str(meta.relative_to(root)).removesuffix(".py.meta").replace("/", ".")
        tally = Counter()
        for key, code in codes.items():
            if code in KILLED:
                tally["killed"] += 1
            elif code in SURVIVED:
                kind = equivalent_kind(key)
                if kind:
                    tally["equivalent"] += 1
                    tally[f"equivalent: {kind}"] += 1
                else:
                    tally["survived"] += 1
                    survivors.setdefault(module, []).append(key)
            else:
                tally["not run"] += 1
        out[module] = tally
    return out, survivors


def main() -> int:
    table, survivors = scores()
    if not table:
        print("no mutmut results: run `make mutation` first", file=sys.stderr)
        return 1
    total = Counter()
    print(f"{'module':<30}{'killed':>8}{'survived':>10}{'score':>8}{'not run':>9}{'equivalent':>12}")
    for module, tally in table.items():
        tried = tally["killed"] + tally["survived"]
        score = f"{tally['killed'] / tried:.1%}" if tried else "-"
        print(
            f"{module:<30}{tally['killed']:>8}{tally['survived']:>10}{score:>8}{tally['not run']:>9}"
            f"{tally['equivalent']:>12}"
        )
        total.update(tally)
    tried = total["killed"] + total["survived"]
    print(
        f"{'all':<30}{total['killed']:>8}{total['survived']:>10}"
        f"{(total['killed'] / tried if tried else 0):>8.1%}{total['not run']:>9}{total['equivalent']:>12}"
    )
    everyone = tried + total["equivalent"]
    if everyone:
        print(f"{'all, equivalents counted as survivors':<40}{total['killed'] / everyone:>8.1%}")
    for kind, (_, why) in EQUIVALENT_KINDS.items():
        print(f"  equivalent, {kind} ({total[f'equivalent: {kind}']}): {why}")
    print(
        f"  equivalent, checked one by one ({total['equivalent: checked one by one']}): KNOWN_EQUIVALENT, each with why"
    )
    if "--survivors" in sys.argv:
        for keys in survivors.values():
            for key in keys:
                removed, added = changed_lines(key)
                print(f"\n{key}")
                print("\n".join([*(f"  - {line}" for line in removed), *(f"  + {line}" for line in added)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
