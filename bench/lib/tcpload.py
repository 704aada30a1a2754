#!/usr/bin/env python3
"""Socket-level measurements for bench/run, standard library only.

Each subcommand prints one JSON object on stdout (diagnostics go to stderr):

  idle      N idle sessions through a proxy to a silent backend held by this process;
            RSS of the proxy's process tree (and Netty's direct memory) before and with them
            open; or, for a JVM (--jcmd), the live heap they add.
  abort     N sessions whose upstream (this process) closes them all at once; how fast and
            how (RST or FIN) the clients see the end, and the TIME_WAIT left on the proxy's ports.
  graceful  N clients that never read (tiny SO_RCVBUF) while their upstream sends BYTES then FIN;
            when each client is reset relative to FIN + linger-timeout, and the latency of a ping
            on an echo session through the same proxy meanwhile.
  ping      (used by graceful) an echo backend and a 1-byte ping through the proxy every interval.

Everything runs on 127.0.0.1 and has a deadline.
"""
import argparse
import errno
import json
import os
import re
import resource
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"


def log(msg):
    print(f"tcpload: {msg}", file=sys.stderr, flush=True)


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ---------------------------------------------------------------- process memory

def _children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree(pid):
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(pid):
    """VmRSS and Pss (kB) summed over pid and its descendants (nginx workers, socat children)."""
    pids = tree(pid)
    return {"rss_kb": sum(_status_kb(p, "VmRSS") for p in pids),
            "pss_kb": sum(_pss_kb(p) for p in pids),
            "processes": len(pids)}


def live_heap_bytes(pid, jcmd):
    """A JVM's live heap: the total of the class histogram, which forces a full GC first."""
    hist = subprocess.run([jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True, timeout=60).stdout
    live = re.search(r"^Total\s+\d+\s+(\d+)\s*$", hist, re.M)
    if not live:
        raise RuntimeError(f"jcmd {pid} GC.class_histogram: no total in {hist[-200:]!r}")
    return int(live.group(1))


def netty_direct_bytes(metrics_url):
    """The direct memory Netty's allocator holds, from its gauge on a Prometheus endpoint."""
    import urllib.request
    with urllib.request.urlopen(metrics_url, timeout=10) as r:
        text = r.read().decode()
    direct = [float(m.group(1)) for m in re.finditer(
        r'^netty_allocator_memory_used\{[^}]*memory_type="direct"[^}]*\} (\S+)$', text, re.M)]
    if not direct:
        raise RuntimeError(f"{metrics_url}: no netty_allocator_memory_used gauge for direct memory")
    return int(sum(direct))


# ---------------------------------------------------------------- sessions

def listener(port, backlog=4096, sndbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sndbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
    s.bind((HOST, port))
    s.listen(backlog)
    s.setblocking(False)
    return s


def accept_some(lsock, into):
    while True:
        try:
            c, _ = lsock.accept()
        except BlockingIOError:
            return
        c.setblocking(False)
        into.append(c)


def open_sessions(connect_port, lsock, n, deadline, rcvbuf=None):
    """Connects n clients to connect_port and accepts n upstream connections on lsock.

    Returns (clients, upstreams); fewer than n of either if the deadline passed.
    """
    clients, ups = [], []
    for i in range(n):
        if time.monotonic() > deadline:
            log(f"connect deadline passed after {i} clients")
            break
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        c.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            c.connect((HOST, connect_port))
        except OSError as e:
            log(f"connect {i} failed: {e}")
            c.close()
            break
        c.setblocking(False)
        clients.append(c)
        if i % 64 == 0:
            accept_some(lsock, ups)
    while len(ups) < len(clients) and time.monotonic() < deadline:
        accept_some(lsock, ups)
        if len(ups) < len(clients):
            select.select([lsock], [], [], 0.05)
    return clients, ups


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


def count_states(ports_local, ports_remote, state="time-wait"):
    """Sockets in `state` whose local port is in ports_local or remote port in ports_remote."""
    conds = [f"sport = :{p}" for p in ports_local] + [f"dport = :{p}" for p in ports_remote]
    if not conds:
        return None
    filt = "( " + " or ".join(conds) + " )"
    out = subprocess.run(["ss", "-Htan", "state", state, filt],
                         capture_output=True, text=True, timeout=20).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def percentile(values, q):
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(q / 100.0 * (len(v) - 1)))))
    return v[k]


# ---------------------------------------------------------------- idle

