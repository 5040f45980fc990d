/**
 * The peers (SciPy, OpenCV) as long-lived Python processes speaking JSON lines (protocol in
 * bench/peers/peer_protocol.py): started once per benchmark, so no timing includes interpreter
 * start-up or imports; the timing loop runs inside Python, so none includes this pipe either.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PeerOp } from './cases.js';

export const PEER_NAMES = ['scipy', 'opencv'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** What a peer says about itself on start-up. */
export interface PeerInfo {
  peer: PeerName;
  version: string;
  numpy: string;
  python: string;
  threads: number;
  dtype: string;
  ops: string[];
  /** How each op is done ("all" for every op). */
  notes: Record<string, string>;
}

export interface PeerTimeRequest {
  /** A .npy file holding the uint8 input image. */
  input: string;
  ops: PeerOp[];
  warmup: number;
  repeat: number;
  budgetS: number;
}

export type PeerTiming = { ok: true; timesMs: number[] } | { ok: false; unsupported: boolean; error: string };

interface Answer {
  id: number;
  ok: boolean;
  error?: string;
  unsupported?: boolean;
  [key: string]: unknown;
}

/** Where bench/peers/*.py are: found from this module (src/bench or dist/src/bench) upwards. */
export function peerScriptDirectory(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'bench', 'peers');
    if (existsSync(join(candidate, 'peer_protocol.py'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`bench/peers/peer_protocol.py not found above ${from}`);
  }
}

export class PeerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  private stderr = '';
  private exited: Error | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly name: PeerName,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => this.receive(line));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    const fail = (error: Error) => {
      this.exited = error;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    child.on('error', (error) => fail(new Error(`${name} peer could not run: ${error.message}`, { cause: error })));
    child.on('exit', (code, signal) => fail(new Error(`${name} peer exited (${signal ?? `code ${code}`}): ${this.lastStderr()}`)));
  }

  /**
   * Starts `bench/peers/<name>_peer.py` with `python` and waits for its hello. Throws (with Python's
   * own message, e.g. "No module named 'cv2'") when the peer cannot run.
   */
  static async start(name: PeerName, python: string, scripts: string = peerScriptDirectory()): Promise<{ peer: PeerProcess; info: PeerInfo }> {
    const child = spawn(python, ['-u', join(scripts, `${name}_peer.py`)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new PeerProcess(child, name);
    try {
      const info = (await peer.request({ cmd: 'hello' })) as unknown as PeerInfo;
      return { peer, info };
    } catch (error) {
      await peer.close();
      throw error;
    }
  }

  /** Times `request.ops` on `request.input`, in Python, as bench/peers/peer_protocol.py describes. */
  async time(request: PeerTimeRequest): Promise<PeerTiming> {
    const answer = await this.request(
      { cmd: 'time', input: request.input, ops: request.ops, warmup: request.warmup, repeat: request.repeat, budget_s: request.budgetS },
      true,
    );
    if (answer.ok) return { ok: true, timesMs: answer.times_ms as number[] };
    return { ok: false, unsupported: answer.unsupported === true, error: answer.error ?? 'unknown error' };
  }

  /** Asks the peer to quit and waits for it to exit. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.child.stdin.end(`${JSON.stringify({ id: 0, cmd: 'quit' })}\n`);
    } catch {
      // Already gone: nothing to close.
    }
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  private request(message: Record<string, unknown>, allowFailure = false): Promise<Answer> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (answer) => {
          if (answer.ok || allowFailure) resolve(answer);
          else reject(new Error(`${this.name} peer: ${answer.error}`));
        },
        reject,
      });
      this.child.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
    });
  }

  private receive(line: string): void {
    let answer: Answer;
    try {
      answer = JSON.parse(line) as Answer;
    } catch {
      this.stderr = `${this.stderr}${line}\n`.slice(-4000); // a stray print: keep it for error messages
      return;
    }
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    waiting.resolve(answer);
  }

  private lastStderr(): string {
    const lines = this.stderr.trim().split('\n');
    return lines[lines.length - 1] || 'no message';
  }
}
