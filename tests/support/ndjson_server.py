#!/usr/bin/env python3
"""A small independent JSON-RPC 2.0 server: newline-delimited JSON over TCP (one message per
line), batches, notifications and the standard error codes. Every request runs on its own
thread, so a slow call does not hold back the replies to later ones (replies may come back in
any order). Listens on 127.0.0.1, port 0 (any free port), and prints the port on stdout."""
import json
import socket
import threading
import time


def add(a, b, c=10):
    return a + b + c


def echo(value):
    return value


def sleep(ms):
    time.sleep(ms / 1000.0)
    return ms


def fail(code, message):
    raise RpcError(code, message)


class RpcError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


METHODS = {"add": add, "echo": echo, "sleep": sleep, "fail": fail}
NOTIFIED = []


def error(code, message, id_=None):
    return {"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": id_}


def run(req):
    """The reply object for one request, or None for a notification."""
    if not isinstance(req, dict) or req.get("jsonrpc") != "2.0" or not isinstance(req.get("method"), str):
        return error(-32600, "Invalid Request")
    is_call = "id" in req
    func = METHODS.get(req["method"])
    params = req.get("params", [])
    try:
        if func is None:
            raise RpcError(-32601, "Method not found")
        try:
            result = func(*params) if isinstance(params, list) else func(**params)
        except TypeError as e:
            raise RpcError(-32602, "Invalid params: %s" % e)
        reply = {"jsonrpc": "2.0", "result": result, "id": req.get("id")}
    except RpcError as e:
        reply = error(e.code, e.message, req.get("id"))
    if not is_call:
        NOTIFIED.append(req["method"])
        return None
    return reply


def serve_line(line, send):
    try:
        msg = json.loads(line)
    except ValueError:
        send(error(-32700, "Parse error"))
        return
    if isinstance(msg, list):
        if not msg:
            send(error(-32600, "Invalid Request"))
            return
        replies = [r for r in (run(m) for m in msg) if r is not None]
        if replies:
            send(replies)
    else:
        reply = run(msg)
        if reply is not None:
            send(reply)


def handle(conn):
    lock = threading.Lock()

    def send(obj):
        data = (json.dumps(obj) + "\n").encode()
        with lock:
            try:
                conn.sendall(data)
            except OSError:
                pass

    buf = b""
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.strip():
                    threading.Thread(target=serve_line, args=(line.decode(), send), daemon=True).start()


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