def live_heap_pass(a, lsock, deadline):
    """A JVM's RSS growth says which heap pages the sessions happened to touch first, not what they hold:
    this counts the live objects N idle sessions add, each reading after a full GC. Run it last on a
    process: the full GCs shrink the heap, and more frequent young GCs would follow under load."""
    heap_before = live_heap_bytes(a.pid, a.jcmd)
    clients, ups = open_sessions(a.port, lsock, a.n, deadline)
    time.sleep(a.settle)
    accept_some(lsock, ups)
    heap_open = live_heap_bytes(a.pid, a.jcmd)
    n = min(len(clients), len(ups))
    close_all(clients)
    close_all(ups)
    return {"sessions": n, "wanted": a.n, "live_heap_before_bytes": heap_before, "live_heap_open_bytes": heap_open,
            "live_heap_per_session_kb": (heap_open - heap_before) / 1024 / max(1, n)}


def cmd_idle(a):
    raise_nofile()
    lsock = listener(a.backend_port)
    deadline = time.monotonic() + a.timeout
    if a.warm:
        # sessions first, so one-off costs are not counted per session: class loading and first buffers,
        # and a JIT compiling the session path (its compiler's memory would otherwise show up here). At
        # most --warm at a time, so that a proxy that pools session memory pools no more than that.
        for _ in range(a.warm_rounds):
            wc, wu = open_sessions(a.port, lsock, a.warm, deadline)
            time.sleep(0.05)
            close_all(wc)
            close_all(wu)
        time.sleep(a.warm_settle)
    if a.jcmd:
        print(json.dumps(live_heap_pass(a, lsock, deadline)))
        lsock.close()
        return
    before = memory(a.pid) if a.pid else None
    direct_before = None
    if a.metrics_url:
        netty_direct_bytes(a.metrics_url)  # the first answer's own buffers grow the allocator: not the sessions'
        direct_before = netty_direct_bytes(a.metrics_url)
    clients, ups = open_sessions(a.port, lsock, a.n, deadline)
    time.sleep(a.settle)
    accept_some(lsock, ups)
    with_open = memory(a.pid) if a.pid else None
    established = min(len(clients), len(ups))
    res = {"sessions": established, "wanted": a.n}
    if before and with_open:
        res.update({
            "rss_before_kb": before["rss_kb"], "rss_open_kb": with_open["rss_kb"],
            "pss_before_kb": before["pss_kb"], "pss_open_kb": with_open["pss_kb"],
            "processes_open": with_open["processes"],
            "rss_per_session_kb": (with_open["rss_kb"] - before["rss_kb"]) / max(1, established),
            "pss_per_session_kb": (with_open["pss_kb"] - before["pss_kb"]) / max(1, established),
        })
    if direct_before is not None:
        res["netty_direct_per_session_kb"] = (netty_direct_bytes(a.metrics_url) - direct_before) / 1024 / max(1, established)
    close_all(clients)
    close_all(ups)
    lsock.close()
    print(json.dumps(res))


# ---------------------------------------------------------------- abort teardown

def watch_ends(clients, mask, deadline):
    """Waits until every client socket has ended; returns {fd: (monotonic time, 'rst'|'fin'|'err:..')}."""
    ep = select.epoll(sizehint=len(clients) + 1)
    by_fd = {c.fileno(): c for c in clients}
    for fd in by_fd:
        ep.register(fd, mask)
    ends = {}
    while len(ends) < len(by_fd) and time.monotonic() < deadline:
        for fd, ev in ep.poll(min(0.2, max(0.0, deadline - time.monotonic())), 1024):
            if fd in ends:
                continue
            now = time.monotonic()
            s = by_fd[fd]
            kind = None
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                kind = "rst" if err == errno.ECONNRESET else f"err:{errno.errorcode.get(err, err)}"
            elif ev & (select.EPOLLIN | select.EPOLLRDHUP):
                try:
                    while True:
                        data = s.recv(65536)
                        if not data:
                            kind = "fin"
                            break
                except BlockingIOError:
                    kind = None  # data only, not the end yet
                except ConnectionResetError:
                    kind = "rst"
                except OSError as e:
                    kind = f"err:{errno.errorcode.get(e.errno, e.errno)}"
            elif ev & select.EPOLLHUP:
                kind = "hup"
            if kind:
                ends[fd] = (now, kind)
                ep.unregister(fd)
    ep.close()
    return ends


