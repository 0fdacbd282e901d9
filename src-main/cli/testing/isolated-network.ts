// Runs a command in a network namespace of its own, where exactly one TCP port is reachable: 127.0.0.1:<port>,
// bridged through a Unix socket (pathname sockets cross network namespaces) to a listener outside — a proxy, in
// the tests. Everything else, the MSN server and the Passport servers included, is unreachable from inside, so a
// sign-in that succeeds there went entirely through that proxy.
//
//   unshare -n -- tsx isolated-network.ts <unix socket path> <port> <command> [args…]
//
// Exits with the command's exit code. Needs root (unshare -n and `ip link`), like the proxies themselves.
import { execFileSync, spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';

const [socketPath, portText, command, ...args] = process.argv.slice(2);
if (!socketPath || !portText || !command) {
  process.stderr.write('usage: isolated-network.ts <unix socket> <port> <command> [args…]\n');
  process.exit(2);
}

// A fresh namespace has its loopback interface down: nothing could listen on 127.0.0.1 at all.
execFileSync('ip', ['link', 'set', 'lo', 'up']);

const bridge = createServer((inside: Socket) => {
  const outside = connect(socketPath);
  inside.pipe(outside).pipe(inside);
  const end = () => {
    inside.destroy();
    outside.destroy();
  };
  for (const s of [inside, outside]) s.on('error', end).on('close', end);
});

bridge.listen(Number(portText), '127.0.0.1', () => {
  const child = spawn(command, args, { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 9 : 1)));
});
