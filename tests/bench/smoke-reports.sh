#!/bin/sh
# smoke-reports.sh SERVER BENCH-REPORTS DIR: `demo --scale tiny`, then the report benchmark on it.
set -eu
server=$1 bench=$2 dir=$3
rm -rf "$dir"
mkdir -p "$dir"
DUSTGRID_PWHASH_MIN=1 "$server" demo --db "$dir/tiny.db" --scale tiny --today 2026-10-31 >/dev/null
"$bench" --db "$dir/tiny.db" --month 2026-10 --runs 1 | tee "$dir/out.txt"
grep -q 'dust-fall ranking' "$dir/out.txt"
grep -q 'XLSX assessment' "$dir/out.txt"
