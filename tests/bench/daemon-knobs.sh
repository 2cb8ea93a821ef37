#!/usr/bin/env bash
# The runtime knobs of the published daemon, one at a time against the packaged configuration
# (tests/bench/README.md, "Memory and start-up of the published daemon"): for each knob, N runs of
# `EfdDaemon.LatencyBench daemon idle` (deploy/config/efd-daemon.json, RateAlert loaded, 1 M events),
# interleaved knob by knob so that a change in the machine's load hits every knob alike; prints the
# median of each figure per knob, and appends every run's JSON to $OUT/knobs.jsonl.
#
#   tests/bench/daemon-knobs.sh [--runs N] [--iters N] [--out DIR] [KNOB...]
#
# Needs what tests/bench/run.sh builds (run it once, or its build part): the published daemon, the
# LatencyBench binary and RateAlert in $OUT/plugins-packaged. A knob is either env:NAME=VALUE (the
# daemon's environment only) or rc:NAME=JSON (a configProperties entry of the daemon's
# runtimeconfig.json, in a copy of the publish directory), several joined with ','.
# `baseline` is the published daemon as it is: its runtimeconfig.json, without the unit's
# Environment= lines (run.sh's row applies those; here they are knobs like any other).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/artifacts/bench
RUNS=3
ITERS=1000000
while [ $# -gt 0 ]; do
    case $1 in
        --runs) RUNS=$2; shift ;;
        --iters) ITERS=$2; shift ;;
        --out) OUT=$2; shift ;;
        --*) echo "usage: $0 [--runs N] [--iters N] [--out DIR] [KNOB...]" >&2; exit 2 ;;
        *) break ;;
    esac
    shift
done
if [ $# -eq 0 ]; then
    set -- baseline \
        env:DOTNET_gcServer=1 \
        env:DOTNET_gcConcurrent=0 \
        env:DOTNET_GCgen0size=0x100000 \
        env:DOTNET_GCHeapHardLimit=0x4000000 \
        env:DOTNET_GCConserveMemory=5 \
        env:DOTNET_TieredPGO=0 \
        env:DOTNET_TC_QuickJitForLoops=0 \
        env:DOTNET_TieredCompilation=0 \
        env:DOTNET_ReadyToRun=0 \
        env:DOTNET_EnableDiagnostics=0 \
        env:DOTNET_EnableWriteXorExecute=0 \
        rc:System.Globalization.Invariant=false \
        rc:System.Resources.UseSystemResourceKeys=true \
        rc:Microsoft.Extensions.DependencyInjection.DisableDynamicEngine=true
fi

LBENCH=$OUT/dotnet/bin/EfdDaemon.LatencyBench/release/EfdDaemon.LatencyBench
PUBLISH=$OUT/dotnet/publish/EfdDaemon/release_linux-x64
PLUGINS=$OUT/plugins-packaged
# On disk like the real install, not tmpfs: /proc/PID/status counts tmpfs-backed pages as RssShmem.
COPY=$OUT/knobs-daemon
for f in "$LBENCH" "$PUBLISH/efd-daemon" "$PLUGINS/RateAlert/RateAlert.dll"; do
    [ -e "$f" ] || { echo "$0: missing $f (build with tests/bench/run.sh first)" >&2; exit 1; }
done
rm -rf "$COPY" && cp -a "$PUBLISH" "$COPY"
cp "$COPY/efd-daemon.runtimeconfig.json" "$COPY/runtimeconfig.base"

# knob_args KNOB: prints the bench's --daemon-env arguments and rewrites the copy's runtimeconfig.json.
knob_args() {
    cp "$COPY/runtimeconfig.base" "$COPY/efd-daemon.runtimeconfig.json"
    local part
    IFS=, read -ra parts <<<"$1"
    for part in "${parts[@]}"; do
        case $part in
            baseline) ;;
            env:*) printf '%s\n' --daemon-env "${part#env:}" ;;
            rc:*) python3 - "$COPY/efd-daemon.runtimeconfig.json" "${part#rc:}" <<'PY'
import json, sys
path, kv = sys.argv[1], sys.argv[2]
name, value = kv.split("=", 1)
rc = json.load(open(path))
rc["runtimeOptions"].setdefault("configProperties", {})[name] = json.loads(value)
json.dump(rc, open(path, "w"), indent=2)
PY
                ;;
            *) echo "$0: knob $part is neither env:NAME=VALUE nor rc:NAME=JSON" >&2; exit 2 ;;
        esac
    done
}

: >>"$OUT/knobs.jsonl"
for run in $(seq 1 "$RUNS"); do
    for knob in "$@"; do
        mapfile -t extra < <(knob_args "$knob")
        line=$("$LBENCH" daemon idle --seconds 1 --iters "$ITERS" --daemon "$COPY/efd-daemon" \
            --run-dir /dev/shm/efd-bench-knobs --config "$ROOT/deploy/config/efd-daemon.json" \
            --plugin-dir "$PLUGINS" "${extra[@]}" | grep '^{')
        printf '{"knob":"%s","run":%s,%s\n' "$knob" "$run" "${line#\{}" >>"$OUT/knobs.jsonl"
        printf '%s\t%s\n' "$knob" "$line" >&2
    done
done
cp "$COPY/runtimeconfig.base" "$COPY/efd-daemon.runtimeconfig.json"

python3 - "$OUT/knobs.jsonl" "$RUNS" "$@" <<'PY'
import json, statistics, sys
path, runs, knobs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = [json.loads(l) for l in open(path) if l.strip()]
cols = [("vmrss_ready_kib", "RSS@READY MiB", 1024), ("vmrss_start_kib", "RSS@+1s MiB", 1024),
        ("vmrss_after_events_kib", "RSS@1M MiB", 1024), ("vmhwm_after_events_kib", "HWM MiB", 1024),
        ("rss_anon_after_events_kib", "anon MiB", 1024), ("rss_file_after_events_kib", "file MiB", 1024),
        ("rss_shmem_after_events_kib", "shmem MiB", 1024), ("ready_ms", "READY ms", 1), ("events_per_s", "kev/s", 1000), ("threads_after_events", "threads", 1)]
print("knob\truns\t" + "\t".join(c[1] for c in cols))
for k in knobs:
    mine = [r for r in rows if r["knob"] == k][-runs:]
    cells = [f"{statistics.median(r[c] for r in mine) / d:.1f}" for c, _, d in cols]
    print(f"{k}\t{len(mine)}\t" + "\t".join(cells))
PY
