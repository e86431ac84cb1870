// The "Type it" tab: the text with its live character count against the limit, and the voice
// picker (saved per browser on change, with a sample to play).
import { $, api, count, el } from './dom.js';

/** Counted as the server counts: whitespace runs are one space, ends trimmed, characters not UTF-16 units. */
function charsOf(text) {
  return [...text.replace(/\s+/gu, ' ').trim()].length;
}

export function createTyping(onLimitChange) {
  const els = {
    text: $('text-input'),
    counter: $('text-count'),
    warning: $('text-warning'),
    select: $('voice-select'),
    description: $('voice-desc'),
    note: $('voice-note'),
    sampleBtn: $('sample-btn'),
    sample: $('sample-audio'),
    status: $('voice-status'),
  };
  const state = { limit: null, voices: [], words: { makingVoice: 'Making the voice from your text…' } };
  let saving = Promise.resolve();
  let saves = 0;
  let loaded = null;

  function tooLong() {
    return state.limit !== null && charsOf(els.text.value) > state.limit;
  }
  function updateCounter() {
    const chars = charsOf(els.text.value);
    const over = tooLong();
    els.counter.textContent = state.limit === null ? count(chars) : count(chars) + ' / ' + count(state.limit);
    els.counter.classList.toggle('over', over);
    const warning = over
      ? 'That text is ' + count(chars) + ' characters long; the limit is ' + count(state.limit) + '. Shorten it to create the video.'
      : '';
    // Only a change is written, so the live region speaks once when the limit is crossed.
    if (els.warning.textContent !== warning) els.warning.textContent = warning;
    onLimitChange();
  }
  els.text.addEventListener('input', updateCounter);

  function voiceById(id) {
    return state.voices.find((v) => v.id === id) || null;
  }
  function showVoice() {
    const voice = voiceById(els.select.value);
    els.description.textContent = voice ? voice.description : '';
    els.sampleBtn.disabled = !voice || !voice.hasSample;
    els.sampleBtn.title = voice && !voice.hasSample ? 'This voice has no sample.' : '';
  }
  function say(message, bad) {
    els.status.textContent = message;
    els.status.classList.toggle('error', Boolean(bad));
  }

  async function loadVoices() {
    try {
      const data = await api('GET', '/api/voices');
      state.voices = data.voices;
      state.limit = data.textChars;
      if (data.words && data.words.makingVoice) state.words.makingVoice = data.words.makingVoice;
      els.select.replaceChildren(...data.voices.map((v) => {
        const option = el('option', '', v.label);
        option.value = v.id;
        return option;
      }));
      if (data.current) els.select.value = data.current;
      els.select.disabled = data.voices.length === 0;
      els.note.textContent = data.previewNote || '';
      els.note.hidden = !data.previewNote;
      say('');
    } catch (err) {
      els.select.replaceChildren(el('option', '', 'No voices'));
      els.select.disabled = true;
      say(err.message, true);
    }
    showVoice();
    updateCounter();
  }

  // Choosing a voice saves it, one save at a time, so the last choice is the one kept.
  els.select.addEventListener('change', () => {
    const id = els.select.value;
    const mine = ++saves;
    showVoice();
    saving = saving.then(async () => {
      try {
        const data = await api('PUT', '/api/voice', JSON.stringify({ voice: id }), { 'Content-Type': 'application/json' });
        if (mine === saves) say(data.message);
      } catch (err) {
        if (mine === saves) say(err.message, true);
      }
    });
  });

  els.sampleBtn.addEventListener('click', () => {
    const id = els.select.value;
    if (!voiceById(id)) return;
    const src = '/api/voices/' + encodeURIComponent(id) + '/sample';
    if (els.sample.getAttribute('src') !== src) els.sample.src = src;
    els.sample.hidden = false;
    els.sample.play().catch(() => say('The sample could not be played.', true));
  });
  els.sample.addEventListener('error', () => say('The sample could not be loaded. Try again in a moment.', true));

  return {
    /** Loads the voices the first time the tab opens: people who only send voice notes never ask the service for them. */
    open() {
      loaded = loaded || loadVoices();
      return loaded;
    },
    /** Loads them again if they were loaded (after "Forget me", the saved voice is gone). */
    reload() {
      if (loaded) loaded = loadVoices();
    },
    /** The text as typed, and the chosen voice (or '' to let the server choose). */
    text: () => els.text.value,
    voiceId: () => (els.select.disabled ? '' : els.select.value),
    voiceName: () => {
      const voice = voiceById(els.select.value);
      return voice ? voice.name : '';
    },
    tooLong,
    isEmpty: () => charsOf(els.text.value) === 0,
    words: () => state.words,
    /** The limit as /api/info gives it, so the counter works even when the voice list does not load. */
    setLimit(limit) {
      if (state.limit === null) state.limit = limit;
      updateCounter();
    },
  };
}
