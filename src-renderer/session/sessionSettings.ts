/**
 * The training settings the radiologist chose for new sessions (empty
 * fields: the trainer backend's defaults), kept in localStorage. Parsed with
 * the contract's own schema, so a stored value the app would refuse never
 * reaches session.start.
 */
import { partialSessionSettingsSchema, type PartialSessionSettings } from '../../src-main/shared/contract/sessionApi';

const storageKey = 'macl.session.settings';

/** The stored settings, or none when nothing (or nothing valid) is stored. */
export function loadSessionSettings(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): PartialSessionSettings {
  try {
    const raw = storage?.getItem(storageKey);
    if (raw == null) return {};
    const parsed = partialSessionSettingsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function saveSessionSettings(settings: PartialSessionSettings, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(storageKey, JSON.stringify(settings));
  } catch {
    // Storage full or disabled: the settings still apply to this window.
  }
}

/** Checks settings typed by the user; returns them or the first problem as a sentence. */
export function checkSessionSettings(input: Record<string, boolean | number | string | undefined>): { ok: true; value: PartialSessionSettings } | { ok: false; message: string } {
  const cleaned = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && !(typeof value === 'number' && Number.isNaN(value))));
  const parsed = partialSessionSettingsSchema.safeParse(cleaned);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue?.path.join('.') ?? 'settings'}: ${issue?.message ?? 'not valid'}` };
}
