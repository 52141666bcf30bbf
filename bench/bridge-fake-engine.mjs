// A minimal Docker Engine API stand-in for bench:bridge: exec create, exec start (upgraded
// raw stream: reads stdin to EOF, answers "ok" on stdout), exec inspect (exit 0). It lets
// the benchmark measure the bridge's production path (Docker exec over HTTP) without a
// Docker daemon. Usage: node bench/bridge-fake-engine.mjs <port>
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
let next = 0;
const frame = (stream, text) => {
  const p = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(p.length, 4);
  return Buffer.concat([h, p]);
};
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST' && req.url.endsWith('/exec')) {
      const id = (++next).toString(16).padStart(64, '0');
      return res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Id: id }));
    }
    if (req.method === 'GET' && req.url.endsWith('/json')) {
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"Running":false,"ExitCode":0}');
    }
    res.writeHead(404).end('{}');
  });
});
server.on('upgrade', (req, socket, head) => {
  const len = Number(req.headers['content-length'] ?? 0);
  let seen = head.length;
  const answer = () => socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  if (seen >= len) answer();
  socket.on('data', (c) => {
    if (seen < len && (seen += c.length) >= len) answer();
  });
  socket.on('error', () => {});
  socket.on('end', () => socket.end(frame(1, 'ok\n')));
});
server.listen(port, '127.0.0.1');