def cmd_abort(a):
    raise_nofile()
    lsock = listener(a.backend_port)
    tw_ports_local = [a.port] if a.proxy else []
    tw_ports_remote = [a.backend_port] if a.proxy else []
    tw_before = count_states(tw_ports_local, tw_ports_remote) if a.proxy else None
    deadline = time.monotonic() + a.timeout
    clients, ups = open_sessions(a.port, lsock, a.n, deadline)
    n = min(len(clients), len(ups))
    time.sleep(0.5)  # let every session settle on the proxy
    t0 = time.monotonic()
    close_all(ups)  # FIN from every upstream at once
    t_closed = time.monotonic()
    ends = watch_ends(clients, select.EPOLLIN | select.EPOLLRDHUP, time.monotonic() + a.wait)
    kinds = {}
    for _, k in ends.values():
        kinds[k] = kinds.get(k, 0) + 1
    last = max((t for t, _ in ends.values()), default=None)
    lat = [1000 * (t - t0) for t, _ in ends.values()]
    close_all(clients)
    lsock.close()
    time.sleep(a.settle)
    res = {
        "sessions": n, "wanted": a.n, "ended": len(ends), "not_ended": len(clients) - len(ends),
        "ends": kinds, "upstream_close_ms": 1000 * (t_closed - t0),
        "elapsed_ms": 1000 * (last - t0) if last else None,
        "sessions_per_s": (len(ends) / (last - t0)) if last and last > t0 else None,
        "end_p50_ms": percentile(lat, 50), "end_p99_ms": percentile(lat, 99),
    }
    if a.proxy:
        tw_after = count_states(tw_ports_local, tw_ports_remote)
        res["time_wait_before"] = tw_before
        res["time_wait"] = tw_after - tw_before
        res["other_states"] = {st: count_states(tw_ports_local, tw_ports_remote, st)
                               for st in ("fin-wait-1", "fin-wait-2", "close-wait", "last-ack", "established")}
    print(json.dumps(res))


# ---------------------------------------------------------------- graceful linger

def cmd_graceful(a):
    raise_nofile()
    lsock = listener(a.backend_port, sndbuf=4 * a.bytes)
    pinger = None
    samples_file = f"/tmp/tcpload-ping-{os.getpid()}.json"
    if a.echo_port and a.echo_backend_port:
        pinger = subprocess.Popen([sys.executable, os.path.abspath(__file__), "ping",
                                   "--port", str(a.echo_port), "--backend-port", str(a.echo_backend_port),
                                   "--interval", str(a.interval), "--out", samples_file,
                                   "--timeout", str(a.timeout + a.linger + a.wait + 10)],
                                  stdout=subprocess.PIPE, text=True)
        line = pinger.stdout.readline()  # "ready" once the echo session works
        if line.strip() != "ready":
            log(f"pinger did not start: {line!r}")
            pinger.kill()
            pinger = None
    deadline = time.monotonic() + a.timeout
    clients, ups = open_sessions(a.port, lsock, a.n, deadline, rcvbuf=a.rcvbuf)
    n = min(len(clients), len(ups))
    time.sleep(0.5)
    payload = b"x" * a.bytes
    ep_mask = 0  # EPOLLERR and EPOLLHUP only: a client that never reads sees the RST, not the data
    pending = {u.fileno(): [u, 0] for u in ups}
    fin_at = {}
    t_send = time.monotonic()
    t_send_wall = time.time()
    wep = select.epoll()
    for fd, (u, _) in pending.items():
        wep.register(fd, select.EPOLLOUT)
    send_deadline = time.monotonic() + a.wait
    # every upstream sends BYTES then FIN, as fast as the proxy takes them
    while pending and time.monotonic() < send_deadline:
        ready = [fd for fd, _ in wep.poll(0.1)]
        for fd in ready:
            if fd not in pending:
                continue
            u, off = pending[fd]
            try:
                off += u.send(payload[off:])
            except BlockingIOError:
                pass
            except OSError as e:
                log(f"upstream send failed: {e}")
                off = len(payload)
            pending[fd][1] = off
            if off >= len(payload):
                try:
                    u.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                fin_at[fd] = time.monotonic()
                wep.unregister(fd)
                del pending[fd]
    wep.close()
    t_fin_last = max(fin_at.values(), default=t_send)
    # clients: which one is reset when; its upstream's FIN time is the start of its linger deadline
    ends = watch_ends(clients, ep_mask, t_fin_last + a.linger + a.wait)
    t_end_wall = time.time()
    # Sessions are not matched pairwise (accept order is not connect order): compare each reset to the
    # deadline of the latest FIN, which bounds every session's own deadline from above, and also to the
    # earliest FIN (the lateness if that client's session had the first deadline).
    fins = sorted(fin_at.values())
    resets = sorted(t for t, k in ends.values() if k == "rst")
    kinds = {}
    for _, k in ends.values():
        kinds[k] = kinds.get(k, 0) + 1
    res = {
        "sessions": n, "wanted": a.n, "linger_s": a.linger, "bytes": a.bytes,
        "fins_sent": len(fin_at), "fin_spread_ms": 1000 * (fins[-1] - fins[0]) if fins else None,
        "ends": kinds, "reset": len(resets), "not_reset": n - len(resets),
        "first_fin_ms": 1000 * (fins[0] - t_send) if fins else None,
    }
    if resets and fins:
        # k-th reset against k-th FIN deadline: a proxy resetting each session at its own deadline
        # gives the same order; the last reset against the last deadline is the headline figure.
        late = [1000 * (r - (f + a.linger)) for r, f in zip(resets, fins)]
        res.update({
            "last_reset_after_deadline_ms": 1000 * (resets[-1] - (fins[-1] + a.linger)),
            "first_reset_after_deadline_ms": 1000 * (resets[0] - (fins[0] + a.linger)),
            "late_p50_ms": percentile(late, 50), "late_max_ms": max(late),
            "early_resets": sum(1 for x in late if x < -50),
        })
    close_all(clients)
    close_all(ups)
    lsock.close()
    if pinger:
        pinger.send_signal(signal.SIGTERM)
        try:
            pinger.wait(10)
        except subprocess.TimeoutExpired:
            pinger.kill()
        try:
            with open(samples_file) as f:
                samples = json.load(f)
            os.unlink(samples_file)
        except (OSError, ValueError):
            samples = []
        if a.timeline:
            off = t_send_wall - t_send  # monotonic -> wall
            with open(a.timeline, "w") as f:
                json.dump({"ping": [(round(1000 * (t - t_send_wall), 1), r) for t, r in samples],
                           "fins_ms": [round(1000 * (x - t_send), 1) for x in fins],
                           "resets_ms": [round(1000 * (x - t_send), 1) for x in resets]}, f)
        base = [r for t, r in samples if t < t_send_wall]
        during = [r for t, r in samples if t_send_wall <= t <= t_end_wall]
        lost = [t for t, r in samples if r is None and t_send_wall <= t <= t_end_wall]
        during = [r for r in during if r is not None]
        res.update({
            "ping_baseline_p50_ms": percentile([r for r in base if r is not None], 50),
            "ping_p50_ms": percentile(during, 50), "ping_p99_ms": percentile(during, 99),
            "ping_max_ms": max(during) if during else None, "ping_samples": len(during),
            "ping_failures": len(lost),
        })
    print(json.dumps(res))


