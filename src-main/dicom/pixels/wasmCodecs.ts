/**
 * Loads the Emscripten codecs (@cornerstonejs/codec-*) in Node. They ship
 * no type definitions, so what this code uses of them is described here and
 * checked when they load. One decoder per codec is created and reused: each
 * owns buffers inside its WebAssembly memory, which are copied out at once.
 */

export interface WasmFrameInfo {
  readonly width: number;
  readonly height: number;
  readonly bitsPerSample: number;
  readonly componentCount: number;
  readonly isSigned?: boolean;
}

/** The decoder interface shared by the charls, openjpeg and libjpeg-turbo builds. */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  getDecodedBuffer(): Uint8Array;
}

export type WasmCodecName = 'jpeg-ls' | 'jpeg-2000' | 'jpeg-8bit';

const codecs: Readonly<Record<WasmCodecName, { readonly specifier: string; readonly className: string }>> = {
  'jpeg-ls': { specifier: '@cornerstonejs/codec-charls/decodewasmjs', className: 'JpegLSDecoder' },
  'jpeg-2000': { specifier: '@cornerstonejs/codec-openjpeg/decodewasmjs', className: 'J2KDecoder' },
  'jpeg-8bit': { specifier: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', className: 'JPEGDecoder' },
};

interface CodecModule {
  readonly decoder: WasmDecoder;
  readonly describeError: (thrown: unknown) => string;
}

/** OpenJPEG prints progress lines ([INFO] …) to stdout; the workstation reports errors itself. */
const quietModule = { print: (): void => undefined, printErr: (): void => undefined };

const loaded = new Map<WasmCodecName, Promise<CodecModule>>();

function isDecoder(value: unknown): value is WasmDecoder {
  if (typeof value !== 'object' || value === null) return false;
  return ['getEncodedBuffer', 'decode', 'getFrameInfo', 'getDecodedBuffer'].every((key) => typeof Reflect.get(value, key) === 'function');
}

async function load(name: WasmCodecName): Promise<CodecModule> {
  const { specifier, className } = codecs[name];
  // A computed specifier: the bundler keeps these packages external (their
  // .wasm is found beside their own files at run time).
  const path: string = specifier;
  const module: unknown = await import(/* @vite-ignore */ path);
  const factory: unknown = typeof module === 'object' && module !== null ? Reflect.get(module, 'default') : undefined;
  if (typeof factory !== 'function') throw new Error(`${specifier} did not export a module factory`);
  const instance: unknown = await Promise.resolve(Reflect.apply(factory, undefined, [quietModule]));
  const Decoder: unknown = typeof instance === 'object' && instance !== null ? Reflect.get(instance, className) : undefined;
  if (typeof Decoder !== 'function') throw new Error(`${specifier} has no ${className}`);
  const decoder: unknown = Reflect.construct(Decoder, []);
  if (!isDecoder(decoder)) throw new Error(`${specifier}: ${className} lacks the decoder methods`);
  const getExceptionMessage: unknown = typeof instance === 'object' && instance !== null ? Reflect.get(instance, 'getExceptionMessage') : undefined;
  return {
    decoder,
    // Emscripten C++ exceptions arrive as numbers (pointers): ask the module for the text.
    describeError(thrown) {
      if (typeof thrown === 'number' && typeof getExceptionMessage === 'function') return String(Reflect.apply(getExceptionMessage, instance, [thrown]));
      return thrown instanceof Error ? thrown.message : String(thrown);
    },
  };
}

export interface WasmDecoded {
  readonly info: WasmFrameInfo;
  /** A copy of the decoded bytes (little-endian samples, interleaved components). */
  readonly bytes: Uint8Array;
}

/** Decodes one compressed frame with codec `name`. */
export async function decodeWithWasm(name: WasmCodecName, encoded: Uint8Array): Promise<WasmDecoded> {
  let pending = loaded.get(name);
  if (pending === undefined) {
    pending = load(name);
    loaded.set(name, pending);
    pending.catch(() => loaded.delete(name));
  }
  const codec = await pending;
  try {
    codec.decoder.getEncodedBuffer(encoded.length).set(encoded);
    codec.decoder.decode();
    const info = { ...codec.decoder.getFrameInfo() };
    return { info, bytes: codec.decoder.getDecodedBuffer().slice() };
  } catch (thrown) {
    throw new Error(`${name} decoder: ${codec.describeError(thrown)}`, { cause: thrown });
  }
}
