/**
 * Tells hardware WebGPU adapters from software ones. A software adapter
 * (SwiftShader, Mesa llvmpipe/lavapipe, Microsoft WARP) runs shaders on the
 * CPU, about 10x slower than the CPU backend on the probe workload, so 'auto'
 * and 'webgpu' must never pick it; it is only for testing the WebGPU code
 * path when forced as 'webgpu-swiftshader'.
 */

/** The fields of GPUAdapterInfo this code reads (all optional: older Dawn builds lack some). */
export interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

export interface AdapterClass {
  /** A readable adapter name for the UI, e.g. "nvidia: NVIDIA H100 80GB HBM3". */
  readonly name: string;
  readonly software: boolean;
  /** Why the adapter counts as software; null for hardware. */
  readonly softwareReason: string | null;
  /** True when the adapter is SwiftShader specifically. */
  readonly swiftShader: boolean;
}

const softwarePatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'Mesa llvmpipe'],
  [/lavapipe/i, 'Mesa lavapipe'],
  [/softpipe/i, 'Mesa softpipe'],
  [/basic render driver|\bwarp\b/i, 'Microsoft WARP'],
];

/** A readable name from whichever info fields are filled in. */
export function describeAdapter(info: AdapterInfoLike): string {
  const parts: string[] = [];
  for (const part of [info.device, info.description]) {
    const text = part?.trim();
    if (text && !parts.includes(text)) parts.push(text);
  }
  const vendor = [info.vendor, info.architecture].map((s) => s?.trim()).filter((s): s is string => !!s).join(' ');
  if (parts.length === 0) return vendor || 'unknown WebGPU adapter';
  const body = parts.length === 2 ? `${parts[0]} (${parts[1]})` : (parts[0] ?? '');
  return vendor && !body.toLowerCase().includes(vendor.toLowerCase()) ? `${vendor}: ${body}` : body;
}

/** `adapterIsFallback` covers Dawn builds that report fallback on the adapter rather than in its info. */
export function classifyAdapter(info: AdapterInfoLike, adapterIsFallback = false): AdapterClass {
  const name = describeAdapter(info);
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const match = softwarePatterns.find(([pattern]) => pattern.test(text));
  const swiftShader = /swiftshader/i.test(text);
  if (match !== undefined) return { name, software: true, softwareReason: `${match[1]} is a software (CPU) renderer`, swiftShader };
  if (info.isFallbackAdapter === true || adapterIsFallback) {
    return { name, software: true, softwareReason: 'the driver reports it as a fallback (software) adapter', swiftShader };
  }
  return { name, software: false, softwareReason: null, swiftShader };
}
