import type { CAC } from 'cac';
import { registerBatch } from './commands/batch';
import { registerMerge } from './commands/merge';
import { registerScore } from './commands/score';
import { registerBlind } from './commands/blind';
import { registerUnblind } from './commands/unblind';
import { registerAgree } from './commands/agree';
import { registerTrainWrinkle } from './commands/train-wrinkle';
import { registerFace } from './commands/face';

/** Every subcommand registers itself here: one import and one call per file in cli/commands/. */
type Register = (cli: CAC) => void;
const registrations: Register[] = [
  registerBatch,
  registerMerge,
  registerScore,
  registerBlind,
  registerUnblind,
  registerAgree,
  registerTrainWrinkle,
  registerFace,
];

export function registerCommands(cli: CAC): void {
  for (const register of registrations) register(cli);
}
