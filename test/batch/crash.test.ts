import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/random';
import { DIST_CLI, STUB, makeStubTrial, parseCsv, readOutputs, requireBuilt } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-crash-'));
const manifest = path.join(tmp, 'set', 'manifest.csv');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  requireBuilt();
  makeStubTrial(path.join(tmp, 'set'), 20); // 60 good photos + 4 bad ones
});

/**
 * Run `dermametrics batch` as its own process and SIGKILL it at the given point: after `ms` milliseconds, or once
 * `committed` photos are in the journals plus `extraMs` (a random instant inside the next photos or finalisation).
 */
type KillAt = { ms: number } | { committed: number; extraMs: number };
function cli(out: string, resume: boolean, killAt?: KillAt): Promise<{ code: number | null; signal: string | null; killed: boolean }> {
  return new Promise((resolve) => {
    const args = [DIST_CLI, 'batch', manifest, '--out', out, '--workers', '2', '--quiet', ...(resume ? ['--resume'] : [])];
    const child = spawn(process.execPath, args, { env: { ...process.env, DERMAMETRICS_TEST_ANALYZER: STUB, STUB_DELAY_MS: '40' }, stdio: 'ignore' });
    let killed = false;
    const kill = () => {
      killed = child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
    };
    let timer: NodeJS.Timeout | undefined;
    if (killAt && 'ms' in killAt) timer = setTimeout(kill, killAt.ms);
    else if (killAt) {
      timer = setInterval(() => {
        if (committedCount(out) >= killAt.committed) {
          clearInterval(timer);
          timer = setTimeout(kill, killAt.extraMs);
        }
      }, 3);
    }
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(timer);
      resolve({ code, signal, killed: killed && signal === 'SIGKILL' });
    });
  });
}

function committedCount(out: string): number {
  return ids(path.join(out, 'results.jsonl')).length + ids(path.join(out, 'errors.jsonl')).length;
}

function ids(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1); // a torn tail is allowed right after a kill
  return complete.split('\n').filter(Boolean).map((l) => JSON.parse(l).manifest.id as string);
}

describe('crash safety', () => {
  it('SIGKILL at random points >= 10 times, then --resume: every photo exactly once, outputs equal an uninterrupted run', async () => {
    const ref = path.join(tmp, 'ref');
    expect((await cli(ref, false)).code).toBe(3); // 3 = finished, some photos failed
    const out = path.join(tmp, 'killed');
    const rng = createRng('sigkill-schedule');
    let kills = 0;
    const committedAtKill: number[] = [];
    let attempt = 0;
    for (;;) {
      const wantKill = kills < 12;
      // every 4th kill at a random early instant (start-up, first photos); the others a random 1-5 photos further on
      const killAt: KillAt | undefined = !wantKill ? undefined : kills === 11 ? { committed: 64, extraMs: rng.uniform(0, 10) } /* during finalisation */ : kills % 4 === 0 ? { ms: rng.uniform(5, 250) } : { committed: Math.min(64, committedCount(out) + rng.int(1, 5)), extraMs: rng.uniform(0, 40) };
      const r = await cli(out, attempt > 0, killAt);
      attempt++;
      if (r.killed) {
        kills++;
        // between kills: no photo is ever committed twice
        const committed = [...ids(path.join(out, 'results.jsonl')), ...ids(path.join(out, 'errors.jsonl'))];
        expect(new Set(committed).size).toBe(committed.length);
        committedAtKill.push(committed.length);
        continue;
      }
      if (!wantKill || r.code === 3) {
        expect(r.code).toBe(3);
        break;
      }
      expect(attempt).toBeLessThan(60);
    }
    console.log(`kills: ${kills}, committed at each kill: ${committedAtKill.join(",")}`);
    expect(kills).toBeGreaterThanOrEqual(10);
    // the kills landed mid-run: the committed count grew across kills, and several kills found a partly done set
    expect(committedAtKill.filter((n) => n > 0 && n < 64).length, `committed at each kill: ${committedAtKill.join(",")}`).toBeGreaterThanOrEqual(5);
    const want = readOutputs(ref);
    const got = readOutputs(out);
    expect(got).toEqual(want);
    const resultIds = ids(path.join(out, 'results.jsonl'));
    expect(resultIds.length).toBe(60);
    expect(new Set(resultIds).size).toBe(60);
    const long = parseCsv(got['scores_long.csv']);
    const perPhoto = new Map<string, number>();
    for (const r of long) perPhoto.set(r.PHOTOID, (perPhoto.get(r.PHOTOID) ?? 0) + 1);
    expect(perPhoto.size).toBe(60);
    expect([...perPhoto.values()].every((n) => n === 3)).toBe(true);
    expect(parseCsv(got['errors.csv']).length).toBe(4);
  });
});
