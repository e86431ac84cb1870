// The "Voice note" tab: record in the browser (with a level meter) or choose an audio file.
import { $, clock } from './dom.js';

export function createVoiceNote(showError) {
  const els = {
    recordBtn: $('record-btn'),
    stopBtn: $('stop-btn'),
    level: $('level'),
    recTime: $('rec-time'),
    audioInput: $('audio-input'),
    audioPreview: $('audio-preview'),
    audioName: $('audio-name'),
  };
  const note = { audio: null, name: 'voice-note' };

  function setAudio(blob, name, recorded) {
    note.audio = blob;
    note.name = name;
    if (els.audioPreview.src) URL.revokeObjectURL(els.audioPreview.src);
    els.audioPreview.src = URL.createObjectURL(blob);
    els.audioPreview.hidden = false;
    // A picked file already shows its name in the file input.
    els.audioName.textContent = recorded ? 'Recorded: ' + name : '';
    els.audioName.hidden = !recorded;
    showError('');
  }
  els.audioInput.addEventListener('change', () => {
    const file = els.audioInput.files && els.audioInput.files[0];
    if (file) setAudio(file, file.name, false);
  });

  let recording = null;
  function pickMime() {
    const options = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/webm', 'audio/mp4'];
    if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported) return '';
    return options.find((t) => MediaRecorder.isTypeSupported(t)) || '';
  }
  async function startRecording() {
    if (!navigator.mediaDevices || typeof MediaRecorder === 'undefined') {
      showError('This browser cannot record audio here. Choose an audio file instead.');
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (_) {
      showError('The microphone is not available (permission refused?). Choose an audio file instead.');
      return;
    }
    const mimeType = pickMime();
    const recorder = mimeType ? new MediaRecorder(stream, { mimeType }) : new MediaRecorder(stream);
    const chunks = [];
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const started = performance.now();
    let frame = 0;
    const meter = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
      // RMS, scaled so ordinary speech fills the meter.
      els.level.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      els.recTime.textContent = clock(performance.now() - started);
      frame = requestAnimationFrame(meter);
    };
    recorder.addEventListener('dataavailable', (e) => {
      if (e.data && e.data.size > 0) chunks.push(e.data);
    });
    recorder.addEventListener('stop', () => {
      cancelAnimationFrame(frame);
      stream.getTracks().forEach((t) => t.stop());
      ctx.close();
      els.level.value = 0;
      const type = recorder.mimeType || mimeType || 'audio/webm';
      const ext = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
      setAudio(new Blob(chunks, { type }), 'voice-note.' + ext, true);
      els.audioInput.value = '';
    });
    recorder.start(250);
    recording = recorder;
    meter();
    els.recordBtn.disabled = true;
    els.recordBtn.classList.add('recording');
    els.recordBtn.textContent = 'Recording…';
    els.stopBtn.disabled = false;
  }
  function stopRecording() {
    if (recording && recording.state !== 'inactive') recording.stop();
    recording = null;
    els.recordBtn.disabled = false;
    els.recordBtn.classList.remove('recording');
    els.recordBtn.textContent = 'Record';
    els.stopBtn.disabled = true;
  }
  els.recordBtn.addEventListener('click', startRecording);
  els.stopBtn.addEventListener('click', stopRecording);

  return note;
}
