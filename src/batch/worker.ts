import { pathToFileURL } from 'node:url';
import { isDermametricsError } from '../errors';
import { THUMBNAIL_OVERLAY } from './overlay';

/**
 * The batch worker process (dist/worker.js): loads the pipeline once, then scores one photo per 'job' message and
 * answers with 'done'. It writes no files: only the parent commits results, so a worker dying at any instant loses
 * nothing. Exits when the parent closes the IPC channel (including when the parent is killed).
 * Test hook: DERMAMETRICS_ANALYZER=/abs/module.mjs replaces analyzePhoto with that module's `analyze(file, options)`.
 */
type Analyze = (file: string, options: Record<string, unknown>) => Promise<unknown>;

interface JobMessage {
  type: 'job';
  id: string;
  file: string;
  overlay?: string;
  options: Record<string, unknown>;
}

function send(msg: unknown): void {
  if (process.send && process.connected) process.send(msg);
}

async function loadAnalyzer(): Promise<Analyze> {
  const mod = process.env.DERMAMETRICS_ANALYZER;
  if (mod) {
    const m = (await import(pathToFileURL(mod).href)) as { analyze?: Analyze; prepare?: () => Promise<void> };
    if (typeof m.analyze !== 'function') throw new Error(`${mod} does not export analyze(file, options)`);
    if (m.prepare) await m.prepare();
    return m.analyze;
  }
  // Imported only here, so a test analyser does not load sharp, tfjs and the face model.
  const { analyzePhoto, preparePipeline } = await import('../score/analyze');
  await preparePipeline();
  return (file, options) => analyzePhoto(file, options);
}

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  let analyze: Analyze;
  try {
    analyze = await loadAnalyzer();
  } catch (e) {
    send({ type: 'fatal', code: isDermametricsError(e) ? e.code : 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  let chain = Promise.resolve();
  process.on('message', (raw) => {
    const msg = raw as JobMessage;
    if (msg?.type !== 'job') return;
    chain = chain.then(async () => {
      try {
        const options = msg.overlay ? { ...(msg.options ?? {}), overlay: { path: msg.overlay, ...THUMBNAIL_OVERLAY } } : (msg.options ?? {});
        const score = await analyze(msg.file, options);
        send({ type: 'done', id: msg.id, ok: true, score });
      } catch (e) {
        const code = isDermametricsError(e) ? e.code : 'E_INTERNAL';
        const message = e instanceof Error ? (isDermametricsError(e) ? e.message : `${e.message} (${(e.stack ?? '').split('\n')[1]?.trim() ?? ''})`) : String(e);
        send({ type: 'done', id: msg.id, ok: false, code, message });
      }
    });
  });
  send({ type: 'ready' });
}

void main();
