#!/usr/bin/env python3
"""Aggregates the JSON lines of tests/bench/run.sh into results.md and results.json.

Each measurement ran several times; a cell is the median over runs, with the spread
(min-max) beside it. Ratios compare a .NET path with the C baseline of the same run set,
same mode, same placement.
"""
import json
import statistics
import sys
from collections import defaultdict

PATHS = [
    ("c", "C poll+read (baseline)"),
    ("dotnet", ".NET poll+read, no daemon code"),
    ("inproc", "daemon: EventfdSource → dispatcher → handler, signaller in-process"),
    ("proto", "sketch: lock-free ring + eventfd wake-up (not the daemon's code)"),
    ("xproc", "daemon: signaller in another process (pidfd_getfd)"),
    ("plugin", "daemon: handler in a plugin loaded from a directory"),
]
PLACEMENTS = [("unpinned", "unpinned"), ("one", "one vCPU"), ("two", "two vCPUs")]


def us(ns):
    return f"{ns / 1000:.1f}"


def cell(values, fmt):
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return f"{fmt(med)} ({fmt(min(values))}–{fmt(max(values))})"


def main():
    raw, header_file, md_out, json_out = sys.argv[1:5]
    rows = [json.loads(l) for l in open(raw) if l.strip().startswith("{")]
    header = json.load(open(header_file))
    groups = defaultdict(list)
    for r in rows:
        key = (r.get("path"), r.get("mode"), r.get("placement"))
        groups[key].append(r)

    def vals(path, mode, placement, field):
        return [r[field] for r in groups.get((path, mode, placement), []) if field in r]

    def ratio(path, mode, placement, field, invert=False):
        a = vals(path, mode, placement, field)
        b = vals("c", mode, placement, field)
        if not a or not b or statistics.median(b) == 0:
            return None
        return statistics.median(a) / statistics.median(b)

    out = []
    summary = {"machine": header, "latency": [], "throughput": [], "other": {}}
    out.append("# efd-daemon benchmark results\n")
    out.append(f"- machine: {header['nproc']} vCPUs, {header['cpu']}, kernel {header['kernel']}, "
               f"load average at start {header['loadavg']}")
    out.append(f"- commit: `{header['commit']}`{' (dirty tree)' if header.get('dirty') else ''}, "
               f"{header['date']}")
    out.append(f"- command: `{header['command']}`; {header['runs']} runs per cell: median (min–max)")
    out.append("- latency: µs, from the write() of the ping to the handler's entry (wake-to-handler); "
               "one-way = round trip / 2 in brackets below. Ratios: median against C in the same placement.")
    out.append("- throughput: a writer saturates the eventfd (write(1) in a loop) for the window; "
               "events/s = HandleAsync calls (C: read() calls), units/s = counter units consumed, "
               "both counted within the window.\n")

    out.append("## Wake-to-handler latency (µs)\n")
    out.append("| path | placement | p50 | p99 | p99.9 | max | one-way p50 | one-way p99 | p50 ×C | p99 ×C | B/event |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for placement, pname in PLACEMENTS:
        for path, desc in PATHS:
            if not groups.get((path, "latency", placement)):
                continue
            r50 = ratio(path, "latency", placement, "fwd_p50_ns")
            r99 = ratio(path, "latency", placement, "fwd_p99_ns")
            alloc = vals(path, "latency", placement, "alloc_bytes_per_event")
            out.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                desc, pname,
                cell(vals(path, "latency", placement, "fwd_p50_ns"), us),
                cell(vals(path, "latency", placement, "fwd_p99_ns"), us),
                cell(vals(path, "latency", placement, "fwd_p999_ns"), us),
                cell(vals(path, "latency", placement, "fwd_max_ns"), us),
                cell(vals(path, "latency", placement, "p50_ns"), us),
                cell(vals(path, "latency", placement, "p99_ns"), us),
                "—" if path == "c" or r50 is None else f"{r50:.2f}",
                "—" if path == "c" or r99 is None else f"{r99:.2f}",
                "—" if not alloc else f"{statistics.median(alloc):.1f}"))
            summary["latency"].append({
                "path": path, "placement": placement,
                "fwd_p50_ns": statistics.median(vals(path, "latency", placement, "fwd_p50_ns")),
                "fwd_p99_ns": statistics.median(vals(path, "latency", placement, "fwd_p99_ns")),
                "p50_ns": statistics.median(vals(path, "latency", placement, "p50_ns")),
                "p99_ns": statistics.median(vals(path, "latency", placement, "p99_ns")),
                "ratio_p50": r50, "ratio_p99": r99,
                "alloc_bytes_per_event": statistics.median(alloc) if alloc else None,
                "runs": len(vals(path, "latency", placement, "fwd_p50_ns"))})

    out.append("\n## Throughput (millions per second)\n")
    out.append("| path | mode | placement | events/s | units/s | writer writes/s | units per read | events ×C | units ×C | B/event |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    mps = lambda v: f"{v / 1e6:.2f}"
    for mode in ("counter", "semaphore"):
        for placement, pname in PLACEMENTS:
            for path, desc in PATHS:
                if not groups.get((path, mode, placement)):
                    continue
                re = ratio(path, mode, placement, "events_per_s")
                ru = ratio(path, mode, placement, "units_per_s")
                alloc = vals(path, mode, placement, "alloc_bytes_per_event")
                out.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                    desc, mode, pname,
                    cell(vals(path, mode, placement, "events_per_s"), mps),
                    cell(vals(path, mode, placement, "units_per_s"), mps),
                    cell(vals(path, mode, placement, "writes_per_s"), mps),
                    cell(vals(path, mode, placement, "units_per_read"), lambda v: f"{v:.2f}"),
                    "—" if path == "c" or re is None else f"{re:.2f}",
                    "—" if path == "c" or ru is None else f"{ru:.2f}",
                    "—" if not alloc else f"{statistics.median(alloc):.1f}"))
                summary["throughput"].append({
                    "path": path, "mode": mode, "placement": placement,
                    "events_per_s": statistics.median(vals(path, mode, placement, "events_per_s")),
                    "units_per_s": statistics.median(vals(path, mode, placement, "units_per_s")),
                    "ratio_events": re, "ratio_units": ru,
                    "alloc_bytes_per_event": statistics.median(alloc) if alloc else None})

    others = [r for r in rows if r.get("mode") not in ("latency", "counter", "semaphore")]
    if others:
        out.append("\n## Other paths, idle cost and start-up\n")
        out.append("| measurement | value |")
        out.append("|---|---|")
        by = defaultdict(list)
        for r in others:
            for k, v in r.items():
                if k not in ("impl", "path", "mode", "placement", "note") and isinstance(v, (int, float)):
                    by[(r["path"], r["mode"], k)].append(v)
        for (path, mode, k), v in sorted(by.items()):
            out.append(f"| {path} {mode}: {k} | {cell(v, lambda x: f'{x:.6g}')} |")
            summary["other"][f"{path}.{mode}.{k}"] = statistics.median(v)
        notes = sorted({r["note"] for r in others if r.get("note")})
        for n in notes:
            out.append(f"\n{n}")

    open(md_out, "w").write("\n".join(out) + "\n")
    json.dump({"summary": summary, "runs": rows}, open(json_out, "w"), indent=1)


if __name__ == "__main__":
    main()