def cmd_ping(a):
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((HOST, a.backend_port))
    lsock.listen(8)

    def echo():
        c, _ = lsock.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            try:
                d = c.recv(4096)
            except OSError:
                return
            if not d:
                return
            c.sendall(d)

    threading.Thread(target=echo, daemon=True).start()
    s = socket.create_connection((HOST, a.port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    samples = []
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
    s.settimeout(5)
    try:
        s.sendall(b"p")
        s.recv(1)
    except OSError as e:
        print(f"failed {e}", flush=True)
        return
    print("ready", flush=True)
    end = time.monotonic() + a.timeout
    while not stop[0] and time.monotonic() < end:
        t = time.time()
        t0 = time.perf_counter()
        try:
            s.sendall(b"p")
            if not s.recv(1):
                raise OSError("eof")
            samples.append((t, 1000 * (time.perf_counter() - t0)))
        except OSError:
            samples.append((t, None))
            break
        rest = a.interval - (time.perf_counter() - t0)
        if rest > 0:
            time.sleep(rest)
    with open(a.out, "w") as f:
        json.dump(samples, f)


def _cpu_times():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v), idle


def _proc_cpu():
    """{pid: (sid, ppid, comm, utime+stime ticks)} of every process."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        rest = stat.rsplit(")", 1)[1].split()
        out[int(d)] = (int(rest[3]), int(rest[1]), comm, int(rest[11]) + int(rest[12]))
    return out


def cmd_cpu_snapshot(a):
    with open(a.out, "w") as f:
        json.dump({"t": time.monotonic(), "procs": _proc_cpu()}, f)


def cmd_cpu_foreign(a):
    """CPU used since the snapshot by processes outside our sessions (other people's builds, tests)."""
    with open(a.before) as f:
        before = json.load(f)
    now = _proc_cpu()
    secs = max(0.001, time.monotonic() - before["t"])
    ours = {int(x) for x in a.sids.split(",") if x}
    hz = os.sysconf("SC_CLK_TCK")
    foreign = {}
    for pid, (sid, ppid, comm, ticks) in now.items():
        if sid in ours or pid == 2 or ppid == 2:  # ours, or kernel threads (softirq work is ours too)
            continue
        old = before["procs"].get(str(pid))
        used = ticks - (old[3] if old else 0)
        if used > 0:
            foreign[comm] = foreign.get(comm, 0) + used
    total = sum(foreign.values()) / hz
    top = sorted(foreign.items(), key=lambda kv: -kv[1])[:3]
    print(json.dumps({"foreign_cpu_pct": round(100.0 * total / secs, 1), "seconds": round(secs, 1),
                      "top": {k: round(v / hz, 2) for k, v in top}}))


def cmd_quiet(a):
    """Waits until the machine's CPUs are idle (other work would skew every figure); prints busy %."""
    end = time.monotonic() + a.timeout
    waited, calm, busy = 0.0, 0, 100.0
    t0 = time.monotonic()
    while True:
        tot0, idle0 = _cpu_times()
        time.sleep(1.0)
        tot1, idle1 = _cpu_times()
        busy = 100.0 * (1 - (idle1 - idle0) / max(1, tot1 - tot0))
        calm = calm + 1 if busy <= a.max_busy else 0
        if calm >= 2 or time.monotonic() > end:
            break
    waited = time.monotonic() - t0 - 2.0
    print(json.dumps({"busy_pct": round(busy, 1), "waited_s": round(max(0.0, waited), 1),
                      "quiet": calm >= 2, "loadavg": open("/proc/loadavg").read().split()[:3]}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("idle")
    i.add_argument("--port", type=int, required=True, help="proxy (or backend, for direct) port")
    i.add_argument("--backend-port", type=int, required=True)
    i.add_argument("--pid", type=int, default=0, help="proxy pid whose process tree is measured")
    i.add_argument("--n", type=int, default=4000)
    i.add_argument("--settle", type=float, default=2.0)
    i.add_argument("--warm", type=int, default=200, help="sessions opened and closed before measuring")
    i.add_argument("--warm-rounds", type=int, default=1, help="times the --warm sessions are opened and closed")
    i.add_argument("--warm-settle", type=float, default=1.0, help="seconds to wait after the warm-up")
    i.add_argument("--timeout", type=float, default=60)
    i.add_argument("--jcmd", help="the proxy is a JVM: measure the live heap the sessions add with this jcmd, not RSS")
    i.add_argument("--metrics-url", help="the proxy's Prometheus endpoint: Netty's direct memory is measured too")
    ab = sub.add_parser("abort")
    ab.add_argument("--port", type=int, required=True)
    ab.add_argument("--backend-port", type=int, required=True)
    ab.add_argument("--proxy", action="store_true", help="a proxy is in between: count its TIME_WAIT")
    ab.add_argument("--n", type=int, default=2000)
    ab.add_argument("--wait", type=float, default=20)
    ab.add_argument("--settle", type=float, default=1.0)
    ab.add_argument("--timeout", type=float, default=60)
    g = sub.add_parser("graceful")
    g.add_argument("--port", type=int, required=True)
    g.add_argument("--backend-port", type=int, required=True)
    g.add_argument("--echo-port", type=int, default=0)
    g.add_argument("--echo-backend-port", type=int, default=0)
    g.add_argument("--n", type=int, default=2000)
    g.add_argument("--bytes", type=int, default=65536)
    g.add_argument("--rcvbuf", type=int, default=1024)
    g.add_argument("--linger", type=float, default=1.0)
    g.add_argument("--interval", type=float, default=0.01)
    g.add_argument("--wait", type=float, default=10)
    g.add_argument("--timeout", type=float, default=60)
    g.add_argument("--timeline", help="write ping samples, FIN and reset times (ms from the first send) here")
    pg = sub.add_parser("ping")
    pg.add_argument("--port", type=int, required=True)
    pg.add_argument("--backend-port", type=int, required=True)
    pg.add_argument("--interval", type=float, default=0.01)
    pg.add_argument("--timeout", type=float, default=120)
    pg.add_argument("--out", required=True)
    cs = sub.add_parser("cpu-snapshot")
    cs.add_argument("--out", required=True)
    cf = sub.add_parser("cpu-foreign")
    cf.add_argument("--before", required=True)
    cf.add_argument("--sids", required=True, help="comma-separated session ids that are ours")
    q = sub.add_parser("quiet")
    q.add_argument("--max-busy", type=float, default=10.0)
    q.add_argument("--timeout", type=float, default=120)
    a = p.parse_args()
    {"idle": cmd_idle, "abort": cmd_abort, "graceful": cmd_graceful, "ping": cmd_ping, "quiet": cmd_quiet, "cpu-snapshot": cmd_cpu_snapshot,
     "cpu-foreign": cmd_cpu_foreign}[a.cmd](a)


if __name__ == "__main__":
    main()
