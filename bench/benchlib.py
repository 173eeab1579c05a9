#!/usr/bin/env python3
"""Helpers for bench/http.sh: parse wrk output, read process CPU time from /proc,
render the results table. Standard library only."""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import sys
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    # comm may contain spaces: fields after the closing paren start at field 3
    return data[data.rindex(")") + 2:].split()


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if int(_stat(int(d))[1]) == pid:
                    out.append(int(d))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return out


def cpu_seconds(pid: int) -> float:
    """utime+stime of pid and its direct children (nginx master + workers)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            f = _stat(p)
        except FileNotFoundError:
            continue
        total += int(f[11]) + int(f[12])  # utime, stime (fields 14, 15)
    return total / CLK_TCK


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(v: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", v)
    if not m:
        raise ValueError(v)
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(text: str) -> dict:
    res = {}
    m = re.search(r"^\s*(\d+) requests in ([\d.]+\w+)", text, re.M)
    res["requests"] = int(m.group(1))
    res["rps"] = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M).group(1))
    for pct in ("50", "99"):
        res[f"p{pct}_ms"] = _ms(re.search(rf"^\s+{pct}(?:\.0+)?%\s+(\S+)", text, re.M).group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    res["socket_errors"] = sum(map(int, m.groups())) if m else 0
    return res


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def report(jsonl: str, meta: str) -> str:
    runs = [json.loads(l) for l in open(jsonl) if l.strip()]
    names = list(dict.fromkeys(r["server"] for r in runs))
    rows = {}
    for n in names:
        rs = [r for r in runs if r["server"] == n]
        rows[n] = {
            "rps": median([r["rps"] for r in rs]),
            "p50": median([r["p50_ms"] for r in rs]),
            "p99": median([r["p99_ms"] for r in rs]),
            "cpu": median([r["cpu_us_per_req"] for r in rs]),
            "n": len(rs),
            "errors": sum(r["non2xx"] + r["socket_errors"] for r in rs),
        }
    out = [meta.rstrip(), "",
           "| server | req/s | p50 | p99 | server CPU per request | runs | errors |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for n in names:
        r = rows[n]
        out.append(f"| {n} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['cpu']:.1f} µs | {r['n']} | {r['errors']} |")
    if len(names) == 2:
        a, b = rows[names[0]], rows[names[1]]
        out.append(f"| **ratio {names[0]} / {names[1]}** | {a['rps'] / b['rps']:.2f}× | {a['p50'] / b['p50']:.2f}× "
                   f"| {a['p99'] / b['p99']:.2f}× | {a['cpu'] / b['cpu']:.2f}× | | |")
    out += ["", "Medians over the runs. Individual runs:", "",
            "| round | server | req/s | p50 | p99 | CPU/req |", "|---:|---|---:|---:|---:|---:|"]
    for r in runs:
        out.append(f"| {r['round']} | {r['server']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms "
                   f"| {r['cpu_us_per_req']:.1f} µs |")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> None:
    cmd = argv[1]
    if cmd == "cpu":
        print(f"{cpu_seconds(int(argv[2])):.4f}")
    elif cmd == "freeport":
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
        s.close()
    elif cmd == "fetch":
        with urllib.request.urlopen(argv[2], timeout=5) as r:
            sys.stdout.buffer.write(r.read())
    elif cmd == "record":
        # record WRK_OUTPUT_FILE SERVER ROUND CPU_BEFORE CPU_AFTER  -> one JSON line
        wrk_file, server, rnd, before, after = argv[2:7]
        res = parse_wrk(open(wrk_file).read())
        cpu = float(after) - float(before)
        res.update(server=server, round=int(rnd), cpu_s=cpu,
                   cpu_us_per_req=cpu * 1e6 / res["requests"] if res["requests"] else float("nan"))
        print(json.dumps(res))
    elif cmd == "report":
        sys.stdout.write(report(argv[2], argv[3] if len(argv) > 3 else ""))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
