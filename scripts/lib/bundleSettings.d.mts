/** Types of scripts/lib/bundleSettings.mjs, for the tests that import it. */
export const externalPackages: string[];
export const workerFiles: string[];
