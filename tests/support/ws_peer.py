#!/usr/bin/env python3
"""A JSON-RPC peer over WebSocket for the interop tests, on python3-websockets (10.x, asyncio).

  ws_peer.py client URL MESSAGE [Name:Value ...]
      connects (sending the extra headers), sends MESSAGE as one text message, prints the
      reply on stdout, closes normally and exits 0.
  ws_peer.py server [--refuse STATUS] [--tls CERT KEY]
      listens on 127.0.0.1 (any free port) and prints the port. Each text message is a
      JSON-RPC request: "echo" returns its params, "headers" the handshake's request headers
      (lower-case names), "close_me" closes the connection with code 1008 and reason 'xyz'.
      With --refuse, every upgrade is answered with that HTTP status instead; with --tls it
      serves wss:// with that certificate and key.
"""
import asyncio
import http
import json
import ssl
import sys

import websockets


async def client(url, message, headers):
    extra = [tuple(h.split(":", 1)) for h in headers]
    async with websockets.connect(url, extra_headers=[(k.strip(), v.strip()) for k, v in extra]) as ws:
        await ws.send(message)
        reply = await asyncio.wait_for(ws.recv(), 10)
        print(reply, flush=True)


async def handle(ws, path=None):
    async for message in ws:
        request = json.loads(message)
        method = request.get("method")
        if method == "close_me":
            await ws.close(code=1008, reason="xyz")
            return
        if "id" not in request:
            continue
        if method == "echo":
            reply = {"jsonrpc": "2.0", "id": request["id"], "result": request.get("params")}
        elif method == "headers":
            headers = {k.lower(): v for k, v in ws.request_headers.raw_items()}
            reply = {"jsonrpc": "2.0", "id": request["id"], "result": headers}
        else:
            reply = {"jsonrpc": "2.0", "id": request["id"],
                     "error": {"code": -32601, "message": "Method not found"}}
        await ws.send(json.dumps(reply))


async def server(refuse, tls):
    async def process_request(path, headers):
        if refuse:
            return http.HTTPStatus(refuse), [("Content-Type", "text/plain")], b"go away\n"
        return None

    context = None
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls[0], tls[1])
    async with websockets.serve(handle, "127.0.0.1", 0, process_request=process_request, ssl=context) as srv:
        print(srv.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


def main():
    if sys.argv[1] == "client":
        asyncio.run(client(sys.argv[2], sys.argv[3], sys.argv[4:]))
    else:
        args = sys.argv[2:]
        refuse = int(args[args.index("--refuse") + 1]) if "--refuse" in args else 0
        tls = args[args.index("--tls") + 1:args.index("--tls") + 3] if "--tls" in args else None
        asyncio.run(server(refuse, tls))


if __name__ == "__main__":
    main()
