import { connect, type Socket } from 'node:net';
import { DEFAULT_REVOCATION_TIMEOUT_MS, MAX_REDIS_REPLY_BYTES } from '../defaults.ts';
import type { RevocationFailure } from './revocation_source.ts';

/**
 * A minimal Redis client over node:net speaking RESP2
 * (https://redis.io/docs/latest/develop/reference/protocol-spec/): one
 * connection, pipelined commands answered in order, a deadline per command,
 * a reply size cap. The revocation source needs three commands (AUTH,
 * SELECT, SISMEMBER); a full client (node-redis, ioredis) would add a
 * dependency tree and reconnect/offline-queue behaviour we would then have
 * to bound from outside. On a timeout or a protocol error the connection is
 * dropped (a late reply would answer the wrong command) and the next
 * command reconnects.
 */

export type RespValue = string | number | null | RespValue[];
export type RedisReply = { ok: true; value: RespValue } | { ok: false; error: RevocationFailure; message: string };

export interface RedisClientOptions {
  host: string;
  port: number;
  db?: number;
  /** AUTH password (from a variable or file, never the contract). */
  password?: string;
  timeoutMs?: number;
}

interface Pending {
  resolve: (reply: RedisReply) => void;
  timer: NodeJS.Timeout;
}

const MAX_DEPTH = 4;

/**
 * `redis://HOST:PORT[/DB]` (no credentials: the contract refuses them).
 *
 * @example parseRedisUrl('redis://127.0.0.1:6380/2') // { host: '127.0.0.1', port: 6380, db: 2 }
 */
export function parseRedisUrl(url: string): { host: string; port: number; db?: number } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'redis:' || u.username || u.password || !u.hostname) return undefined;
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return undefined;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: u.port ? Number(u.port) : 6379, ...(db !== '' ? { db: Number(db) } : {}) };
}

/** RESP2 array of bulk strings: how a client sends every command. */
export function encodeCommand(args: readonly string[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return Buffer.from(out, 'utf8');
}

type Parsed = { value: RespValue | { error: string }; next: number } | undefined;

/** One reply from `at`, or undefined when the buffer does not hold all of it yet. Throws on a byte that is not RESP2. */
export function parseReply(buf: Buffer, at: number, depth = 0): Parsed {
  const nl = buf.indexOf('\r\n', at);
  if (nl < 0) return undefined;
  const line = buf.toString('utf8', at + 1, nl);
  switch (String.fromCharCode(buf[at]!)) {
    case '+':
      return { value: line, next: nl + 2 };
    case '-':
      return { value: { error: line }, next: nl + 2 };
    case ':':
      return { value: Number(line), next: nl + 2 };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, next: nl + 2 };
      if (buf.length < nl + 4 + n) return undefined;
      return { value: buf.toString('utf8', nl + 2, nl + 2 + n), next: nl + 4 + n };
    }
    case '*':
      return parseArray(buf, Number(line), nl + 2, depth);
    default:
      throw new Error('not a RESP2 reply');
  }
}

function parseArray(buf: Buffer, n: number, start: number, depth: number): Parsed {
  if (n < 0) return { value: null, next: start };
  if (depth >= MAX_DEPTH) throw new Error('RESP reply nested too deep');
  const items: RespValue[] = [];
  let next = start;
  for (let i = 0; i < n; i++) {
    const p = parseReply(buf, next, depth + 1);
    if (!p) return undefined;
    if (p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value)) throw new Error('error inside an array');
    items.push(p.value);
    next = p.next;
  }
  return { value: items, next };
}

/** ECONNREFUSED, EHOSTUNREACH, ...: the server cannot be reached. */
const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|ETIMEDOUT)$/;

export class RedisClient {
  readonly #options: RedisClientOptions;
  #socket: Socket | undefined;
  #pending: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);

  constructor(options: RedisClientOptions) {
    this.#options = options;
  }

  /**
   * Sends one command; resolves with its reply or a failure, never rejects.
   *
   * @example await client.command(['SISMEMBER', 'revoked-jtis', jti]) // { ok: true, value: 1 }
   */
  command(args: readonly string[]): Promise<RedisReply> {
    return new Promise((resolve) => {
      const socket = this.#socket ?? this.#open();
      this.#push(resolve);
      socket.write(encodeCommand(args));
    });
  }

  /** Closes the connection; commands in flight answer `unreachable`. */
  async close(): Promise<void> {
    this.#fail('unreachable', 'client closed');
  }

  #push(resolve: (reply: RedisReply) => void): void {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_REVOCATION_TIMEOUT_MS;
    const timer = setTimeout(() => this.#fail('timeout', `no Redis answer within ${timeoutMs} ms`), timeoutMs);
    this.#pending.push({ resolve, timer });
  }

  #open(): Socket {
    const { host, port, password, db } = this.#options;
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    // An idle connection must not keep a CLI run (or a test) alive; commands in flight hold their timers.
    socket.unref();
    socket.on('data', (chunk: Buffer) => this.#onData(socket, chunk));
    socket.on('error', (e: NodeJS.ErrnoException) =>
      this.#fail(
        NETWORK_CODES.test(e.code ?? '') ? 'unreachable' : 'protocol',
        `Redis ${host}:${port}: ${e.code ?? 'connection error'}`,
        socket,
      ),
    );
    socket.on('close', () => this.#fail('unreachable', `Redis ${host}:${port} closed the connection`, socket));
    this.#socket = socket;
    // Commands queue in the socket until it connects; AUTH and SELECT go first on every new connection.
    const setup = (args: string[], error: RevocationFailure) => {
      this.#push((r) => {
        if (!r.ok) this.#fail(r.error === 'protocol' ? error : r.error, `${args[0]}: ${r.message}`, socket);
      });
      socket.write(encodeCommand(args));
    };
    if (password !== undefined) setup(['AUTH', password], 'unauthorized');
    if (db !== undefined && db !== 0) setup(['SELECT', String(db)], 'protocol');
    return socket;
  }

  #onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.#socket) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.#buffer.length > MAX_REDIS_REPLY_BYTES)
      return this.#fail('protocol', `Redis reply over ${MAX_REDIS_REPLY_BYTES} bytes`, socket);
    let at = 0;
    try {
      for (let p = parseReply(this.#buffer, at); p; p = parseReply(this.#buffer, at)) {
        at = p.next;
        const pending = this.#pending.shift();
        if (!pending) return this.#fail('protocol', 'Redis sent a reply nobody asked for', socket);
        clearTimeout(pending.timer);
        pending.resolve(replyOf(p.value));
      }
    } catch (e) {
      return this.#fail('protocol', (e as Error).message, socket);
    }
    this.#buffer = this.#buffer.subarray(at);
  }

  /** Drops the connection (if it is still the current one) and answers every command in flight with the failure. */
  #fail(error: RevocationFailure, message: string, socket: Socket | undefined = this.#socket): void {
    if (socket !== this.#socket) return;
    const pending = this.#pending;
    this.#pending = [];
    this.#buffer = Buffer.alloc(0);
    this.#socket = undefined;
    socket?.destroy();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error, message });
    }
  }
}

/** A Redis error reply (`-ERR ...`, `-NOAUTH ...`, `-WRONGTYPE ...`) is a protocol failure of that command. */
function replyOf(value: RespValue | { error: string }): RedisReply {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const unauthorized = /^(NOAUTH|WRONGPASS|NOPERM)/.test(value.error);
    return { ok: false, error: unauthorized ? 'unauthorized' : 'protocol', message: `Redis: ${value.error.slice(0, 120)}` };
  }
  return { ok: true, value };
}
