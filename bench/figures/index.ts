/** The figures by number; each runs in its own process (see run.ts). */
import type { FigureResult } from '../lib/result.js';

export const FIGURES: Record<number, { name: string; load: () => Promise<() => Promise<FigureResult>> }> = {
  1: { name: 'ack time under load', load: async () => (await import('./ack.js')).runAckFigure },
  2: { name: 'media preparation', load: async () => (await import('./media.js')).runMediaFigure },
  3: { name: 'video ready to answer', load: async () => (await import('./answer.js')).runAnswerFigure },
  4: { name: 'scale in one process', load: async () => (await import('./scale.js')).runScaleFigure },
  5: { name: 'memory per submission', load: async () => (await import('./memory.js')).runMemoryFigure },
  6: { name: 'scale-out on Redis', load: async () => (await import('./replicas.js')).runReplicasFigure },
  7: { name: 'typed text to submit', load: async () => (await import('./typed.js')).runTypedFigure },
  8: { name: 'preview render speed', load: async () => (await import('./preview-render.js')).runPreviewRenderFigure },
  9: { name: 'burning captions', load: async () => (await import('./burn.js')).runBurnFigure },
};
