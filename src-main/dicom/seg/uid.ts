/**
 * New DICOM UIDs under the 2.25 root (PS3.5 B.2): a random UUID written as
 * one decimal integer, unique without a registered organisation root.
 */
import { randomUUID } from 'node:crypto';

/** A fresh UID, e.g. for a new series or instance. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
}

/** Identifies the software that wrote a file (file meta ImplementationClassUID); a fixed UUID-derived UID. */
export const implementationClassUid = '2.25.73741739467619502598873470658883243380';
/** ImplementationVersionName (SH, at most 16 characters). */
export const implementationVersionName = 'MACL_SEG_1';
