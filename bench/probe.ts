/**
 * Gateway and clock measurements (issue 5), against real loopback servers:
 * clock-offset accuracy against a server whose Date header runs 42 s ahead,
 * and the cost of a probe of 6 routes through a real nginx.
 *   node --import tsx bench/probe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measureClockOffset } from '../src/probe/clock_offset.ts';
import { probeApi } from '../src/probe/probe_api.ts';
import { startApi, startNginx, webToken } from '../test/probe/fixtures.ts';

async function clockAccuracy(): Promise<void> {
  const s = createServer((_q, res) => {
    res.setHeader('date', new Date(Date.now() + 42_000).toUTCString());
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
  const errs: number[] = [];
  const uncs: number[] = [];
  let inside = 0;
  for (let i = 0; i < 40; i++) {
    const m = await measureClockOffset(url, 'api', { samples: 5, timeoutMs: 2000 });
    const e = m.offsetSeconds! - 42;
    errs.push(e);
    uncs.push(m.uncertaintySeconds!);
    if (Math.abs(e) <= m.uncertaintySeconds!) inside++;
    await new Promise((r) => setTimeout(r, 137)); // spread the samples over Date's 1 s ticks
  }
  s.close();
  const abs = errs.map(Math.abs).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'clock offset vs a +42 s server',
      runs: errs.length,
      insideReportedUncertainty: inside,
      maxAbsErrorSeconds: +abs.at(-1)!.toFixed(3),
      medianAbsErrorSeconds: +abs[Math.floor(abs.length / 2)]!.toFixed(3),
      maxUncertaintySeconds: +Math.max(...uncs).toFixed(3),
    }),
  );
}

async function probeCost(): Promise<void> {
  const api = await startApi();
  const ngx = await startNginx(api.port);
  try {
    const routes = ['/ok/v1/me', '/ok/v1/orders', '/strip/v1/me', '/move/v1/me', '/rescheme/v1/me', '/cut/v1/me'].map((path) => ({
      path,
      method: 'GET',
      expectStatus: 200,
      echo: true,
    }));
    const cfg = { baseUrl: ngx.url, routes, header: 'authorization', scheme: 'Bearer' as const, echoPath: '/.well-known/jwt-doctor/echo' };
    const token = webToken();
    for (const concurrency of [1, 4]) {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        await probeApi(cfg, token, { timeoutMs: 3000, concurrency });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          bench: 'probe 6 routes (12 requests) through nginx',
          concurrency,
          runs: 30,
          medianMs: +times[15]!.toFixed(1),
          p90Ms: +times[27]!.toFixed(1),
        }),
      );
    }
  } finally {
    await ngx.close();
    await api.close();
  }
}

await clockAccuracy();
await probeCost();
