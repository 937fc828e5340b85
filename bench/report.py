#!/usr/bin/env python3
"""Turns bench/run.sh's JSON lines into docs/BENCHMARKS.md (stdlib only).

Each input line: {"row": "tcp-16x1", "target": "rpc"|"echo", "result": <rpcbench bench --json>}.
The report keeps the hand-written section between the notes markers of the previous report.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess

# Targets from issue 5: ("ratio", x) = at least x of raw echo; ("rate", n) = at least n calls/s.
TARGETS = {
    "tcp-1x1": ("ratio", 0.95),
    "tcp-16x1": ("ratio", 0.85),
    "tcp-4x32": ("rate", 700_000),
    "tcp-1x1-64KiB": ("ratio", 0.50),
    "http-16x1": ("rate", 100_000),
}
LABELS = {
    "tcp-1x1": "TCP JSON stream, 1 conn × depth 1",
    "tcp-16x1": "TCP JSON stream, 16 conns × depth 1",
    "tcp-4x32": "TCP JSON stream, 4 conns × depth 32 (pipelined)",
    "tcp-1x1-64KiB": "TCP JSON stream, 1 × 1, echo 64 KiB",
    "http-1x1": "HTTP keep-alive, 1 × 1",
    "http-16x1": "HTTP keep-alive, 16 × 1",
    "http-4x32": "HTTP keep-alive, 4 × 32 (pipelined)",
    "http-1x1-64KiB": "HTTP keep-alive, 1 × 1, echo 64 KiB",
}
NOTES_BEGIN = "<!-- notes:begin -->"
NOTES_END = "<!-- notes:end -->"


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine_info():
    lscpu = sh(["lscpu"])
    model = re.search(r"^Model name:\s*(.+)$", lscpu, re.M)
    hyper = re.search(r"^Hypervisor vendor:\s*(.+)$", lscpu, re.M)
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    qt = sh(["qtpaths6", "--qt-version"]) or sh(["qmake6", "-query", "QT_VERSION"])
    return {
        "CPU": model.group(1) if model else platform.processor(),
        "CPUs (nproc)": sh(["nproc"]),
        "Hypervisor": hyper.group(1) if hyper else "none",
        "Memory": mem,
        "Kernel": platform.release(),
        "Qt": qt or "?",
        "Build": "Release (CMAKE_BUILD_TYPE=Release, -O3)",
    }


def load(path):
    runs = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            result = dict(rec["result"])
            result["serverCpuPercent"] = rec.get("serverCpuPercent")
            runs.setdefault((rec["row"], rec["target"]), []).append(result)
    return runs


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(results):
    ok = [r for r in results if r.get("ok")]
    return {
        "runs": len(results),
        "failed": len(results) - len(ok),
        "rate": median([r.get("callsPerSec") for r in ok]),
        "p50": median([r.get("latencyUs", {}).get("p50") for r in ok]),
        "p99": median([r.get("latencyUs", {}).get("p99") for r in ok]),
        "max": max([r.get("latencyUs", {}).get("max", 0) for r in ok], default=None),
        "errors": sum(r.get("errors", 0) for r in ok),
        "cpu": median([r.get("cpuPercent") for r in ok]),
        "serverCpu": median([r.get("serverCpuPercent") for r in ok]),
        "rates": [r.get("callsPerSec", 0) for r in ok],
        "bytes": ok[0].get("requestBytes") if ok else None,
    }


def fmt_rate(v):
    return "—" if v is None else f"{v:,.0f}"


def fmt_us(v):
    if v is None:
        return "—"
    return f"{v / 1000:.2f} ms" if v >= 10_000 else f"{v:.0f} µs"


def verdict(row, rpc, echo):
    target = TARGETS.get(row)
    if not target:
        return "—", ""
    kind, value = target
    if kind == "ratio":
        text = f"≥ {value:.2f} × echo"
        if rpc["rate"] is None or not echo["rate"]:
            return text, "?"
        return text, "yes" if rpc["rate"] / echo["rate"] >= value else "**no**"
    text = f"≥ {value:,} calls/s"
    if rpc["rate"] is None:
        return text, "?"
    return text, "yes" if rpc["rate"] >= value else "**no**"


def results_table(runs):
    rows = [r for r in LABELS if (r, "rpc") in runs or (r, "echo") in runs]
    out = [
        "| Case | Request | rpcbench serve calls/s | raw echo calls/s | ratio | serve p50 / p99 | echo p50 / p99 "
        "| errors | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        rpc = summarize(runs.get((row, "rpc"), []))
        echo = summarize(runs.get((row, "echo"), []))
        ratio = rpc["rate"] / echo["rate"] if rpc["rate"] and echo["rate"] else None
        target, met = verdict(row, rpc, echo)
        failed = f" ({rpc['failed']} failed runs)" if rpc["failed"] else ""
        out.append(
            f"| {LABELS[row]} | {rpc['bytes'] or echo['bytes'] or '—'} B | {fmt_rate(rpc['rate'])}{failed} "
            f"| {fmt_rate(echo['rate'])} | {'—' if ratio is None else f'{ratio:.2f}'} "
            f"| {fmt_us(rpc['p50'])} / {fmt_us(rpc['p99'])} | {fmt_us(echo['p50'])} / {fmt_us(echo['p99'])} "
            f"| {rpc['errors']} | {target} | {met} |"
        )
    return "\n".join(out)


def runs_table(runs):
    out = [
        "| Case | server | calls/s per run | server CPU | generator CPU |",
        "|---|---|---|---:|---:|",
    ]
    for row in LABELS:
        for target in ("rpc", "echo"):
            if (row, target) not in runs:
                continue
            s = summarize(runs[(row, target)])
            per_run = ", ".join(f"{v:,.0f}" for v in s["rates"]) or "all failed"
            cpu = "—" if s["cpu"] is None else f"{s['cpu']:.0f} %"
            server_cpu = "—" if s["serverCpu"] is None else f"{s['serverCpu']:.0f} %"
            name = "serve" if target == "rpc" else "echo"
            out.append(f"| {LABELS[row]} | {name} | {per_run} | {server_cpu} | {cpu} |")
    return "\n".join(out)


def previous_notes(path):
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return None
    start, end = text.find(NOTES_BEGIN), text.find(NOTES_END)
    if start < 0 or end < start:
        return None
    return text[start + len(NOTES_BEGIN):end].strip("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--seconds", required=True)
    ap.add_argument("--warmup", required=True)
    ap.add_argument("--server-cpu", required=True)
    ap.add_argument("--client-cpu", required=True)
    ap.add_argument("--load-before", default="?")
    ap.add_argument("--load-after", default="?")
    ap.add_argument("--priority", default="none")
    ap.add_argument("--command", default="bench/run.sh")
    ap.add_argument("--profile")
    a = ap.parse_args()

    runs = load(a.results)
    notes = previous_notes(a.out)
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    info = machine_info()

    parts = [
        "# Benchmarks",
        "",
        f"Generated on {now} by `{a.command}` (see the script header for the settings); the notes "
        "section at the end is kept when the report is regenerated.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        f"- Load average before / after the run: {a.load_before} / {a.load_after} "
        "(anything well above 0 means other work shared the CPUs and the figures are pessimistic)",
        "",
        "## Method",
        "",
        f"- Server: `rpcbench serve --port 0 --log none` pinned to CPU {a.server_cpu} with `taskset`; its worker "
        "thread does all socket, framing, decoding and dispatch work.",
        f"- Baseline: `rpcbench bench --echo-server` (a Qt raw TCP echo server, no parsing) on the same CPU "
        f"{a.server_cpu}, measured in the same run, right before each server run.",
        f"- Load: `rpcbench bench ... --json` pinned to CPU {a.client_cpu}, {a.runs} runs per case of {a.seconds} s "
        f"each after a {a.warmup} s warm-up; figures are medians over runs. The echo run sends exactly the same "
        "request bytes (framing included) and waits for the same number of bytes back.",
        "- Scheduling: " + {
            "fifo": "server, echo server and generator run as SCHED_FIFO 10 (`chrt -f 10`) so other work on the "
                    "machine barely runs during a measurement; the kernel's RT throttling (95 % per second) shows "
                    "up as ~50 ms maximum latencies.",
            "nice": "server, echo server and generator run at nice -19 so other work on the machine disturbs the "
                    "measurement less (it still does: see the load average).",
        }.get(a.priority, "default priority; any other work on the machine shows up in the figures."),
        "- Calls are `echo` with a string of 16 bytes (or 64 KiB), JSON-RPC 2.0.",
        "- Latency percentiles come from a log-linear histogram (< 1 % error), medians over runs.",
        "",
        "## Results",
        "",
        results_table(runs),
        "",
        "### Every run",
        "",
        "CPU columns are medians in % of one core: the server process over the whole run (warm-up "
        "included, all threads), the generator over the measured window. A server near 100 % is the "
        "bottleneck; a generator near 100 % means the figure is a lower bound for that server (on "
        "loopback the sender's CPU also pays for delivering the bytes to the receiver).",
        "",
        runs_table(runs),
        "",
    ]
    if a.profile and os.path.exists(a.profile):
        with open(a.profile) as f:
            parts += [f.read().rstrip("\n"), ""]
    parts += [
        "## Notes",
        "",
        NOTES_BEGIN,
        notes if notes is not None else "(analysis and suggestions; kept when the report is regenerated)",
        NOTES_END,
        "",
    ]
    with open(a.out, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()
