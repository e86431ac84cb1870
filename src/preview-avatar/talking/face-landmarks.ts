/**
 * Finds one face and its 68 landmarks with @vladmandic/face-api: its tiny face detector and
 * 68-point landmark net ship inside the npm package (model/), and it runs on TensorFlow.js's
 * WebAssembly backend (the .wasm ships inside @tensorflow/tfjs-backend-wasm): nothing is
 * downloaded at install or run time and nothing native is built. Runs in the render child
 * process only (loading TensorFlow.js costs ~300 MB, which the bot's process must not carry).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Point {
  x: number;
  y: number;
}

/** The landmarks the animation needs, in the image's pixels (68-point iBUG layout). */
export interface FaceLandmarks {
  score: number;
  /** Points 0-16: the jaw line, ear to ear through the chin (8). */
  jaw: Point[];
  /** Points 36-41 (the eye on the image's left) and 42-47. */
  leftEye: Point[];
  rightEye: Point[];
  /** Points 48-67: outer lip contour (48-59), inner (60-67). */
  mouth: Point[];
}

interface Tensor {
  dispose(): void;
}
interface WeightSpec {
  name: string;
}
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): Tensor;
    io: { decodeWeights(buffer: ArrayBuffer, specs: WeightSpec[]): Record<string, Tensor> };
  };
  nets: Record<'tinyFaceDetector' | 'faceLandmark68Net', { loadFromWeightMap(map: Record<string, Tensor>): void }>;
  TinyFaceDetectorOptions: new (opts: { inputSize: number; scoreThreshold: number }) => unknown;
  detectSingleFace(
    input: Tensor,
    options: unknown,
  ): { withFaceLandmarks(): Promise<{ detection: { score: number }; landmarks: { positions: Point[] } } | undefined> };
}

/** Below this the detector's guess is more often a texture than a face. */
const MIN_SCORE = 0.35;
const require = createRequire(import.meta.url);

function loadNet(faceapi: FaceApi, modelDir: string, net: 'tinyFaceDetector' | 'faceLandmark68Net', file: string): void {
  const manifest = JSON.parse(readFileSync(join(modelDir, `${file}-weights_manifest.json`), 'utf8')) as Array<{
    paths: string[];
    weights: WeightSpec[];
  }>;
  const bytes = Buffer.concat(manifest.flatMap((group) => group.paths.map((p) => readFileSync(join(modelDir, p)))));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  faceapi.nets[net].loadFromWeightMap(
    faceapi.tf.io.decodeWeights(
      buffer,
      manifest.flatMap((group) => group.weights),
    ),
  );
}

export type FindFace = (rgb: Uint8Array, width: number, height: number) => Promise<FaceLandmarks | null>;

/** Loads the backend and both nets (once per process); throws when the packages are missing. */
export async function loadFaceFinder(): Promise<FindFace> {
  // The node-wasm build: the package's default Node entry wants @tensorflow/tfjs-node, whose
  // install downloads a native library.
  // face-api requires these two without declaring them: resolve them first for a clear error.
  require.resolve('@tensorflow/tfjs');
  require.resolve('@tensorflow/tfjs-backend-wasm');
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  loadNet(faceapi, modelDir, 'tinyFaceDetector', 'tiny_face_detector_model');
  loadNet(faceapi, modelDir, 'faceLandmark68Net', 'face_landmark_68_model');
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: MIN_SCORE });
  return async (rgb, width, height) => {
    const input = faceapi.tf.tensor3d(rgb, [height, width, 3], 'int32');
    try {
      const found = await faceapi.detectSingleFace(input, options).withFaceLandmarks();
      if (found === undefined || found.detection.score < MIN_SCORE) return null;
      const pts = found.landmarks.positions.map((p) => ({ x: p.x, y: p.y }));
      if (pts.length < 68) return null;
      return {
        score: found.detection.score,
        jaw: pts.slice(0, 17),
        leftEye: pts.slice(36, 42),
        rightEye: pts.slice(42, 48),
        mouth: pts.slice(48, 68),
      };
    } finally {
      input.dispose();
    }
  };
}
