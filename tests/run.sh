#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The one test command (README: "Run the tests"). On a fresh Debian 12 machine it installs what
# each suite needs (the suites do it themselves, idempotently), runs every suite and ends with one
# line for the whole run: "N passed, N failed". Exit status is non-zero when anything failed.
#
#   tests/run.sh                 every suite
#   tests/run.sh dotnet kernel   only these suites
#
# Suites: dotnet (unit + integration tests on the host), kernel (efd_lkm in qemu on 6.1, 6.12, 7.x),
# dkms (the DKMS package in bookworm and trixie chroots), e2e (booted systemd VMs), bench (smoke).
# Each suite prints PASS:/FAIL: lines and a closing "N passed, N failed" line; this script adds them up.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
logdir="$repo/artifacts/test-logs"
mkdir -p "$logdir"

all_suites=(dotnet kernel dkms e2e bench)
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=("${all_suites[@]}")

total_pass=0
total_fail=0
total_skip=0
declare -a summary

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }

# Adds a suite's closing "N passed, N failed[, N skipped]" line to the totals. A suite that exits
# non-zero without such a line (it crashed before counting) counts as one failure.
account() {
	local name=$1 rc=$2 file=$3 line p f s
	line=$(tr -d '\r' <"$file" | grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		p=0; f=1; s=0
		echo "FAIL: $name: suite ended (exit $rc) without a result line; see $file"
	else
		p=$(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<<"$line")
		s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "FAIL: $name: suite exited $rc although it counted no failure; see $file"
		fi
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + ${s:-0}))
	summary+=("$(printf '%-7s %4d passed, %3d failed, %3d skipped  (%s s)' "$name" "$p" "$f" "${s:-0}" "$4")")
}

# dotnet test (normal verbosity) ends each test assembly with "Total tests: N" and indented
# "Passed: N" / "Failed: N" / "Skipped: N" lines; add them up into the common closing line.
run_dotnet() {
	local out=$logdir/dotnet.raw rc
	dotnet build efd-daemon.sln -c Release -warnaserror 2>&1 | tail -n 30
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: dotnet build: exit $rc"
		echo "0 passed, 1 failed"
		return 1
	fi
	dotnet test efd-daemon.sln -c Release --no-build --logger "console;verbosity=normal" >"$out" 2>&1
	rc=$?
	grep -E '^\s+(Passed|Failed|Skipped) ' "$out" | sed -E 's/^\s+Passed /PASS: /; s/^\s+Failed /FAIL: /; s/^\s+Skipped /SKIP: /' \
		| sed -E 's/ \[[^]]*\]$//'
	awk '/^Total tests: [0-9]+/ { n++ }
		/^ +Passed: +[0-9]+$/ { p += $2 } /^ +Failed: +[0-9]+$/ { f += $2 } /^ +Skipped: +[0-9]+$/ { s += $2 }
		END { if (n == 0) { print "FAIL: dotnet: no test assembly reported a summary"; f++ }
			printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$out"
	[ "$rc" -eq 0 ] || { grep -E 'error|Error Message' "$out" | head -n 40; return "$rc"; }
}

for suite in "${suites[@]}"; do
	file=$logdir/$suite.log
	log "suite $suite: starting (log: $file)"
	start=$SECONDS
	case $suite in
	dotnet) run_dotnet ;;
	kernel) bash tests/kernel/run.sh ;;
	dkms) bash tests/dkms/run.sh ;;
	e2e) bash tests/e2e/run.sh ;;
	bench) bash tests/bench/run.sh --smoke ;;
	*) echo "unknown suite '$suite' (known: ${all_suites[*]})"; false ;;
	esac >"$file" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL|SKIP):' "$file" | tr -d '\r'
	account "$suite" "$rc" "$file" "$((SECONDS - start))"
	log "suite $suite: done in $((SECONDS - start)) s (exit $rc)"
done

echo
printf '%s\n' "${summary[@]}"
echo "total time: $SECONDS s"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
