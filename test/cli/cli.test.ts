import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_CLI, ROOT, STUB, makeStubTrial, readOutputs, requireBuilt } from '../batch/helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-cli-'));
const manifest = path.join(tmp, 'set', 'manifest.csv');
beforeAll(() => {
  requireBuilt();
  makeStubTrial(path.join(tmp, 'set'), 4);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [DIST_CLI, ...args], { encoding: 'utf8', env: { ...process.env, DERMAMETRICS_TEST_ANALYZER: STUB, ...env }, cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dermametrics CLI: score, batch, merge', () => {
  it('has --help for each subcommand', () => {
    for (const [cmd, must] of [
      ['score', ['--json', '--overlay', '--regions', '--chart', '--reference-region']],
      ['batch', ['--out', '--workers', '--resume', '--overwrite', '--shard', '--pattern', '--allow-outside', '--report']],
      ['merge', ['--out']],
    ] as const) {
      const r = run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      for (const opt of must) expect(r.stdout, `${cmd} ${opt}`).toContain(opt);
    }
  });

  it('batch: exit status 3 and a summary line with the failure count by code; resume without --resume is refused', () => {
    const out = path.join(tmp, 'out-all');
    const r = run(['batch', manifest, '--out', out, '--workers', '2', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^scored 12 of 16 photos, 4 failed \(E_DECODE 1, E_NO_FACE 1, E_UNSUPPORTED_FORMAT 1, E_WORKER_CRASH 1\)/);
    const again = run(['batch', manifest, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/E_INVALID_OPTION: .*--resume/);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ photos: 16, scored: 12, failed: 4, complete: true });
  });

  it('batch --shard + merge gives the unsharded outputs; a path escape is refused unless --allow-outside', () => {
    const a = run(['batch', manifest, '--out', path.join(tmp, 'sh0'), '--shard', '0/2', '--quiet', '--workers', '1']);
    const b = run(['batch', manifest, '--out', path.join(tmp, 'sh1'), '--shard', '1/2', '--quiet', '--workers', '1']);
    expect([a.code, b.code].every((c) => c === 0 || c === 3)).toBe(true);
    const m = run(['merge', path.join(tmp, 'sh0'), path.join(tmp, 'sh1'), '--out', path.join(tmp, 'merged')]);
    expect(m.code).toBe(3);
    expect(m.stdout).toMatch(/merged 2 shard\(s\): 12 of 16 photos scored, 4 failed, 0 pending/);
    expect(readOutputs(path.join(tmp, 'merged'))).toEqual(readOutputs(path.join(tmp, 'out-all')));

    const bad = path.join(tmp, 'set', 'escape.csv');
    writeFileSync(bad, 'path,subject,visit\n../outside.jpg,S1,V1\n');
    const e = run(['batch', bad, '--out', path.join(tmp, 'esc')]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/E_PATH_OUTSIDE: .*line 2: \.\.\/outside\.jpg.*--allow-outside/);
    const ok = run(['batch', bad, '--out', path.join(tmp, 'esc2'), '--allow-outside', '--quiet']);
    expect(ok.code).toBe(3); // allowed; the file does not exist, so that photo fails
  });

  it('score: a bad photo prints its code on stderr and exits 3', () => {
    const r = run(['score', path.join(ROOT, 'test-images/bad/not-an-image.jpg'), '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not-an-image\.jpg: E_UNSUPPORTED_FORMAT: /);
  });
});
