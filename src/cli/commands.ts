import type { CAC } from 'cac';
import { registerBatch } from './commands/batch';
import { registerMerge } from './commands/merge';
import { registerScore } from './commands/score';

/** Every subcommand registers itself here: one import and one call per file in cli/commands/. */
type Register = (cli: CAC) => void;
const registrations: Register[] = [
  registerBatch,
  registerMerge,
  registerScore,
];

export function registerCommands(cli: CAC): void {
  for (const register of registrations) register(cli);
}
