/**
 * What triage keeps from a chunk after the chunk is done: its counts, never
 * its text. A token, a message or a route read from a line is a slice of
 * the chunk's decoded text; a cache or counter keeping that slice would
 * keep the whole megabyte alive (this test's log: 120 chunks, 120 MB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { classifyChunk } from '../../src/triage/classify_chunk.ts';
import { prepareContext } from '../../src/triage/prepare_context.ts';
import { NOW_ISO } from '../helpers/index.ts';
import { stagingSetup, TOKENS, withTemp } from './fixtures.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CHUNKS = 120;
const FILLER = `${NOW_ISO} GET /v1/health 200 ${'f'.repeat(1000)}\n`.repeat(1000);

/** Chunk i: one JSON line and one text line with a token seen nowhere else, a new message and route, then filler to a megabyte. */
function chunk(i: number): Buffer {
  const token = `${TOKENS.malformed}x${i}`;
  const json = JSON.stringify({ time: NOW_ISO, route: `/v1/r${i}`, msg: `unknown message ${i}`, authorization: `Bearer ${token}` });
  const text = `${NOW_ISO} POST /v1/t${i} token=${token}y msg=other-${i}`;
  return Buffer.from(`${json}\n${text}\n${FILLER}`);
}

test('after 120 one-megabyte chunks with distinct tokens, messages and routes, the heap holds none of their text', () =>
  withTemp(async (t) => {
    const { ctx } = await prepareContext(await stagingSetup(t));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < CHUNKS; i++) classifyChunk(ctx, chunk(i));
    gc();
    const grewMb = (process.memoryUsage().heapUsed - before) / 1e6;
    assert.equal(ctx.report.by.reason.malformed_token, 2 * CHUNKS);
    assert.equal(ctx.verdicts!.diagnosed, 2 * CHUNKS);
    assert.ok(grewMb < 20, `the heap grew by ${grewMb.toFixed(1)} MB over ${CHUNKS} MB of chunks`);
  }));
