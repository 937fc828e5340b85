// A JSON-RPC peer over WebSocket for the interop tests, on the `ws` npm package (NODE_PATH must
// name .peers/node_modules).
//   node ws_peer.js client URL MESSAGE   sends MESSAGE, prints the reply, closes, exits 0
//   node ws_peer.js server               prints its port; "echo" returns its params, "headers"
//                                        the handshake's request headers
'use strict';
const WebSocket = require('ws');

const [mode, url, message] = process.argv.slice(2);
if (mode === 'client') {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.send(message));
    ws.on('message', (data) => {
        console.log(data.toString());
        ws.close(1000);
    });
    ws.on('close', () => process.exit(0));
    ws.on('error', (e) => {
        console.error(String(e));
        process.exit(1);
    });
} else {
    const wss = new WebSocket.WebSocketServer({host: '127.0.0.1', port: 0});
    wss.on('listening', () => console.log(wss.address().port));
    wss.on('connection', (ws, req) => {
        ws.on('message', (data) => {
            const request = JSON.parse(data.toString());
            if (request.id === undefined)
                return;
            const result = request.method === 'headers' ? req.headers : request.params;
            ws.send(JSON.stringify({jsonrpc: '2.0', id: request.id, result}));
        });
    });
}
