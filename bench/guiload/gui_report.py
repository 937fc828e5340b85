#!/usr/bin/env python3
"""Renders the "GUI under load" figures (JSON files written by rpcbench_guiload) as Markdown
and puts them into docs/BENCHMARKS.md between <!-- guiload:begin --> and <!-- guiload:end -->,
inside the notes section that bench/report.py keeps when it regenerates the file. Nothing
outside those markers is changed. Used by bench/gui-load.sh.

    gui_report.py --out docs/BENCHMARKS.md --command "..." [--profile breakdown.md] run1.json ...
    gui_report.py --fold perf.script    # GUI-thread profile breakdown (Markdown) from `perf script`
"""

import argparse
import collections
import datetime
import json
import os
import re
import statistics
import sys

BEGIN = "<!-- guiload:begin -->"
END = "<!-- guiload:end -->"
NOTES_BEGIN = "<!-- notes:begin -->"
NOTES_END = "<!-- notes:end -->"


def ms(us):
    return f"{us / 1000:.1f} ms"


def mib(kb):
    return f"{kb / 1024:.0f} MiB"


def yes(met):
    return "yes" if met else "**no**"


def load_runs(paths):
    """Runs grouped by what they measured (first appearance order), numbered within a group."""
    runs = []
    for p in paths:
        with open(p) as f:
            r = json.load(f)
        r["_file"] = os.path.basename(p)
        runs.append(r)
    order = {}
    for r in runs:
        order.setdefault(label(r), len(order))
    runs.sort(key=lambda r: order[label(r)])
    counts = collections.Counter(label(r) for r in runs)
    seen = collections.Counter()
    for r in runs:
        seen[label(r)] += 1
        r["_n"] = f" #{seen[label(r)]}" if counts[label(r)] > 1 else ""
    return runs


def label(r):
    if not r.get("ok"):
        return f"{r.get('scenario', '?')} (failed)"
    parts = [r["scenario"]]
    if (r.get("conns"), r.get("depth")) != (16, 8):
        parts.append(f"{r.get('conns')}×{r.get('depth')}")
    if r.get("serverNiceComparison"):
        nice = r.get("serverNice", 0)
        parts.append(f"server thread nice +{nice} (comparison)" if nice else
                     "server thread at the GUI's priority (comparison)")
    return ", ".join(parts)


def load1(r):
    """The 1-minute load average before and after the run: '2.4 → 3.0'."""
    def first(text):
        return (text or "?").split(" ")[0]
    return f"{first(r.get('loadAverageBefore'))} → {first(r.get('loadAverageAfter'))}"


def flush_cost_us(r):
    """GUI-thread CPU per log row spent in the log's flush timers (the 30 ms drain and the zero
    catch-up timer that inserts a backlog in budget-sized chunks), in µs."""
    flushes = [e for e in r["eventLoop"]["top"]
               if e["what"].startswith("QTimer Timer") and ("(30 ms timer)" in e["what"] or "(0 ms timer)" in e["what"])]
    rows = r["log"]["received"]
    return sum(e.get("cpuMs", 0) for e in flushes) * 1000 / rows if flushes and rows else None


