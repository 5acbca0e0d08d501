#!/usr/bin/env bash
# Two clean clones' `make test` at the same time, ROUNDS times (default 3): the suite must pass on
# a busy machine, as CI on a developer's machine is. Usage: make test-busy [ROUNDS=3]
set -uo pipefail
top=$(git rev-parse --show-toplevel)
rounds=${ROUNDS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/busy-XXXXXX")
failed=0
for round in $(seq 1 "$rounds"); do
    pids=()
    for side in a b; do
        clone="$work/round$round-$side"
        git clone -q "$top" "$clone"
        (cd "$clone" && CI=true make test > "$clone.log" 2>&1; echo $? > "$clone.status") &
        pids+=($!)
    done
    wait "${pids[@]}"
    for side in a b; do
        clone="$work/round$round-$side"
        status=$(cat "$clone.status")
        summary=$(grep -E '[0-9]+ (passed|failed)' "$clone.log" | tail -n 1)
        echo "round $round, clone $side: exit $status: $summary"
        [ "$status" = 0 ] || { failed=1; grep -E '^(FAILED|ERROR)' "$clone.log" | sed 's/^/    /'; }
        rm -rf "$clone"
    done
done
echo "logs in $work"
exit $failed
