/**
 * Optional timing spans for BENCH_PROFILE=1: wall time per HTTP route (request → response finished) and per
 * database command (MongoDB driver command monitoring), summed so a report can say which step costs what.
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';

export interface SpanStats {
  count: number;
  totalMs: number;
  maxMs: number;
}

export class Spans {
  private readonly stats = new Map<string, SpanStats>();

  add(name: string, ms: number) {
    let s = this.stats.get(name);
    if (!s) this.stats.set(name, (s = { count: 0, totalMs: 0, maxMs: 0 }));
    s.count++;
    s.totalMs += ms;
    if (ms > s.maxMs) s.maxMs = ms;
  }

  reset() {
    this.stats.clear();
  }

  snapshot(): Record<string, SpanStats> {
    return Object.fromEntries([...this.stats].sort((a, b) => b[1].totalMs - a[1].totalMs));
  }

  /** Incoming HTTP requests of this process: one span per "METHOD /path" (query dropped), start → response finished. */
  watchIncomingHttp() {
    const started = new WeakMap<IncomingMessage, number>();
    diagnostics.subscribe('http.server.request.start', (m) => {
      started.set((m as { request: IncomingMessage }).request, performance.now());
    });
    diagnostics.subscribe('http.server.response.finish', (m) => {
      const { request } = m as { request: IncomingMessage; response: ServerResponse };
      const t = started.get(request);
      if (t === undefined) return;
      this.add(`http ${request.method} ${(request.url ?? '').split('?')[0]}`, performance.now() - t);
    });
  }

  /** Outgoing HTTP requests of this process (ltijs fetching the platform's JWKS with got, jose's fetch). */
  watchOutgoingHttp() {
    const started = new WeakMap<ClientRequest, number>();
    diagnostics.subscribe('http.client.request.start', (m) => {
      started.set((m as { request: ClientRequest }).request, performance.now());
    });
    diagnostics.subscribe('http.client.response.finish', (m) => {
      const { request } = m as { request: ClientRequest };
      const t = started.get(request);
      if (t === undefined) return;
      this.add(`http-out ${request.method} ${request.path.split('?')[0]}`, performance.now() - t);
    });
  }

  /** Subscribes to a MongoClient created with monitorCommands: true. */
  watchClient(client: { on(event: string, cb: (e: any) => void): unknown }) {
    const started = new Map<number, string>();
    client.on('commandStarted', (e: { requestId: number; commandName: string; command: Record<string, unknown> }) => {
      const target = e.command[e.commandName];
      started.set(e.requestId, `db ${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
    });
    const done = (e: { requestId: number; duration: number }) => {
      const name = started.get(e.requestId);
      if (!name) return;
      started.delete(e.requestId);
      this.add(name, e.duration);
    };
    client.on('commandSucceeded', done);
    client.on('commandFailed', done);
  }
}
