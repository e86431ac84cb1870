// The playground page. Plain browser JavaScript, no build step. Everything user-supplied or
// server-supplied is shown with textContent / attributes, never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const els = {
    banner: $('preview-banner'),
    form: $('create-form'),
    drop: $('drop-zone'),
    imageInput: $('image-input'),
    imagePreview: $('image-preview'),
    imageName: $('image-name'),
    dropHint: $('drop-hint'),
    recordBtn: $('record-btn'),
    stopBtn: $('stop-btn'),
    level: $('level'),
    recTime: $('rec-time'),
    audioInput: $('audio-input'),
    audioPreview: $('audio-preview'),
    audioName: $('audio-name'),
    formError: $('form-error'),
    createBtn: $('create-btn'),
    limits: $('limits'),
    thread: $('thread'),
    empty: $('empty'),
    conn: $('conn'),
    forgetBtn: $('forget-btn'),
    forgetResult: $('forget-result'),
  };

  /** @type {{image: File|null, audio: Blob|null, audioName: string, jobs: Map<string, any>, nodes: Map<string, any>, clockOffset: number}} */
  const state = { image: null, audio: null, audioName: 'voice-note', jobs: new Map(), nodes: new Map(), clockOffset: 0, limits: null };

  // ---------- helpers ----------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function showError(message) {
    els.formError.textContent = message;
    els.formError.hidden = !message;
  }
  function clock(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }
  function serverNow() {
    return Date.now() + state.clockOffset;
  }
  async function api(method, path, body) {
    const res = await fetch(path, { method, body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      const message = data && data.error && typeof data.error.message === 'string' ? data.error.message : 'Something went wrong (' + res.status + '). Please try again.';
      throw new Error(message);
    }
    return data;
  }

  // ---------- info ----------
  async function loadInfo() {
    try {
      const info = await api('GET', '/api/info');
      if (info.preview && info.previewNote) {
        els.banner.textContent = info.previewNote;
        els.banner.hidden = false;
      }
      const l = info.limits;
      // Sizes in words come from the server, which words them as every other answer does.
      state.limits = { ...l, words: info.limitWords };
      els.limits.textContent = 'Limits: image up to ' + info.limitWords.imageBytes + ', voice note up to ' + info.limitWords.audioBytes + ' and ' + Math.round(l.audioSeconds) + ' seconds.';
    } catch (err) {
      showError(err.message);
    }
  }

  // ---------- the face ----------
  function setImage(file) {
    if (!file) return;
    state.image = file;
    if (els.imagePreview.src) URL.revokeObjectURL(els.imagePreview.src);
    els.imagePreview.src = URL.createObjectURL(file);
    els.imagePreview.hidden = false;
    els.dropHint.textContent = 'Click or drop to change';
    els.imageName.textContent = file.name;
    els.imageName.hidden = false;
    showError('');
  }
  els.imageInput.addEventListener('change', () => setImage(els.imageInput.files && els.imageInput.files[0]));
  ['dragenter', 'dragover'].forEach((t) =>
    els.drop.addEventListener(t, (e) => {
      e.preventDefault();
      els.drop.classList.add('over');
    }),
  );
  ['dragleave', 'drop'].forEach((t) => els.drop.addEventListener(t, () => els.drop.classList.remove('over')));
  els.drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) setImage(file);
  });

  // ---------- the voice note ----------
  function setAudio(blob, name, recorded) {
    state.audio = blob;
    state.audioName = name;
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

  // ---------- create ----------
  els.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!state.image) return showError('Please choose a face image.');
    if (!state.audio) return showError('Please record or choose a voice note.');
    // The server checks too; this just saves uploading a file that would be refused.
    const l = state.limits;
    if (l && state.image.size > l.imageBytes) return showError('The image is over the limit of ' + l.words.imageBytes + '.');
    if (l && state.audio.size > l.audioBytes) return showError('The audio file is over the limit of ' + l.words.audioBytes + '.');
    showError('');
    const form = new FormData();
    form.append('image', state.image, state.image.name || 'face');
    form.append('audio', state.audio, state.audioName);
    els.createBtn.disabled = true;
    els.createBtn.textContent = 'Uploading…';
    try {
      const data = await api('POST', '/api/jobs', form);
      upsert(data.job);
    } catch (err) {
      showError(err.message);
    } finally {
      els.createBtn.disabled = false;
      els.createBtn.textContent = 'Create video';
    }
  });

  // ---------- the thread ----------
  function statusWords(job) {
    switch (job.phase) {
      case 'queued':
        return job.queuePosition ? 'Queued (number ' + job.queuePosition + ' in line)' : 'Queued';
      case 'rendering':
        return 'Rendering…';
      case 'completed':
        return job.preview ? 'Done (preview: still image, no lip sync)' : 'Done';
      case 'canceled':
        return 'Canceled';
      default:
        return 'Failed';
    }
  }
  function timingWords(job) {
    if (job.phase !== 'queued' && job.phase !== 'rendering') return '';
    const now = serverNow();
    let words = 'elapsed ' + clock(now - job.createdAt);
    if (job.etaAt) {
      const left = job.etaAt - now;
      words += left > 1000 ? ' · about ' + clock(left) + ' left' : ' · any moment now';
    }
    return words;
  }
  function buildNode(job) {
    const li = el('li', 'job');
    li.dataset.jobId = job.id;
    const me = el('div', 'bubble me');
    me.append(el('div', '', 'Face + voice note' + (job.audioSeconds ? ' (' + job.audioSeconds.toFixed(1) + ' s)' : '')));
    me.append(el('div', 'when', new Date(job.createdAt).toLocaleString()));
    const bot = el('div', 'bubble bot');
    const status = el('div', 'status');
    const timing = el('div', 'small mono timing');
    const detail = el('div', 'small detail');
    const media = el('div', 'media');
    const actions = el('div', 'actions');
    bot.append(status, timing, detail, media, actions);
    li.append(me, bot);
    return { li, bot, status, timing, detail, media, actions, rendered: '' };
  }
  function actionButton(label, path) {
    const b = el('button', 'secondary', label);
    b.type = 'button';
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const data = await api('POST', path);
        upsert(data.job);
      } catch (err) {
        showError(err.message);
        b.disabled = false;
      }
    });
    return b;
  }
  function renderJob(job) {
    let node = state.nodes.get(job.id);
    if (!node) {
      node = buildNode(job);
      state.nodes.set(job.id, node);
    }
    node.status.textContent = statusWords(job);
    node.timing.textContent = timingWords(job);
    node.bot.classList.toggle('failed', job.phase === 'failed');
    node.detail.textContent = job.error && job.phase !== 'completed' && job.phase !== 'canceled' ? job.error.message : '';
    // Rebuild media and buttons only when what they depend on changes (keeps the video playing).
    const key = job.phase + '|' + (job.fileUrl || '');
    if (node.rendered === key) return;
    node.rendered = key;
    node.media.replaceChildren();
    node.actions.replaceChildren();
    if (job.phase === 'completed' && job.fileUrl) {
      const video = el('video');
      video.controls = true;
      video.playsInline = true;
      video.preload = 'metadata';
      video.src = job.fileUrl;
      node.media.append(video);
      const link = el('a', '', 'Download the video');
      link.href = job.fileUrl;
      link.download = 'talking-avatar-' + job.id + '.mp4';
      link.rel = 'noopener';
      link.target = '_blank';
      node.actions.append(link);
    } else if (job.phase === 'queued' || job.phase === 'rendering') {
      node.actions.append(actionButton('Cancel', '/api/jobs/' + encodeURIComponent(job.id) + '/cancel'));
    } else if (job.phase === 'failed' && job.error && job.error.retryable) {
      node.actions.append(actionButton('Retry', '/api/jobs/' + encodeURIComponent(job.id) + '/retry'));
    }
  }
  function renderThread() {
    const jobs = [...state.jobs.values()].sort((a, b) => a.createdAt - b.createdAt);
    for (const job of jobs) renderJob(job);
    const ordered = jobs.map((j) => state.nodes.get(j.id).li);
    // Append in order; appendChild moves existing nodes without recreating them.
    ordered.forEach((li) => {
      if (li.parentNode !== els.thread || li !== els.thread.children[ordered.indexOf(li)]) els.thread.appendChild(li);
    });
    els.empty.hidden = jobs.length > 0;
  }
  const RANK = { queued: 0, rendering: 1, completed: 2, failed: 2, canceled: 2 };
  function upsert(job) {
    if (!job || typeof job.id !== 'string') return;
    if (typeof job.serverNow === 'number') state.clockOffset = job.serverNow - Date.now();
    const prev = state.jobs.get(job.id);
    // Events and answers can cross: never step a job back from a later phase.
    if (prev && RANK[prev.phase] > RANK[job.phase]) return;
    state.jobs.set(job.id, job);
    renderThread();
  }
  async function loadJobs() {
    try {
      const data = await api('GET', '/api/jobs');
      for (const job of data.jobs) {
        const prev = state.jobs.get(job.id);
        if (!prev || RANK[prev.phase] <= RANK[job.phase]) state.jobs.set(job.id, job);
        if (typeof job.serverNow === 'number') state.clockOffset = job.serverNow - Date.now();
      }
      renderThread();
    } catch (err) {
      showError(err.message);
    }
  }

  // ---------- forget me ----------
  els.forgetBtn.addEventListener('click', async () => {
    if (!window.confirm('Delete your saved face, all your videos and their files? Videos still being made are canceled.')) return;
    els.forgetBtn.disabled = true;
    showError('');
    try {
      const data = await api('POST', '/api/forget');
      state.jobs.clear();
      state.nodes.clear();
      els.thread.replaceChildren();
      els.empty.hidden = false;
      els.forgetResult.textContent = data.message;
      els.forgetResult.hidden = false;
    } catch (err) {
      showError(err.message);
    } finally {
      els.forgetBtn.disabled = false;
    }
  });

  // ---------- live updates ----------
  function connect() {
    const source = new EventSource('/api/jobs/events');
    source.addEventListener('open', () => {
      els.conn.textContent = '· live';
      // After a (re)connect, events may have been missed: the store is the truth.
      loadJobs();
    });
    source.addEventListener('job', (e) => {
      try {
        upsert(JSON.parse(e.data));
      } catch (_) {
        /* a malformed event: ignore it */
      }
    });
    source.addEventListener('error', () => {
      els.conn.textContent = '· reconnecting…';
    });
  }

  setInterval(() => {
    for (const job of state.jobs.values()) {
      if (job.phase === 'queued' || job.phase === 'rendering') {
        const node = state.nodes.get(job.id);
        if (node) node.timing.textContent = timingWords(job);
      }
    }
  }, 1000);

  loadInfo();
  loadJobs();
  connect();
})();
