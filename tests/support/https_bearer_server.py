#!/usr/bin/env python3
"""An HTTPS JSON-RPC 2.0 server (python3 stdlib only) that requires a bearer token.

Usage: https_bearer_server.py CERT KEY TOKEN. Prints its port on the first stdout line.
Answers POSTs carrying "Authorization: Bearer TOKEN": "add" sums its params, "echo" returns
them, anything else is -32601. Without the right token: 401 with a one-line text body.
"""
import http.server
import json
import ssl
import sys

CERT, KEY, TOKEN = sys.argv[1:4]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the servers rpcbench meets

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            self.answer(401, b"missing or wrong bearer token\n", "text/plain",
                        [("WWW-Authenticate", 'Bearer realm="rpcbench-test"')])
            return
        request = json.loads(body)
        reply = {"jsonrpc": "2.0", "id": request.get("id")}
        if request.get("method") == "add":
            reply["result"] = sum(request.get("params", []))
        elif request.get("method") == "echo":
            reply["result"] = request.get("params")
        else:
            reply["error"] = {"code": -32601, "message": "Method not found"}
        self.answer(200, json.dumps(reply).encode(), "application/json")


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(CERT, KEY)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
