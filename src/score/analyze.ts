import { DermametricsError } from '../errors';
import type { PhotoScore } from './types';

/** Placeholder until the pipeline modules land. */
export type AnalyzeOptions = Record<string, unknown>;

export async function preparePipeline(): Promise<void> {}

export async function analyzePhoto(_input: string | Buffer, _options: AnalyzeOptions = {}): Promise<PhotoScore> {
  throw new DermametricsError('E_INTERNAL', 'analyzePhoto is not wired yet');
}
