// Public names of blind/ (re-exported by src/index.ts).
export { createReaderPacket, PACKET_FILE_TIME, PACKET_SHEET, PACKET_README, PACKET_PHOTOS, KEY_COLUMNS } from './packet';
export type { ReaderPacketOptions, ReaderPacket, PacketItem, KeyRow } from './packet';
export { reencodePhoto } from './reencode';
export { checkPacket, identifyingStrings, keyNeedles } from './check';
export type { CheckPacketOptions, PacketCheck, PacketFinding, IdentifyingRecord } from './check';
export { containerParts } from './container';
export type { ReencodeOptions } from './reencode';
export { readPacketKey } from './key';
export type { PacketKey, KeyEntry } from './key';
export { unblind, writeUnblinded, writeMissing, UNBLINDED_COLUMNS } from './unblind';
export type { UnblindOptions, UnblindResult, UnblindedRating, MissingRating } from './unblind';
export { parseScale, parseScales, formatScale, DEFAULT_SCALES } from './scales';
export type { RatingScale } from './scales';
