/**
 * What triage keeps from a chunk after the chunk is done: its counts, never
 * its text. A token, a message or a route read from a line is a slice of
 * the chunk's decoded text; a cache or counter keeping that slice would
 * keep its whole window of text alive (this test's log: 1,200 windows of
 * 100 KB, each with tokens and messages to cache).
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

const CHUNKS = 60;
const SEGMENTS = 10;
const FILLER = `${NOW_ISO} GET /v1/health 200 ${'f'.repeat(1000)}\n`.repeat(100);

/**
 * Chunk i: SEGMENTS times a JSON line and a text line, each twice (a value
 * is cached at its second sighting), with a token seen nowhere else, a new
 * message and route; then 100 KB of filler (so each segment is decoded in
 * its own window of text).
 */
function chunk(i: number): Buffer {
  let out = '';
  for (let s = 0; s < SEGMENTS; s++) {
    const token = `${TOKENS.malformed}x${i}s${s}`;
    const json = JSON.stringify({ time: NOW_ISO, route: `/v1/r${i}`, msg: `unknown message ${i}-${s}`, authorization: `Bearer ${token}` });
    const text = `${NOW_ISO} POST /v1/t${i} token=${token}y msg=other-${i}-${s}`;
    out += `${json}\n${text}\n${json}\n${text}\n${FILLER}`;
  }
  return Buffer.from(out);
}

test('after 60 one-megabyte chunks with distinct tokens, messages and routes, the heap holds none of their text', () =>
  withTemp(async (t) => {
    const { ctx } = await prepareContext(await stagingSetup(t));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < CHUNKS; i++) classifyChunk(ctx, chunk(i));
    gc();
    const grewMb = (process.memoryUsage().heapUsed - before) / 1e6;
    assert.equal(ctx.report.by.reason.malformed_token, 4 * SEGMENTS * CHUNKS);
    // Each token once or twice (cached at its second sighting, or its first when its sampled hash was seen before).
    assert.ok(ctx.verdicts!.diagnosed >= 2 * SEGMENTS * CHUNKS && ctx.verdicts!.diagnosed <= 4 * SEGMENTS * CHUNKS);
    assert.ok(grewMb < 16, `the heap grew by ${grewMb.toFixed(1)} MB over ${CHUNKS} chunks`);
  }));
