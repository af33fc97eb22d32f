import type { RatingScale } from './scales';

/** Every file and folder of a packet gets this modification and access time, so that times tell nothing. */
export const PACKET_FILE_TIME = new Date('2000-01-01T00:00:00Z');

/** Names inside a packet folder. */
export const PACKET_SHEET = 'rating_sheet.csv';
export const PACKET_README = 'README.txt';
export const PACKET_PHOTOS = 'photos';

/** Columns of the rating sheet before the scale columns, and after them. */
export const SHEET_LEAD_COLUMNS = ['order', 'code', 'reader', 'date'] as const;
export const SHEET_TAIL_COLUMNS = ['comment'] as const;

/** The README every packet carries: instructions and scales, nothing about the trial. */
export function readmeText(scales: RatingScale[], count: number): string {
  return [
    'Reader packet for blinded grading',
    '',
    `This packet holds ${count} photos in the folder ${PACKET_PHOTOS}/, each named by a random code.`,
    'The codes and the order carry no information about the subject, the visit or the treatment.',
    '',
    `Fill in ${PACKET_SHEET}: one row per photo code, in any order you like.`,
    '  reader   your reader id (the same on every row)',
    '  date     the date you graded the photo, YYYY-MM-DD',
    ...scales.map((s) => `  ${s.name.padEnd(8)} an integer grade from ${s.min} to ${s.max}`),
    '  comment  optional; say why if you leave a grade blank',
    '',
    'Leave a grade blank if the photo cannot be graded. Do not rename the photos, do not change or delete codes,',
    'and do not add rows. Grade each photo on its own, without comparing it with others.',
    '',
  ].join('\n');
}

