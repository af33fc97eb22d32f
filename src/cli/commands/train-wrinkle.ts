import type { CAC } from 'cac';
import { invalidOption } from '../../errors';
import { fineTuneWrinkleModel } from '../../wrinkle/finetune';

export function registerTrainWrinkle(cli: CAC): void {
  cli
    .command('train-wrinkle', 'Fine-tune the wrinkle model on your own annotated photos and write a new model folder')
    .option('--images <dir>', 'Folder of photos (JPEG, PNG, TIFF, WebP) (required)')
    .option('--masks <dir>', 'Folder of binary wrinkle masks, same base file names as the photos, white = wrinkle (required)')
    .option('--mm-per-px <mm>', 'Millimetres per pixel of the photos (required)')
    .option('--out <dir>', 'Output model folder, e.g. models/my-wrinkles (required)')
    .option('--base <model>', 'Model to start from: bundled id or folder', { default: 'wrinkle-v3' })
    .option('--epochs <n>', 'Training epochs', { default: 5 })
    .option('--learning-rate <lr>', 'Adam learning rate', { default: 0.001 })
    .option('--seed <n>', 'Seed for pixel sampling and shuffling', { default: 1 })
    .example('dermametrics train-wrinkle --images ann/photos --masks ann/masks --mm-per-px 0.05 --out models/site-a')
    .action(async (flags: Record<string, unknown>) => {
      for (const k of ['images', 'masks', 'out'] as const) {
        if (typeof flags[k] !== 'string' || flags[k] === '') throw invalidOption(`--${k}`, 'a folder path', flags[k]);
      }
      const mm = Number(flags.mmPerPx);
      if (!(mm > 0)) throw invalidOption('--mm-per-px', 'a positive number (mm per pixel)', flags.mmPerPx);
      const r = await fineTuneWrinkleModel({
        imagesDir: String(flags.images),
        masksDir: String(flags.masks),
        mmPerPx: mm,
        out: String(flags.out),
        base: String(flags.base),
        epochs: Number(flags.epochs),
        learningRate: Number(flags.learningRate),
        seed: Number(flags.seed),
        log: (l) => process.stderr.write(`${l}\n`),
      });
      process.stdout.write(`${JSON.stringify({ model: r.manifest.id, weightsSha256: r.manifest.weightsSha256, contextSha256: r.contextSha256, out: flags.out, pairs: r.pairs.length, rows: r.rows, inSampleJaccard: r.inSampleJaccard, seconds: Math.round(r.seconds * 10) / 10 })}\n`);
    });
}
