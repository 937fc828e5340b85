#!/usr/bin/env python3
"""A JSON-RPC 2.0 client using only the standard library: HTTP POST via urllib and a
newline-delimited TCP stream. Prints one JSON line per check."""
import json
import socket
import sys
import urllib.request

port = int(sys.argv[1])
url = "http://127.0.0.1:%d/" % port


def post(payload):
    req = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        body = r.read()
        return {"status": r.status, "type": r.headers.get("Content-Type"),
                "body": json.loads(body) if body else None}


print(json.dumps(post({"jsonrpc": "2.0", "method": "add", "params": {"a": 1, "b": 2}, "id": 1})))
print(json.dumps(post([{"jsonrpc": "2.0", "method": "echo", "params": ["x"], "id": "a"},
                       {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}])))
print(json.dumps(post({"jsonrpc": "2.0", "method": "notify_hello", "params": [7]})))

with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
    f = s.makefile("rwb")
    for i in range(3):
        f.write((json.dumps({"jsonrpc": "2.0", "method": "subtract", "params": [10, i], "id": i}) + "\n").encode())
    f.flush()
    print(json.dumps([json.loads(f.readline()) for _ in range(3)]))
