/**
 * MP4 metadata tags written in JavaScript, without ffmpeg: a `udta/meta/ilst` box (the iTunes
 * layout ffmpeg, players and exiftool read) appended inside `moov`. Starting ffmpeg forks the
 * whole bot process, which in a busy process stalls every thread for tens of milliseconds
 * (BENCHMARKS.md figures 1 and 3); tagging is the one step every answer takes, so it must not.
 *
 * Only the shapes this can edit safely are edited: one `moov`, no fragments (`moof`). When the
 * `moov` comes before the media data, growing it moves that data, so every chunk offset
 * (`stco`, `co64`) is moved by the same amount. Anything else returns null: the caller uses
 * ffmpeg instead.
 */

interface Box {
  type: string;
  start: number;
  /** Header length: 8, or 16 with a 64-bit size. */
  header: number;
  size: number;
}

/** The iTunes atoms ffmpeg maps to its standard keys; other keys go in freeform (`----`) items named by the key. */
const STANDARD_ATOMS: Readonly<Record<string, string>> = { title: '\u00a9nam', comment: '\u00a9cmt', description: 'desc' };

function readBoxes(bytes: Uint8Array, from: number, to: number): Box[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) return null;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header || at + size > to) return null;
    const type = String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0, bytes[at + 6] ?? 0, bytes[at + 7] ?? 0);
    boxes.push({ type, start: at, header, size });
    at += size;
  }
  return at === to ? boxes : null;
}

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const out = Buffer.alloc(8 + body.length);
  out.writeUInt32BE(out.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  return out;
}

/** A full box: version and flags (zero) before the body. */
function fullBox(type: string, ...parts: Uint8Array[]): Uint8Array {
  return box(type, new Uint8Array(4), ...parts);
}

/** A UTF-8 text `data` atom (type 1, no locale). */
function dataAtom(value: string): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(1, 0);
  return box('data', head, Buffer.from(value, 'utf8'));
}

function item(key: string, value: string): Uint8Array {
  const atom = STANDARD_ATOMS[key];
  if (atom !== undefined) return box(atom, dataAtom(value));
  return box('----', fullBox('mean', Buffer.from('com.apple.iTunes')), fullBox('name', Buffer.from(key, 'utf8')), dataAtom(value));
}

/** `udta` > `meta` (handler `mdir`) > `ilst` with one item per tag. */
function metadataBox(tags: Readonly<Record<string, string>>): Uint8Array {
  const hdlrBody = Buffer.alloc(21);
  hdlrBody.write('mdir', 4, 'latin1');
  hdlrBody.write('appl', 8, 'latin1');
  const items = Object.entries(tags).map(([k, v]) => item(k, v.replace(/[\r\n]+/g, ' ')));
  return box('udta', fullBox('meta', fullBox('hdlr', hdlrBody), box('ilst', ...items)));
}

/** Adds `delta` to every chunk offset of every track; false when an offset would not fit. */
function moveChunkOffsets(bytes: Uint8Array, moov: Box, delta: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inside = (b: Box): Box[] => readBoxes(bytes, b.start + b.header, b.start + b.size) ?? [];
  const path = ['trak', 'mdia', 'minf', 'stbl'];
  let level: Box[] = [moov];
  for (const name of path) level = level.flatMap((b) => inside(b).filter((c) => c.type === name));
  for (const stbl of level) {
    for (const table of inside(stbl)) {
      if (table.type !== 'stco' && table.type !== 'co64') continue;
      const countAt = table.start + table.header + 4;
      const count = view.getUint32(countAt);
      const wide = table.type === 'co64';
      if (countAt + 4 + count * (wide ? 8 : 4) > table.start + table.size) return false;
      for (let i = 0; i < count; i += 1) {
        const at = countAt + 4 + i * (wide ? 8 : 4);
        if (wide) view.setBigUint64(at, view.getBigUint64(at) + BigInt(delta));
        else {
          const moved = view.getUint32(at) + delta;
          if (moved > 0xffff_ffff) return false;
          view.setUint32(at, moved);
        }
      }
    }
  }
  return true;
}

/** The video with `tags` added, or null when its layout is not one this edits (use ffmpeg then). */
export function tagMp4(video: Uint8Array, tags: Readonly<Record<string, string>>): Uint8Array | null {
  const top = readBoxes(video, 0, video.byteLength);
  if (top === null || top[0]?.type !== 'ftyp' || top.some((b) => b.type === 'moof')) return null;
  const moovs = top.filter((b) => b.type === 'moov');
  const moov = moovs[0];
  if (moov === undefined || moovs.length !== 1) return null;
  const added = metadataBox(tags);
  const out = Buffer.alloc(video.byteLength + added.length);
  const end = moov.start + moov.size;
  out.set(video.subarray(0, end), 0);
  out.set(added, end);
  out.set(video.subarray(end), end + added.length);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (moov.header === 16) view.setBigUint64(moov.start + 8, BigInt(moov.size + added.length));
  else if (moov.size + added.length > 0xffff_ffff) return null;
  else view.setUint32(moov.start, moov.size + added.length);
  // The media data after the moov moved by the box's length: its chunk offsets must follow.
  const dataAfter = top.some((b) => b.type === 'mdat' && b.start > moov.start);
  const dataBefore = top.some((b) => b.type === 'mdat' && b.start < moov.start);
  if (dataAfter && dataBefore) return null;
  if (dataAfter && !moveChunkOffsets(out, { ...moov, size: moov.size + added.length }, added.length)) return null;
  return out;
}
