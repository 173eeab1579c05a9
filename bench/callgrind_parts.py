#!/usr/bin/env python3
"""Per-call instruction table from a callgrind dump of bench/profile-mcp.sh.

Each part is the inclusive cost of the functions named (callgrind_annotate --inclusive=yes,
names demangled with `swift demangle --simplified`), divided by the number of calls. Inlined code
shows up under several file:function lines; a part takes the largest line per function and sums
over its functions. Parts can nest (the query runs inside the tool run): the table says which.
Usage: callgrind_parts.py FILE CALLS"""
import re
import shutil
import subprocess
import sys

PARTS = [  # label, function-name patterns (regex on the demangled name)
    ("whole event loop (epoll, read, parse, dispatch, write)", [r"^EventLoop\.run\(\)$"]),
    ("  HTTP request parsing", [r"^RequestParser\.parse\(_:from:\)$"]),
    ("  MCP endpoint (everything after the HTTP parser)", [r"^closure #1 in MCPHTTPEndpoint\.install\(on:\)$"]),
    ("    read transaction BEGIN/COMMIT", [r"^SQLiteConnection\.execute\(script:\)$", r"^SQLiteConnection\.run\(_:_:\)$"]),
    ("    token authentication (header, digest, counter, cache)", [r"^MCPHTTPEndpoint\.authenticate\(_:\)$"]),
    ("    JSON-RPC body parsing", [r"^static JSONParser\.parse\(_:limits:(knownStrings:)?\)$", r"^static JSONRPCMessage\.decode\(_:\)$",
                                  r"^static RPCEnvelope\.scan"]),
    ("    era and header checks", [r"^MCPExchange\.era\(for:params:\)$",
                                 r"^(specialized )?MCPProtocolCore\.era(<A>)?\(for:params:fields:carrier:\)$"]),
    ("    tools/call dispatch and tool run", [r"^MCPDispatcher\.toolsCall\(id:params:reader:\)$"]),
    ("      actor (department memberships)", [r"^static DeskActor\.load\(tenant:user:via:tokenID:clientID:on:\)$",
                                              r"^static DeskActor\.load\(tenant:user:departmentIDs:"]),
    ("      domain query (TicketService.metadata)", [r"^TicketService\.metadata\(_:actor:on:\)$"]),
    ("      result: structuredContent tree", [r"^static HelpDeskResults\.metadata\(_:\)$"]),
    ("      result: text rendering", [r"^static HelpDeskResults\.text\(_:\)$"]),
    ("      result: written in one pass (text + structuredContent)", [r"^static HelpDeskResults\.writeMetadataResult\(_:to:\)$",
       r"^closure #1 in closure #3 in variable initialization expression of static HelpDeskReadTools\.all$"]),
    ("    JSON-RPC response encoding", [r"^rpcResponse\(_:status:framing:extra:\)$", r"^rpcResultResponse\(_:id:framing:extra:\)$"]),
    ("sqlite3_step (all statements)", [r"^sqlite3_step$"]),
    ("malloc + free", [r"^malloc$", r"^free$"]),
    ("swift_retain + swift_release", [r"^swift_retain$", r"^swift_release$"]),
]

path, calls = sys.argv[1], int(sys.argv[2])
total = 0
for line in open(path):
    if line.startswith(("summary:", "totals:")):
        total = int(line.split()[1])
annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True, check=True).stdout
if shutil.which("swift"):
    annotate = subprocess.run(["swift", "demangle", "--simplified"], input=annotate,
                              capture_output=True, text=True, check=True).stdout
best: dict[str, int] = {}
row = re.compile(r"^\s*([\d,]+) \([ \d.]+%\)\s+(?:[^ :]*(?:\.swift|\.c|\.h|\.S|\?\?\?|<compiler-generated>):)?(.+?)(?: \[[^\]]*\])?$")
for line in annotate.splitlines():
    m = row.match(line)
    if not m:
        continue
    cost, name = int(m.group(1).replace(",", "")), m.group(2).strip()
    name = re.sub(r"^(specialized |merged )+", "", name)
    if name.endswith("'2"):
        continue
    best[name] = max(best.get(name, 0), cost)
print(f"total {total:,} instructions for {calls} calls: {total / calls:,.0f} per call\n")
print("| part | instructions / call |")
print("|---|---:|")
for label, patterns in PARTS:
    cost = sum(c for n, c in best.items() if any(re.search(p, n) for p in patterns))
    if cost:
        print(f"| {label} | {cost / calls / 1000:,.1f}k |")
