#!/usr/bin/env python3
"""Turns bench/run's raw outputs into one table (stdout), a JSON file, a Markdown table and a PNG chart.

Standard library only; the chart is drawn by gnuplot (Debian's gnuplot-nox).
raw layout: RAW/<round>/<proxy>/{status, wrk-keepalive.txt, wrk-close.txt, iperf-up.json, iperf-down.json,
idle.json, abort.json, graceful.json, stop-ms.txt, ...}
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

PROXIES = ["direct", "linger", "haproxy", "nginx", "socat", "lab"]  # lab: bench/lab/LeanRelay.java, only with --only

# key, label, unit, better ("higher"/"lower"/None), ratio shown, linger target (op, value, against)
METRICS = [
    ("ka_rps", "keep-alive requests/s", "", "higher", True, (">=", 1.10, "haproxy")),
    ("ka_p50_ms", "keep-alive p50", "ms", "lower", True, None),
    ("ka_p99_ms", "keep-alive p99", "ms", "lower", True, ("<=", 1.0, "haproxy")),
    ("ka_errors", "keep-alive errors", "", "lower", False, None),
    ("cc_cps", "new connection per request, conn/s", "", "higher", True, (">=", 1.0, "haproxy")),
    ("cc_p99_ms", "new connection per request, p99", "ms", "lower", True, None),
    ("cc_errors", "new connection per request, errors", "", "lower", False, None),
    ("up_gbps", "bulk client->upstream", "Gb/s", "higher", True, (">=", 1.0, "haproxy")),
    ("down_gbps", "bulk upstream->client", "Gb/s", "higher", True, (">=", 1.0, "haproxy")),
    ("idle_kb", "memory per idle session (RSS)", "KiB", "lower", True, None),
    ("idle_pss_kb", "memory per idle session (PSS)", "KiB", "lower", True, None),
    ("idle_jvm_kb", "memory per idle session (JVM: live heap + Netty direct)", "KiB", "lower", True,
     ("<=", 1.0, "haproxy")),
    ("abort_sps", "abort teardown, sessions/s", "", "higher", True, None),
    ("abort_tw", "abort teardown, TIME_WAIT left on proxy", "", "lower", False, None),
    ("abort_ends", "abort teardown, what clients saw", "", None, False, None),
    ("grace_late_ms", "graceful linger 1s: last reset after deadline", "ms", "lower", False, ("<=", 200, "abs")),
    ("grace_not_reset", "graceful linger 1s: clients never reset", "", "lower", False, ("<=", 0, "abs")),
    ("grace_ping_p99_ms", "graceful linger: echo ping p99 meanwhile", "ms", "lower", False, None),
    ("grace_ping_max_ms", "graceful linger: echo ping max meanwhile", "ms", "lower", False, None),
]
CHART = ["ka_rps", "ka_p99_ms", "cc_cps", "cc_p99_ms", "up_gbps", "down_gbps", "idle_kb", "idle_jvm_kb", "abort_sps"]
# A figure only linger has, set against HAProxy's nearest one.
RATIO_AGAINST = {"idle_jvm_kb": "idle_kb"}


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def read_json(path):
    text = read(path)
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        try:  # one JSON object on the last line, after other output
            return json.loads(text.strip().splitlines()[-1])
        except ValueError:
            return None


def to_ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(text):
    if not text:
        return {}
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    for q in ("50", "99"):
        m = re.search(rf"^\s+{q}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        if m:
            out[f"p{q}_ms"] = to_ms(m.group(1), m.group(2))
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups())))
        errors += sum(map(int, m.groups()))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        out["non2xx"] = int(m.group(1))
        errors += int(m.group(1))
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    if m:
        out["requests"] = int(m.group(1))
    out["errors"] = errors
    return out


def parse_iperf(path):
    j = read_json(path)
    if not j:
        return None, "no output"
    if j.get("error"):
        return None, j["error"]
    try:
        return j["end"]["sum_received"]["bits_per_second"] / 1e9, None
    except (KeyError, TypeError):
        return None, "no sum_received"


def round_figures(d):
    """Every figure of one proxy in one round, from its raw directory."""
    f = {"status": (read(os.path.join(d, "status")) or "missing").strip()}
    if f["status"] != "ok":
        return f
    ka = parse_wrk(read(os.path.join(d, "wrk-keepalive.txt")))
    cc = parse_wrk(read(os.path.join(d, "wrk-close.txt")))
    f.update({"ka_rps": ka.get("rps"), "ka_p50_ms": ka.get("p50_ms"), "ka_p99_ms": ka.get("p99_ms"),
              "ka_errors": ka.get("errors"), "cc_cps": cc.get("rps"), "cc_p99_ms": cc.get("p99_ms"),
              "cc_errors": cc.get("errors"),
              "wrk_keepalive": ka, "wrk_close": cc})
    f["up_gbps"], up_err = parse_iperf(os.path.join(d, "iperf-up.json"))
    f["down_gbps"], down_err = parse_iperf(os.path.join(d, "iperf-down.json"))
    if up_err or down_err:
        f["iperf_errors"] = {"up": up_err, "down": down_err}
    idle = read_json(os.path.join(d, "idle.json")) or {}
    f["idle"] = idle
    f["idle_kb"] = idle.get("rss_per_session_kb")
    f["idle_pss_kb"] = idle.get("pss_per_session_kb")
    live = read_json(os.path.join(d, "idle-live.json")) or {}
    f["idle_live"] = live
    if live.get("live_heap_per_session_kb") is not None:
        f["idle_jvm_kb"] = live["live_heap_per_session_kb"] + (idle.get("netty_direct_per_session_kb") or 0)
    ab = read_json(os.path.join(d, "abort.json")) or {}
    f["abort"] = ab
    f["abort_sps"] = ab.get("sessions_per_s")
    f["abort_tw"] = ab.get("time_wait")
    if ab.get("ends") is not None:
        f["abort_ends"] = " ".join(f"{k} {v}" for k, v in sorted(ab["ends"].items())) or "none"
        if ab.get("not_ended"):
            f["abort_ends"] += f" open {ab['not_ended']}"
    g = read_json(os.path.join(d, "graceful.json"))
    if g:
        f["graceful"] = g
        f["grace_late_ms"] = g.get("last_reset_after_deadline_ms")
        f["grace_not_reset"] = g.get("not_reset")
        f["grace_ping_p99_ms"] = g.get("ping_p99_ms")
        f["grace_ping_max_ms"] = g.get("ping_max_ms")
    foreign = {}
    for name, key in (("wrk-keepalive", "ka"), ("wrk-close", "cc"), ("iperf-up", "up"), ("iperf-down", "down")):
        j = read_json(os.path.join(d, name + ".foreign.json"))
        if j:
            tries = read(os.path.join(d, name + ".attempts"))
            j["attempts"] = int(tries) if tries and tries.strip().isdigit() else 1
            foreign[key] = j
    if foreign:
        f["foreign_cpu"] = foreign
    jit = {}
    for name, key in (("wrk-keepalive", "ka"), ("wrk-close", "cc"), ("iperf-up", "up"), ("iperf-down", "down")):
        ms = read(os.path.join(d, name + ".jit"))
        if ms and ms.strip().lstrip("-").isdigit():
            jit[key] = int(ms.strip())
    if jit:
        f["jit_ms"] = jit  # CPU of the JVM's JIT compiler threads inside each measured window
    stop = read(os.path.join(d, "stop-ms.txt"))
    if stop:
        f["stop_ms"] = int(stop.strip())
    sockets = read(os.path.join(d, "sockets-after.txt"))
    if sockets:
        f["sockets_after_graceful"] = {l.split()[1]: int(l.split()[0]) for l in sockets.splitlines() if l.strip()}
    err = read(os.path.join(d, f"{os.path.basename(d)}.err")) or ""
    lines = [l for l in err.splitlines() if re.search(r"WARN|ERROR|Exception|\[ALERT\]|\[WARNING\]|\[emerg\]|\[alert\]|\[crit\]", l)]
    if lines:
        f["log_warnings"] = {"count": len(lines), "first": lines[:5]}
    return f


def median(values):
    nums = [v for v in values if isinstance(v, (int, float))]
    if not nums:
        strs = [v for v in values if isinstance(v, str)]
        return strs[-1] if strs else None
    return statistics.median(nums)


def sh(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable: {e}"


def machine(args):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    osname = ""
    try:
        with open("/etc/os-release") as f:
            osname = next((l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME=")), "")
    except OSError:
        pass
    pkgs = {}
    for p in ("haproxy", "nginx-light", "libnginx-mod-stream", "socat", "wrk", "iperf3", "gnuplot-nox"):
        v = sh(["dpkg-query", "-W", "-f=${Version}", p])
        pkgs[p] = v if "no packages found" not in v else None
    return {
        "nproc": int(sh(["nproc"]) or 0), "cpu": cpu, "memory": mem, "kernel": platform.release(),
        "os": osname, "java": sh([args.java, "-version"]), "packages": pkgs,
        "linger_commit": args.commit or sh(["git", "-C", args.root, "rev-parse", "--short", "HEAD"]),
        "linger_tree_dirty": bool(args.dirty) if args.dirty is not None else bool(
            sh(["git", "-C", args.root, "status", "--porcelain", "--untracked-files=no",
                "--", "proxy-core", "proxy-app", "pom.xml"])),
        "python": platform.python_version(),
    }


def jar_sha(path):
    import hashlib
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def fmt(v, key):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if key in ("ka_rps", "cc_cps", "abort_sps"):
        return f"{v:,.0f}"
    if key in ("ka_errors", "cc_errors", "abort_tw", "grace_not_reset"):
        return f"{v:.0f}"
    if key in ("grace_late_ms", "grace_ping_max_ms"):
        return f"{v:.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.2f}"


def target_check(key, target, linger, ratio):
    if not target:
        return ""
    op, val, against = target
    x = ratio if against == "haproxy" else linger
    if x is None:
        return f"{op} {val}{'x' if against == 'haproxy' else ''}: n/a"
    ok = x >= val if op == ">=" else x <= val
    unit = "x HAProxy" if against == "haproxy" else ""
    return f"{op} {val}{unit}: {'met' if ok else 'MISSED'}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--java", default="java")
    ap.add_argument("--jvm-opts", default="")
    ap.add_argument("--jar", default="")
    ap.add_argument("--access-log", default="false")
    ap.add_argument("--transport", default="auto")
    ap.add_argument("--stamp", required=True)
    ap.add_argument("--root", default=".")
    ap.add_argument("--command", default="bench/run")
    ap.add_argument("--commit", help="linger's commit as the run started (default: HEAD now)")
    ap.add_argument("--dirty", type=int, help="files changed in linger's tree as the run started (default: now)")
    args = ap.parse_args()

    rounds = sorted((r for r in os.listdir(args.raw) if r.isdigit()), key=int) if os.path.isdir(args.raw) else []
    present = [p for p in PROXIES if any(os.path.isdir(os.path.join(args.raw, r, p)) for r in rounds)]
    per = {}
    for p in present:
        rs = [round_figures(os.path.join(args.raw, r, p)) for r in rounds if os.path.isdir(os.path.join(args.raw, r, p))]
        ok = [r for r in rs if r["status"] == "ok"]
        med = {k: median([r.get(k) for r in ok]) for k, *_ in METRICS}
        per[p] = {"status": "ok" if ok else (rs[-1]["status"] if rs else "missing"), "rounds": rs, "median": med}
    hap = per.get("haproxy", {}).get("median", {})
    for p in present:
        ratios = {}
        for key, _, _, _, show, _ in METRICS:
            v, h = per[p]["median"].get(key), hap.get(RATIO_AGAINST.get(key, key))
            if show and isinstance(v, (int, float)) and isinstance(h, (int, float)) and h:
                ratios[key] = v / h
        per[p]["ratio_to_haproxy"] = ratios

    # ---- the table
    cols = present
    header = ["figure"] + cols + (["linger target"] if "linger" in cols else [])
    rows = []
    for key, label, unit, better, show, target in METRICS:
        cells = [f"{label}{' (' + unit + ')' if unit else ''}"]
        any_value = False
        for p in cols:
            v = per[p]["median"].get(key) if per[p]["status"] == "ok" else None
            any_value |= v is not None
            c = fmt(v, key) if per[p]["status"] == "ok" else per[p]["status"]
            r = per[p]["ratio_to_haproxy"].get(key)
            if r is not None and p != "haproxy":
                c += f" ({r:.2f}x)"
            cells.append(c)
        if "linger" in cols:
            cells.append(target_check(key, target, per["linger"]["median"].get(key),
                                      per["linger"]["ratio_to_haproxy"].get(key)))
        if any_value:
            rows.append(cells)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(header, widths)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    title = (f"linger bench {args.stamp}: {args.threads} worker thread(s) per proxy, "
             f"{args.rounds} round(s), medians; {args.duration} s per wrk/iperf3 figure"
             f"{' (--quick)' if args.quick else ''}; (Nx) = ratio to HAProxy")
    print()
    print(title)
    print("\n".join(lines))

    mach = machine(args)
    notes = [
        "Lower is better for p50/p99, errors, memory, TIME_WAIT and linger lateness; higher for the rest.",
        "wrk: 50 connections, -t%d, to an nginx backend serving 128 bytes; iperf3: one stream, 1 s omitted." % args.threads,
        "memory: RSS growth of the proxy's process tree with 4,000 idle sessions open, / 4,000, on a fresh process "
        "after 25 rounds of 200 sessions opened and closed (class loading, JIT) "
        "(socat forks a process per session, whose shared pages RSS counts again: PSS is the fairer figure there). "
        "A JVM's RSS growth only says which heap pages the sessions touched first (it swung from -0.2 to 7.9 KiB "
        "for the same linger), so linger's memory target is judged on what it holds: the live heap 4,000 idle sessions "
        "add (measured last in the round, each reading after the full GC of `jcmd GC.class_histogram`) plus the growth "
        "of Netty's direct memory (its allocator gauge, in the RSS pass), set against HAProxy's RSS figure.",
        "abort teardown: 2,000 sessions, every upstream closes (FIN) at once; linger policy=abort (RST both ways), HAProxy "
        "option nolinger (it still passes the upstream's FIN on as a FIN), nginx and socat close as they do (FIN). "
        "TIME_WAIT counted on the proxy's ports 1 s later.",
        "graceful linger: linger policy=graceful, linger-timeout=1s; HAProxy `timeout client-fin 1s` (it closes, it does not reset); "
        "2,000 clients with SO_RCVBUF=1024 never read while the upstream sends 64 KiB then FIN.",
    ]
    if "lab" in present:
        notes.append("lab: bench/lab/LeanRelay.java, a relay prototype written on Netty's IoEventLoop/IoHandle layer (no "
                     "Channels), not part of linger, run with the same java on linger's jar; its abort route resets both "
                     "sides on the upstream's FIN; it has no graceful linger (-).")
    jit = {k: [r["jit_ms"][k] for r in per["linger"]["rounds"] if k in (r.get("jit_ms") or {})]
           for k in ("ka", "cc", "up", "down")} if "linger" in per else {}
    if any(jit.values()):
        labels = {"ka": "keep-alive", "cc": "connection per request", "up": "bulk up", "down": "bulk down"}
        notes.append("linger's JIT compiler CPU inside each measured window, per round (ms): "
                     + "; ".join(f"{labels[k]} {', '.join(map(str, v))}" for k, v in jit.items() if v)
                     + ". Near 0 means the JIT had settled before the figure was taken.")
    busy = [f"{p} round {i + 1} {k} ({v['foreign_cpu_pct']}% of a core: {', '.join(v['top'])})"
             for p in present for i, r in enumerate(per[p]["rounds"])
             for k, v in (r.get("foreign_cpu") or {}).items() if v.get("foreign_cpu_pct", 0) > 15]
    if busy:
        notes.append("WARNING: other processes on the machine used CPU during (after 3 attempts each): " + ", ".join(busy) + "; those figures are skewed.")
        print("\n" + notes[-1])
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        base = os.path.join(args.out, args.stamp)
        doc = {
            "stamp": args.stamp, "command": args.command,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "settings": {"threads": args.threads, "rounds": args.rounds, "duration_s": args.duration,
                         "quick": args.quick, "java": args.java, "jvm_opts": args.jvm_opts,
                         "jar": args.jar, "jar_sha256": jar_sha(args.jar),
                         "linger_access_log": args.access_log, "linger_transport": args.transport,
                         "wrk_connections": 50,
                         "idle_sessions": 4000, "teardown_sessions": 2000},
            "machine": mach, "notes": notes,
            "targets": {k: {"op": t[0], "value": t[1], "against": t[2]} for k, *_, t in METRICS if t},
            "proxies": per,
        }
        with open(base + ".json", "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
        md = [f"# {title}", "", f"Command: `{args.command}`", "",
              f"Machine: {mach['nproc']} cores, {mach['cpu']}, {mach['memory']} RAM, {mach['os']}, kernel {mach['kernel']}; "
              f"{mach['java'].splitlines()[0] if mach['java'] else ''}; "
              + ", ".join(f"{k} {v}" for k, v in mach["packages"].items() if v)
              + f"; linger {mach['linger_commit']}{' (modified)' if mach['linger_tree_dirty'] else ''}"
              + (f" (jar {args.jar})" if args.jar and not args.jar.startswith(os.path.abspath(args.root)) else "")
              + (f"; JVM flags `{args.jvm_opts}`" if args.jvm_opts else "")
              + (f"; linger transport {args.transport}" if args.transport != "auto" else ""), "",
              "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        md += ["| " + " | ".join(r) + " |" for r in rows]
        md += [""] + [f"- {n}" for n in notes] + ["", f"Raw figures: `{os.path.basename(base)}.json`; chart: `{os.path.basename(base)}.png`.", ""]
        with open(base + ".md", "w") as f:
            f.write("\n".join(md))
        suffix = f"-{args.transport}" if args.transport != "auto" else ""
        shutil.copyfile(base + ".md", os.path.join(args.out, f"latest{suffix}.md"))
        shutil.copyfile(base + ".md", os.path.join(args.out, f"latest-t{args.threads}{suffix}.md"))
        chart(per, present, base + ".png", title)
        print(f"\nwrote {base}.json, {base}.md, {base}.png and {os.path.join(args.out, f'latest{suffix}.md')}"
              f" (also latest-t{args.threads}{suffix}.md)")


def chart(per, present, png, title):
    if not shutil.which("gnuplot"):
        print("no gnuplot: chart skipped", file=sys.stderr)
        return
    labels = {k: l for k, l, *_ in METRICS}
    short = {"ka_rps": "keep-alive\\nreq/s", "ka_p99_ms": "keep-alive p99\\n(lower better)",
             "cc_cps": "new conn.\\nper request, conn/s", "cc_p99_ms": "new conn. p99\\n(lower better)",
             "up_gbps": "bulk Gb/s\\nclient->upstream", "down_gbps": "bulk Gb/s\\nupstream->client",
             "idle_kb": "idle session KiB\\nRSS (lower better)",
             "idle_jvm_kb": "idle session KiB\\nheld, JVM (lower b.)", "abort_sps": "abort teardown\\nsessions/s"}
    data = png[:-4] + ".dat"
    with open(data, "w") as f:
        for k in CHART:
            vals = []
            for p in present:
                r = per[p]["ratio_to_haproxy"].get(k)
                vals.append(f"{r:.4f}" if r else "NaN")
            f.write('"%s" %s\n' % (short.get(k, labels[k]), " ".join(vals)))
    colors = {"direct": "#999999", "linger": "#d62728", "haproxy": "#1f77b4", "nginx": "#2ca02c", "socat": "#ff7f0e",
              "lab": "#9467bd"}
    plots = ", ".join(
        f"'{data}' using {i + 2}:xtic(1) title '{p}' lc rgb '{colors.get(p, '#000000')}'"
        for i, p in enumerate(present))
    script = f"""
set terminal pngcairo size 1400,700 font 'DejaVu Sans,11'
set output '{png}'
set title "{title.replace('"', "'")}\\nbars clipped at 64x; direct = no proxy" font ',11'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing 'NaN'
set key outside right top vertical
set logscale y 2
set yrange [1.0/64:64]
set xrange [-0.6:{len(CHART) - 0.4}]
set bmargin 5
set ytics ("1/64" 1.0/64, "1/32" 0.03125, "1/16" 0.0625, "1/8" 0.125, "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32, "64" 64)
set ylabel 'ratio to HAProxy (log scale)'
set grid ytics
set xtics font ',10'
set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb '#1f77b4' dt 2 lw 2
plot {plots}
"""
    p = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        print(f"gnuplot failed: {p.stderr}", file=sys.stderr)
    os.unlink(data)


if __name__ == "__main__":
    main()
