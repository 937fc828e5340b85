#!/usr/bin/env python3
"""A server written the way the original classic Python RPC framework's server works: accept a
connection, read ONE recv(1024), json.loads it, call method_name(*method_args, **method_kwargs),
send json.dumps({"res": result}) and close. One connection at a time, one request per
connection. Listens on 127.0.0.1, port 0 (any free port), and prints the port on stdout."""
import json
import socket


def add(a, b, c=10):
    return a + b + c


def echo(value):
    return value


def concat(*parts, sep=""):
    return sep.join(str(p) for p in parts)


def divide(a, b):
    return a / b


METHODS = {"add": add, "echo": echo, "concat": concat, "divide": divide}


def handle(conn):
    with conn:
        data = conn.recv(1024)
        if not data:
            return
        try:
            msg = json.loads(data.decode())
            func = METHODS[msg["method_name"]]
            reply = {"res": func(*msg.get("method_args", []), **msg.get("method_kwargs", {}))}
        except KeyError as e:
            reply = {"error": {"code": -32601, "message": "unknown method %s" % e}}
        except Exception as e:  # the original reported the exception text
            reply = {"error": {"code": -32000, "message": "%s: %s" % (type(e).__name__, e)}}
        conn.sendall(json.dumps(reply).encode())


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        handle(conn)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
