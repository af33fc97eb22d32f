import type { CAC } from 'cac';

/** Every subcommand registers itself here: one import and one call per file in cli/commands/. */
type Register = (cli: CAC) => void;
const registrations: Register[] = [];

export function registerCommands(cli: CAC): void {
  for (const register of registrations) register(cli);
}
