#!/usr/bin/env bash
# The README's commands without make, run as written (the block between its "without make"
# markers), in the project folder: .ci/run calls this after `make test`.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
commands=$(sed -n '/^<!-- without make: begin -->$/,/^<!-- without make: end -->$/p' README.md | sed '/^<!--/d; /^```/d')
[ -n "$commands" ] || { echo "README.md has no 'without make' block" >&2; exit 2; }
rm -rf .venv-analysis
echo "$commands" | sed 's/^/+ /'
bash -euo pipefail -c "$commands"
