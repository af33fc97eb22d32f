import { cac } from 'cac';
import { isDermametricsError } from '../errors';
import { VERSION } from '../version';
import { registerCommands } from './commands';

/**
 * The `dermametrics` command: a thin layer over the public API. Each subcommand lives in cli/commands/<name>.ts
 * and registers itself in cli/commands.ts. Expected errors print their message; bugs print the stack.
 * Exit status is set through process.exitCode, never process.exit, so output is flushed.
 */
export async function main(argv: string[] = process.argv): Promise<void> {
  const cli = cac('dermametrics');
  registerCommands(cli);
  cli.help();
  cli.version(VERSION);
  try {
    cli.parse(argv, { run: false });
    if (!cli.matchedCommand) {
      if (!cli.options.help && !cli.options.version) cli.outputHelp();
      return;
    }
    await cli.runMatchedCommand();
  } catch (e) {
    if (isDermametricsError(e)) {
      process.stderr.write(`dermametrics: ${e.code}: ${e.message}\n`);
      process.exitCode = 2;
    } else if (e instanceof Error && /Unknown option|missing required arg|Unused args/i.test(e.message)) {
      process.stderr.write(`dermametrics: ${e.message}\nRun with --help for usage.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    }
  }
}

void main();
