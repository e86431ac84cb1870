/** The measurements the frame composer needs, derived once from the landmarks. */
import type { FaceLandmarks, Point } from './face-landmarks.js';

interface EyeShape {
  cx: number;
  cy: number;
  /** Half width and half height of the lid ellipse. */
  rx: number;
  ry: number;
  /** The skin colour just below the eye, for the closed lid. */
  skin: [number, number, number];
}

export interface FaceGeometry {
  /** Where the lips meet, and half the mouth's width. */
  mouthX: number;
  mouthY: number;
  mouthHalfWidth: number;
  /** The chin's lowest point and the face's half width at the jaw. */
  chinY: number;
  faceHalfWidth: number;
  /** How far (px) the jaw drops when fully open. */
  maxDrop: number;
  eyes: [EyeShape, EyeShape];
}

function mean(points: Point[]): Point {
  const sum = points.reduce((a, p) => ({ x: a.x + p.x, y: a.y + p.y }), { x: 0, y: 0 });
  return { x: sum.x / Math.max(1, points.length), y: sum.y / Math.max(1, points.length) };
}

function skinBelow(rgb: Uint8Array, width: number, height: number, x: number, y: number, r: number): [number, number, number] {
  const acc = [0, 0, 0];
  let n = 0;
  for (let yy = Math.round(y - r); yy <= Math.round(y + r); yy++) {
    for (let xx = Math.round(x - r); xx <= Math.round(x + r); xx++) {
      if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      const i = (yy * width + xx) * 3;
      acc[0] = (acc[0] ?? 0) + (rgb[i] ?? 0);
      acc[1] = (acc[1] ?? 0) + (rgb[i + 1] ?? 0);
      acc[2] = (acc[2] ?? 0) + (rgb[i + 2] ?? 0);
      n++;
    }
  }
  const d = Math.max(1, n);
  return [(acc[0] ?? 0) / d, (acc[1] ?? 0) / d, (acc[2] ?? 0) / d];
}

function eyeShape(points: Point[], rgb: Uint8Array, width: number, height: number): EyeShape {
  const c = mean(points);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const rx = ((Math.max(...xs) - Math.min(...xs)) / 2) * 1.35;
  const ry = Math.max(rx * 0.6, ((Math.max(...ys) - Math.min(...ys)) / 2) * 1.7);
  return { cx: c.x, cy: c.y, rx, ry, skin: skinBelow(rgb, width, height, c.x, c.y + ry * 1.9, Math.max(1, rx * 0.25)) };
}

export function faceGeometry(face: FaceLandmarks, rgb: Uint8Array, width: number, height: number): FaceGeometry {
  const inner = face.mouth.slice(12);
  const center = mean(inner);
  const left = face.mouth[0] ?? center;
  const right = face.mouth[6] ?? center;
  const mouthHalfWidth = Math.max(4, Math.abs(right.x - left.x) / 2);
  const chin = face.jaw[8] ?? { x: center.x, y: center.y + mouthHalfWidth * 2 };
  const jawL = face.jaw[0] ?? { x: center.x - mouthHalfWidth * 3, y: center.y };
  const jawR = face.jaw[16] ?? { x: center.x + mouthHalfWidth * 3, y: center.y };
  const chinY = Math.max(chin.y, center.y + mouthHalfWidth * 0.8);
  return {
    mouthX: center.x,
    mouthY: center.y,
    mouthHalfWidth,
    chinY,
    faceHalfWidth: Math.max(mouthHalfWidth * 1.5, Math.abs(jawR.x - jawL.x) / 2),
    // About a third of the mouth's width at most, and never past half the lip-to-chin distance.
    maxDrop: Math.min(mouthHalfWidth * 0.7, (chinY - center.y) * 0.5),
    eyes: [eyeShape(face.leftEye, rgb, width, height), eyeShape(face.rightEye, rgb, width, height)],
  };
}
