/**
 * Builds the submit body `{"image":"<b64>","audio":"<b64>","webhook":{...}}` as a re-iterable
 * stream of chunks. Base64 needs no JSON escaping, so the media is encoded slice by slice while
 * undici sends it: peak memory stays near the raw bytes instead of raw + base64 string + JSON
 * copy (25 MB voice notes, many at once). Re-iterable so a retry can send it again.
 */
const SLICE = 3 * 64 * 1024; // a multiple of 3: slices concatenate into one valid base64 text

function b64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

function* encode(bytes: Uint8Array): Generator<Uint8Array> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < buf.length; i += SLICE) {
    yield Buffer.from(buf.subarray(i, i + SLICE).toString('base64'), 'latin1');
  }
}

export function base64JsonBody(
  image: Uint8Array,
  audio: Uint8Array,
  webhook: { url: string; auth_token?: string } | undefined,
): { length: number; chunks: () => AsyncIterable<Uint8Array> } {
  const head = Buffer.from('{"image":"');
  const mid = Buffer.from('","audio":"');
  const tail = Buffer.from(webhook === undefined ? '"}' : `","webhook":${JSON.stringify(webhook)}}`);
  const length = head.length + b64Length(image.byteLength) + mid.length + b64Length(audio.byteLength) + tail.length;
  return {
    length,
    chunks: async function* () {
      yield head;
      yield* encode(image);
      yield mid;
      yield* encode(audio);
      yield tail;
    },
  };
}
