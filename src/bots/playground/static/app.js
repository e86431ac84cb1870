// The playground page. Plain browser JavaScript modules, no build step. Everything user-supplied
// or server-supplied is shown with textContent / attributes, never as HTML.
import { $, api, count } from './dom.js';
import { createTabs } from './tabs.js';
import { createThread } from './thread.js';
import { createTyping } from './typing.js';
import { createVoiceNote } from './voice-note.js';

const els = {
  banner: $('preview-banner'),
  form: $('create-form'),
  drop: $('drop-zone'),
  imageInput: $('image-input'),
  imagePreview: $('image-preview'),
  imageName: $('image-name'),
  dropHint: $('drop-hint'),
  formError: $('form-error'),
  createBtn: $('create-btn'),
  limits: $('limits'),
  conn: $('conn'),
  forgetBtn: $('forget-btn'),
  forgetResult: $('forget-result'),
  consentRow: $('consent-row'),
  consentInput: $('consent-input'),
  consentLabel: $('consent-label'),
  consentError: $('consent-error'),
};
const state = { image: null, limits: null, busy: false, consentMode: 'off' };

// ---------- consent (FACE_CONSENT) ----------
/** Shows the "this is my face" box (unticked), with the server's words next to it when given. */
function askConsent(message) {
  els.consentRow.hidden = false;
  els.consentError.textContent = message || '';
  els.consentError.hidden = !message;
  if (message) els.consentInput.focus();
}
/** After a video started: `once` remembers the answer (the box goes), `every` asks again. */
function consentUsed() {
  els.consentInput.checked = false;
  els.consentError.hidden = true;
  if (state.consentMode !== 'every') els.consentRow.hidden = true;
}
els.consentInput.addEventListener('change', () => {
  if (els.consentInput.checked) els.consentError.hidden = true;
});

function showError(message) {
  els.formError.textContent = message;
  els.formError.hidden = !message;
}

const voiceNote = createVoiceNote(showError);
const thread = createThread(showError);
const typing = createTyping(updateSubmit);
const tabs = createTabs($('speech-tabs'), (mode) => {
  showError('');
  if (mode === 'type') typing.open();
  updateSubmit();
});

/** Create is off while a request is out, and for typed text over the limit (the warning says why). */
function updateSubmit() {
  const blocked = tabs.mode === 'type' && typing.tooLong();
  els.createBtn.disabled = state.busy || blocked;
  if (blocked) els.createBtn.setAttribute('aria-describedby', 'text-warning');
  else els.createBtn.removeAttribute('aria-describedby');
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
    els.limits.textContent =
      'Limits: image up to ' + info.limitWords.imageBytes + ', voice note up to ' + info.limitWords.audioBytes + ' and ' + Math.round(l.audioSeconds) +
      ' seconds, typed text up to ' + count(l.textChars) + ' characters.';
    typing.setLimit(l.textChars);
    if (info.consent) {
      state.consentMode = info.consent.mode;
      els.consentLabel.textContent = info.consent.label;
      if (info.consent.needed) askConsent('');
    }
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

// ---------- create ----------
/** The form for the chosen tab, or the words saying what is missing. */
function speechForm() {
  const form = new FormData();
  form.append('image', state.image, state.image.name || 'face');
  if (tabs.mode === 'type') {
    if (typing.isEmpty()) return 'Type what the face should say.';
    if (typing.tooLong()) return 'The text is over the limit: shorten it first.';
    form.append('text', typing.text());
    if (typing.voiceId()) form.append('voice', typing.voiceId());
    return form;
  }
  if (!voiceNote.audio) return 'Please record or choose a voice note.';
  // The server checks too; this just saves uploading a file that would be refused.
  const l = state.limits;
  if (l && voiceNote.audio.size > l.audioBytes) return 'The audio file is over the limit of ' + l.words.audioBytes + '.';
  form.append('audio', voiceNote.audio, voiceNote.name);
  return form;
}
function typedSummary() {
  const text = typing.text().replace(/\s+/g, ' ').trim();
  const short = text.length > 60 ? text.slice(0, 59) + '…' : text;
  const voice = typing.voiceName();
  return '“' + short + '”' + (voice ? ', voice ' + voice : '');
}

els.form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (state.busy) return;
  if (!state.image) return showError('Please choose a face image.');
  const l = state.limits;
  if (l && state.image.size > l.imageBytes) return showError('The image is over the limit of ' + l.words.imageBytes + '.');
  const form = speechForm();
  if (typeof form === 'string') return showError(form);
  if (!els.consentRow.hidden && els.consentInput.checked) form.append('faceConsent', 'yes');
  showError('');
  const typed = tabs.mode === 'type';
  // Typed text takes a few seconds longer: the service speaks it before the job exists.
  const pending = typed ? thread.pending(typedSummary(), typing.words().makingVoice) : null;
  state.busy = true;
  updateSubmit();
  els.createBtn.textContent = typed ? typing.words().makingVoice : 'Uploading…';
  try {
    const data = await api('POST', '/api/jobs', form);
    if (pending) pending.created(data.job);
    else thread.upsert(data.job);
    if (!els.consentRow.hidden) consentUsed();
  } catch (err) {
    if (pending) pending.failed();
    // Nothing was sent: the words go next to the box to tick, and the form keeps everything.
    if (err.code === 'CONSENT_NEEDED') askConsent(err.message);
    else showError(err.message);
  } finally {
    state.busy = false;
    updateSubmit();
    els.createBtn.textContent = 'Create video';
  }
});

// ---------- forget me ----------
els.forgetBtn.addEventListener('click', async () => {
  if (!window.confirm('Delete your saved face, your chosen voice, all your videos and their files? Videos still being made are canceled.')) return;
  els.forgetBtn.disabled = true;
  showError('');
  try {
    const data = await api('POST', '/api/forget');
    thread.clear();
    els.forgetResult.textContent = data.message;
    els.forgetResult.hidden = false;
    // The saved voice is gone too: the picker shows the one typed text now gets.
    typing.reload();
    // So is the consent: the box is back.
    if (state.consentMode !== 'off') askConsent('');
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
    thread.load();
  });
  source.addEventListener('job', (e) => {
    try {
      thread.upsert(JSON.parse(e.data));
    } catch (_) {
      /* a malformed event: ignore it */
    }
  });
  source.addEventListener('error', () => {
    els.conn.textContent = '· reconnecting…';
  });
}

loadInfo();
thread.load();
connect();
