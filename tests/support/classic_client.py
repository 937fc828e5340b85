#!/usr/bin/env python3
"""A client written the way the original classic Python RPC framework's client works:
one JSON message with no delimiter, then a single recv(1024). Prints one JSON line per call."""
import json
import socket
import sys

port = int(sys.argv[1])


def call(name, *args, **kwargs):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(json.dumps({"method_name": name, "method_args": args, "method_kwargs": kwargs}).encode())
        data = s.recv(1024)
        return json.loads(data.decode())


def two_calls_one_connection():
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        out = []
        for a in (1, 2):
            s.sendall(json.dumps({"method_name": "add", "method_args": [a, a], "method_kwargs": {}}).encode())
            out.append(json.loads(s.recv(1024).decode()))
        return out


print(json.dumps(call("add", 1, 2, c=3)))
print(json.dumps(call("echo", "héllo")))
print(json.dumps(call("nope")))
print(json.dumps(call("add", 1)))
print(json.dumps(two_calls_one_connection()))
