// Generated configuration files for the real proxies the tests start. Pure text builders: every proxy listens on
// 127.0.0.1 only and forwards only to loopback destinations.

export function danteConfig(o: { port: number; auth: boolean }): string {
  // SOCKS4 has no authentication, so the no-auth server speaks SOCKS4 and SOCKS5; the auth server SOCKS5 only.
  return `logoutput: stderr
internal: 127.0.0.1 port = ${o.port}
external: lo
clientmethod: none
socksmethod: ${o.auth ? 'username' : 'none'}
user.privileged: root
user.unprivileged: nobody
client pass {
  from: 127.0.0.0/8 to: 0.0.0.0/0
}
socks pass {
  from: 127.0.0.0/8 to: 127.0.0.0/8
  command: connect
  protocol: tcp
}
socks pass {
  from: 127.0.0.0/8 to: ::1/128
  command: connect
  protocol: tcp
}
socks block {
  from: 0.0.0.0/0 to: 0.0.0.0/0
}
`;
}

export function tinyproxyConfig(o: { port: number; auth?: { username: string; password: string }; dir: string }): string {
  return `User nobody
Group nogroup
Port ${o.port}
Listen 127.0.0.1
Timeout 30
MaxClients 50
Allow 127.0.0.1
LogLevel Warning
PidFile "${o.dir}/tinyproxy.pid"
DisableViaHeader Yes
${o.auth ? `BasicAuth ${o.auth.username} ${o.auth.password}\n` : ''}`;
}

export function squidConfig(o: { port: number; dir: string; passwdFile?: string }): string {
  const auth = o.passwdFile
    ? `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${o.passwdFile}
auth_param basic realm butterfly-test
acl authed proxy_auth REQUIRED
http_access allow loopback authed
`
    : 'http_access allow loopback\n';
  return `http_port 127.0.0.1:${o.port}
pid_filename ${o.dir}/squid.pid
cache_log ${o.dir}/cache.log
access_log none
cache_store_log none
cache deny all
cache_mem 4 MB
coredump_dir ${o.dir}
netdb_filename none
shutdown_lifetime 0 seconds
acl loopback src 127.0.0.0/8
acl loopback_dst dst 127.0.0.0/8
acl CONNECT method CONNECT
# Tests tunnel to the test server's free ports, not only 443.
acl any_port port 1-65535
http_access deny !loopback_dst
${auth}http_access deny all
`;
}

export function sshdConfig(o: { port: number; dir: string }): string {
  return `Port ${o.port}
ListenAddress 127.0.0.1
HostKey ${o.dir}/host_key
PidFile ${o.dir}/sshd.pid
AuthorizedKeysFile ${o.dir}/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AllowTcpForwarding yes
PermitOpen any
X11Forwarding no
PrintMotd no
LogLevel ERROR
`;
}
