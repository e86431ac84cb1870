/** The few parts of webvtt-parser (CommonJS, no types of its own) the caption tests use. */
declare module 'webvtt-parser' {
  interface ParsedCue {
    id: string;
    startTime: number;
    endTime: number;
    text: string;
  }
  interface ParseError {
    message: string;
    line: number;
  }
  class WebVTTParser {
    parse(text: string, mode?: 'metadata' | 'chapters'): { cues: ParsedCue[]; errors: ParseError[] };
  }
  const webvtt: { WebVTTParser: typeof WebVTTParser };
  export default webvtt;
}