def stall_table(runs):
    out = [
        "| Run | load avg (1 min) | calls/s (bench) | log rows/s | stall p50 | p99 | p99.9 | max | stalls > 16 ms / > 50 ms "
        "| on-CPU part p99 / max | waiting-for-CPU part p99 / max "
        "| GUI loop busy | GUI thread CPU | server thread CPU | p99 ≤ 16 ms | max ≤ 50 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in runs:
        if not r.get("ok"):
            out.append(f"| {r['scenario']} | run failed: {r.get('error', '?')} |||||||||||||||")
            continue
        s, b, t = r["stalls"], r.get("bench", {}), r["targets"]
        cpu = r.get("threadCpuPercent", {})
        gui_cpu = next((v for k, v in cpu.items() if k.startswith("rpcbench_guilo")), 0)
        out.append(
            f"| {label(r)}{r['_n']} | {load1(r)} | {b.get('callsPerSec', 0):,.0f} | {r['log']['rowsReceivedPerSec']:,.0f} "
            f"| {ms(s['p50Us'])} | {ms(s['p99Us'])} | {ms(s['p999Us'])} | {ms(s['maxUs'])} "
            f"| {s['over16ms']} / {s['over50ms']} "
            f"| {ms(s.get('onCpuP99Us', 0))} / {ms(s.get('onCpuMaxUs', 0))} "
            f"| {ms(s.get('waitingP99Us', 0))} / {ms(s.get('waitingMaxUs', 0))} "
            f"| {r['eventLoop']['busyPercent']:.0f} % | {gui_cpu:.0f} % "
            f"| {cpu.get('rpcbench-server', 0):.0f} % | {yes(t['p99']['met'])} | {yes(t['max']['met'])} |")
    return out


def log_table(runs):
    out = [
        "| Run | rows shown | received | evicted | of which never rows | bus dropped | unaccounted | max waiting "
        "| rows per flush p50 / p99 / max | flush CPU per row | RSS start | at cap | max after cap | end | peak (VmHWM) "
        "| growth in last half | RSS ≤ 1.1 × at cap | nothing lost |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in runs:
        if not r.get("ok"):
            continue
        lg, m, t, fr = r["log"], r["memory"], r["targets"], r.get("flushRows", {})
        cost = flush_cost_us(r)
        out.append(
            f"| {label(r)}{r['_n']} | {lg['rowsShown']:,} | {lg['received']:,} | {lg['evicted']:,} "
            f"| {lg.get('skipped', 0):,} | {lg['busDropped']:,} | {lg['eventsUnaccounted']:,} "
            f"| {lg.get('maxWaiting', lg['maxBacklog']):,} "
            f"| {fr.get('p50', 0):,} / {fr.get('p99', 0):,} / {fr.get('max', 0):,} "
            f"| {'—' if cost is None else f'{cost:.2f} µs'} | {mib(m['startKb'])} | {mib(m['atCapKb'])} | {mib(m['maxAfterCapKb'])} | {mib(m['endKb'])} "
            f"| {mib(m['peakKb'])} | {m.get('lastHalfGrowthKb', 0) / 1024:+.1f} MiB | {yes(t['rss']['met'])} | {yes(t['nothingLost']['met'])} |")
    return out


def rss_series(run):
    """RSS every 5 s of the first run, to show whether memory keeps growing once the log is full."""
    pts = run["memory"].get("series", [])
    picked = [p for p in pts if round(p[0]) % 5 == 0 or p is pts[-1]]
    seen, cells = set(), []
    for t, rss, backlog in picked:
        key = round(t)
        if key in seen and (t, rss, backlog) != tuple(pts[-1]):
            continue
        seen.add(key)
        cells.append((f"{t:.0f} s", f"{rss:.0f}", f"{backlog:,}"))
    return [
        "| t | " + " | ".join(c[0] for c in cells) + " |",
        "|---|" + "---:|" * len(cells),
        "| RSS MiB | " + " | ".join(c[1] for c in cells) + " |",
        "| waiting (bus + log queue) | " + " | ".join(c[2] for c in cells) + " |",
    ]


def event_table(run):
    el = run["eventLoop"]
    out = [
        f"Top-level events on the GUI thread ({label(run)} run; wall {el['wallMs'] / 1000:.1f} s, "
        f"the loop was busy {el['busyPercent']:.0f} % of it; \"CPU\" is the GUI thread's own CPU time inside "
        "the events, the rest of \"total\" it waited for a CPU):",
        "",
        "| Event (receiver, type) | count | total | CPU | mean | max | % of wall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in el["top"][:8]:
        out.append(f"| {e['what']} | {e['count']:,} | {e['totalMs']:,.0f} ms | {e.get('cpuMs', 0):,.0f} ms "
                   f"| {e['meanUs']:,.0f} µs | {e['maxMs']:.1f} ms | {e['percentOfWall']:.1f} % |")
    out += ["", "Paint events (nested in the update requests above):", "",
            "| Widget | paints | total | mean | max |", "|---|---:|---:|---:|---:|"]
    for e in el["paints"][:5]:
        out.append(f"| {e['what']} | {e['count']:,} | {e['totalMs']:,.0f} ms | {e['meanUs']:,.0f} µs "
                   f"| {e['maxMs']:.1f} ms |")
    slow = el.get("slowest", [])
    if slow:
        kinds = collections.Counter(e["what"] for e in slow)
        top = slow[0]
        out += ["", f"{el['slowCount']} top-level events took ≥ 16 ms; the {len(slow)} slowest: "
                + ", ".join(f"{n} × {w}" for w, n in kinds.most_common())
                + f" (longest {top['ms']:.1f} ms, of which {top.get('cpuMs', 0):.1f} ms on CPU and "
                f"{top.get('waitingForCpuMs', 0):.1f} ms waiting for a CPU)."]
    return out


def split_summary(runs):
    out = []
    for r in runs:
        sp = r.get("ok") and r["stalls"].get("over8msSplit")
        if sp and sp["stallMs"] > 0:
            out.append(f"{label(r)}{r['_n']}: {sp['onCpuMs'] / sp['stallMs'] * 100:.0f} % on CPU, "
                       f"{sp['waitingForCpuMs'] / sp['stallMs'] * 100:.0f} % waiting for a CPU, "
                       f"{sp['blockedMs'] / sp['stallMs'] * 100:.0f} % blocked")
    if not out:
        return []
    return ["Where the frozen time of all stalls ≥ 8 ms went (the GUI thread's CPU time and run-queue wait "
            "from `/proc/thread-self/schedstat` during each late tick): " + "; ".join(out) + "."]


def targets_summary(runs):
    ok = [r for r in runs if r.get("ok")]
    out = []

    def span(values, unit):
        return f"{min(values):.1f}–{max(values):.1f} {unit}" if values else "?"

    def span2(values, unit):
        return f"{min(values):.2f}–{max(values):.2f} {unit}" if values else "?"

    for key, title, values in (
            ("p99", "p99 stall ≤ 16 ms", lambda rs: span([r["stalls"]["p99Us"] / 1000 for r in rs], "ms")),
            ("max", "max stall ≤ 50 ms", lambda rs: span([r["stalls"]["maxUs"] / 1000 for r in rs], "ms")),
            ("rss", "RSS bounded once the cap is reached (end ≤ 1.1 × RSS when the cap was reached)",
             lambda rs: "end / at cap " + span2([r["memory"]["endKb"] / max(r["memory"]["atCapKb"], 1)
                                                for r in rs], "×")),
            ("nothingLost", "nothing dropped silently",
             lambda rs: f"bus dropped {sum(r['log']['busDropped'] for r in rs):,}, unaccounted "
                        f"{sum(r['log']['eventsUnaccounted'] for r in rs):,} in total")):
        groups = []
        for name in dict.fromkeys(label(r) for r in ok):
            rs = [r for r in ok if label(r) == name]
            met = sum(1 for r in rs if r["targets"][key]["met"])
            groups.append(f"{name}: {met}/{len(rs)} ({values(rs)})")
        out.append(f"- {title}: " + "; ".join(groups) + ".")
    return out


def render(runs, command, profile):
    ok = [r for r in runs if r.get("ok")]
    first = ok[0] if ok else None
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    loads = [float(x.split(" ")[0]) for r in runs for x in (r.get("loadAverageBefore"), r.get("loadAverageAfter"))
             if x]
    loads = f"{min(loads):.2f} – {max(loads):.2f}" if loads else "?"
    lines = [
        BEGIN,
        "## GUI under load",
        "",
        f"Generated on {now} by `{command}`; this sub-section is replaced when the script runs again "
        "(the analysis below the end marker is kept).",
        "",
        "- What runs: the real main window (`QT_QPA_PLATFORM=offscreen`, shown, 1440×900, so paint events "
        "happen), its embedded server started from the toolbar action on a free port, logging on, log cap "
        f"{first['log']['capacity'] if first else '?':,} rows. `rpcbench bench --conns C --depth D --seconds "
        f"{first['seconds'] if first else '?':g} --json` drives it from a child process at full speed "
        "(C×D = 16×8 unless the run says otherwise).",
        "- Scenarios: *follow* — the log view at the bottom, auto-scroll on (the default); *reading* — after "
        "2 s the user selects a row in the middle of the log (view scrolled away, details pane showing it).",
        "- As shipped, the window runs its embedded server's thread 10 nice steps below the GUI thread "
        "(`BenchSession::EmbeddedServerNice`, `setpriority` on the thread id; headless `rpcbench serve` keeps "
        "normal priority), and the log inserts at most 4,096 rows or ~4 ms per flush, the rest following from "
        "a zero timer; pending events beyond the cap are skipped before any row is built and counted as "
        "evicted (\"of which never rows\"); while rows stream in, the table repaints at the 100 ms auto-scroll "
        "tick (at once on user input). Runs marked *(comparison)* override the server thread's priority "
        "to show what the shipped default buys.",
        "- Stalls: a 1 ms `Qt::PreciseTimer` on the GUI thread records how late each tick comes "
        "(`LatencyHistogram`); the stall is the gap between ticks minus 1 ms. Memory: VmRSS every 250 ms. "
        "Counters: the log model's received / evicted / rows, the traffic bus's published / dropped, the "
        "server's messages in / replies out (\"unaccounted\" = events the server produced that are neither in "
        "the log's received count, nor counted as dropped, nor still waiting in the bus; received = rows + "
        "evicted + the log's own queue). \"Waiting\" = the bus's backlog plus the log's queue.",
        "- Every event the GUI thread delivers is timed (a `QApplication::notify` override), so stalls can be "
        "attributed. Figures include 1.5 s after the load ends while the log drains the bus.",
        f"- 1-minute load average during the runs: {loads} (per run in the first table). The machine has 2 vCPUs "
        "shared with other work: with the server thread and the load generator already busy, anything above "
        "~1 makes the GUI thread wait for a CPU more often, so the stalls are pessimistic; the on-CPU / "
        "waiting split below separates the two. Priority: see the command (nice = the whole benchmark at "
        "nice -19).",
        "",
        "### Event-loop stalls",
        "",
        *stall_table(runs),
        "",
        *split_summary(runs),
        "",
        "### Log and memory",
        "",
        *log_table(runs),
        "",
        "### Targets",
        "",
        *targets_summary(runs),
        "",
    ]
    if first:
        lines += [f"### Memory over time ({label(first)}{first['_n']} run)", "", *rss_series(first), "",
                  "### Where the GUI thread's time goes", ""]
        for name in dict.fromkeys(label(r) for r in ok if not r.get("serverNiceComparison")):
            lines += [*event_table(next(r for r in ok if label(r) == name)), ""]
    if profile and os.path.exists(profile):
        with open(profile) as f:
            lines += [f.read().rstrip("\n"), ""]
    lines.append(END)
    return "\n".join(lines)


def splice(path, section):
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        text = f"# Benchmarks\n\n## Notes\n\n{NOTES_BEGIN}\n{NOTES_END}\n"
    start, end = text.find(BEGIN), text.find(END)
    if 0 <= start < end:
        text = text[:start] + section + text[end + len(END):]
    else:
        notes_end = text.find(NOTES_END)
        if notes_end < 0:
            text = text.rstrip("\n") + f"\n\n## Notes\n\n{NOTES_BEGIN}\n{section}\n{NOTES_END}\n"
        else:
            text = text[:notes_end].rstrip("\n") + "\n\n" + section + "\n" + text[notes_end:]
    with open(path, "w") as f:
        f.write(text)


# --- GUI-thread profile from `perf script -F ip,sym,dso` -------------------------------------

GROUPS = [  # (label, frame substring); a sample counts for every group its stack contains
    ("TrafficLogModel::flush (drain + one chunk: pair, evict, insert)", "TrafficLogModel::flush"),
    ("· enqueue (drained events into the log's queue, skip beyond the cap)", "TrafficLogModel::enqueue"),
    ("· evictFront (destroy old rows, beginRemoveRows)", "TrafficLogModel::evictFront"),
    ("· pair (match replies to requests)", "TrafficLogModel::pair"),
    ("· rowsInserted / rowsRemoved handlers (proxy, view, header)", "QAbstractItemModel::rows"),
    ("malloc / free (anywhere)", "malloc|free|_int_|unlink_chunk|malloc_consolidate"),
    ("paint (QWidgetRepaintManager::paintAndFlush)", "QWidgetRepaintManager::paintAndFlush"),
    ("· QTableView::paintEvent", "QTableView::paintEvent"),
    ("· text layout/shaping (QTextEngine, harfbuzz)", "QTextEngine|hb_shape"),
    ("layouts (QLayout)", "QLayout"),
    ("QHeaderView", "QHeaderView"),
    ("QSortFilterProxyModel", "QSortFilterProxyModel"),
    ("kernel (syscalls, scheduling, faults)", r"\[kernel"),
]


def read_stacks(path):
    stacks, cur = [], None
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if cur:
                    stacks.append(cur)
                cur = None
            elif not line[0].isspace():
                cur = []
            elif cur is not None:
                parts = line.strip().split(None, 1)
                cur.append(re.sub(r"\+0x[0-9a-f]+", "", parts[1] if len(parts) > 1 else "?"))
    if cur:
        stacks.append(cur)
    return stacks


def fold(path):
    stacks = read_stacks(path)
    n = len(stacks) or 1
    out = ["### GUI-thread profile",
           "",
           f"`perf record -e cpu-clock --call-graph dwarf -t <GUI thread>` for 10 s of a *follow* run "
           f"({len(stacks):,} samples; % of the GUI thread's CPU time, inclusive; a sample counts in every "
           "group its stack contains, so groups overlap):",
           "", "| Where | % |", "|---|---:|"]
    for title, pattern in GROUPS:
        rx = re.compile(pattern)
        share = sum(1 for s in stacks if any(rx.search(fr) for fr in s)) / n * 100
        out.append(f"| {title} | {share:.1f} % |")
    leaf = collections.Counter(s[0].split(" (")[0].replace("[unknown]", "[unknown: Qt internals, no symbols]")
                               for s in stacks if s)
    out += ["", "Top self-time functions:", "", "```"]
    out += [f"{v / n * 100:6.2f}%  {k[:100]}" for k, v in leaf.most_common(15)]
    out.append("```")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--command", default="bench/gui-load.sh")
    ap.add_argument("--profile")
    ap.add_argument("--fold")
    ap.add_argument("results", nargs="*")
    a = ap.parse_args()
    if a.fold:
        print(fold(a.fold))
        return 0
    if not a.out or not a.results:
        ap.error("--out and at least one results file are required")
    runs = load_runs(a.results)
    splice(a.out, render(runs, a.command, a.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
