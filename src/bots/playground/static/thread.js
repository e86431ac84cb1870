// "Your videos": one exchange per job (what was sent, the bot's answer), updated from the API's
// answers and the live events. The job store is the truth; this only shows it.
import { createDeleteControl } from './delete.js';
import { $, api, clock, el } from './dom.js';

const RANK = { queued: 0, waiting: 1, rendering: 2, completed: 3, failed: 3, canceled: 3 };
const isRunning = (job) => job.phase === 'queued' || job.phase === 'waiting' || job.phase === 'rendering';

export function createThread(showError) {
  const els = { thread: $('thread'), empty: $('empty') };
  const jobs = new Map();
  const nodes = new Map();
  // What this page sent as typed text, by job id, until the server's answer carries it (spokenText).
  const typed = new Map();
  // Jobs deleted while this page is open: a late event or list must not bring one back.
  const gone = new Set();
  let clockOffset = 0;

  const serverNow = () => Date.now() + clockOffset;

  function statusWords(job) {
    switch (job.phase) {
      case 'queued':
        return job.queuePosition ? 'Queued (number ' + job.queuePosition + ' in line)' : 'Queued';
      case 'waiting':
        return 'Waiting at the avatar service…';
      case 'rendering':
        return 'Rendering…';
      case 'completed':
        return job.preview ? 'Done (preview: made offline by the built-in preview server)' : 'Done';
      case 'canceled':
        return 'Canceled';
      default:
        return 'Failed';
    }
  }
  function timingWords(job) {
    const now = serverNow();
    // Waiting in a queue (the bot's or the service's) has no ETA: only the time since asking.
    if (job.phase === 'queued' || job.phase === 'waiting') return 'elapsed ' + clock(now - job.createdAt);
    if (job.phase !== 'rendering') return '';
    // The rendering clock and the ETA count from when the service started rendering.
    let words = 'rendering for ' + clock(now - (job.renderStartedAt || job.createdAt));
    if (job.etaAt) {
      const left = job.etaAt - now;
      words += left > 1000 ? ' · about ' + clock(left) + ' left' : ' · any moment now';
    }
    return words;
  }
  function sentWords(job) {
    const seconds = job.audioSeconds ? job.audioSeconds.toFixed(1) + ' s' : '';
    const text = job.spokenText || typed.get(job.id);
    if (text) return 'Face + typed text (' + [text, seconds].filter(Boolean).join(', ') + ')';
    return 'Face + voice note' + (seconds ? ' (' + seconds + ')' : '');
  }
  function buildNode(job) {
    const li = el('li', 'job');
    li.dataset.jobId = job.id;
    const me = el('div', 'bubble me');
    const sent = el('div', '', sentWords(job));
    me.append(sent, el('div', 'when', new Date(job.createdAt).toLocaleString()));
    const bot = el('div', 'bubble bot');
    const status = el('div', 'status');
    const timing = el('div', 'small mono timing');
    const detail = el('div', 'small detail');
    const media = el('div', 'media');
    const actions = el('div', 'actions');
    const del = createDeleteControl(job.id, {
      running: () => isRunning(jobs.get(job.id) || job),
      onDeleted: upsert,
      onGone: () => drop(job.id),
      showError,
    });
    bot.append(status, timing, detail, media, actions, del.node);
    li.append(me, bot);
    return { li, sent, bot, status, timing, detail, media, actions, del, rendered: '' };
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
  function download(label, href, name) {
    const link = el('a', '', label);
    link.href = href;
    link.download = name;
    link.rel = 'noopener';
    return link;
  }
  // The finished video: this server's tagged copy when it keeps one (else the service's link),
  // its captions as a <track>, the transcript, the notes, the AI label and the downloads.
  function renderResult(node, job) {
    const name = 'talking-avatar-' + job.id;
    const video = el('video');
    video.controls = true;
    video.playsInline = true;
    video.preload = 'metadata';
    video.src = job.videoUrl || job.fileUrl;
    if (job.captions) {
      const track = el('track');
      track.kind = 'captions';
      track.label = 'Captions';
      track.default = true;
      track.src = job.captions.vtt;
      video.append(track);
    }
    node.media.append(video);
    if (job.aiLabel) node.media.append(el('div', 'small muted ai-label', job.aiLabel));
    if (job.transcript) {
      const said = el('blockquote', 'small transcript', job.transcript.excerpt);
      node.media.append(said);
      if (job.transcript.full !== job.transcript.excerpt) {
        const more = el('details', 'small transcript-more');
        more.append(el('summary', '', 'Whole transcript'), el('div', 'transcript-full', job.transcript.full));
        node.media.append(more);
      }
    }
    for (const note of job.notes || []) node.media.append(el('div', 'small muted handover-note', note));
    node.actions.append(download('Download the video', job.videoUrl || job.fileUrl, name + '.mp4'));
    if (job.captions) {
      node.actions.append(download('Captions (WebVTT)', job.captions.vtt, name + '.vtt'));
      node.actions.append(download('Captions (SRT)', job.captions.srt, name + '.srt'));
    }
  }
  function renderJob(job) {
    let node = nodes.get(job.id);
    if (!node) {
      node = buildNode(job);
      nodes.set(job.id, node);
    }
    node.status.textContent = statusWords(job);
    node.timing.textContent = timingWords(job);
    node.bot.classList.toggle('failed', job.phase === 'failed');
    node.detail.textContent = job.error && job.phase !== 'completed' && job.phase !== 'canceled' ? job.error.message : '';
    node.del.refresh();
    // Rebuild media and buttons only when what they depend on changes (keeps the video playing).
    const key = [job.phase, job.fileUrl || '', job.videoUrl || '', job.captions ? job.captions.vtt : ''].join('|');
    if (node.rendered === key) return;
    node.rendered = key;
    node.media.replaceChildren();
    node.actions.replaceChildren();
    if (job.phase === 'completed' && job.fileUrl) {
      renderResult(node, job);
    } else if (isRunning(job)) {
      node.actions.append(actionButton('Cancel', '/api/jobs/' + encodeURIComponent(job.id) + '/cancel'));
    } else if (job.phase === 'failed' && job.error && job.error.retryable) {
      node.actions.append(actionButton('Retry', '/api/jobs/' + encodeURIComponent(job.id) + '/retry'));
    }
  }
  function render() {
    const sorted = [...jobs.values()].sort((a, b) => a.createdAt - b.createdAt);
    for (const job of sorted) renderJob(job);
    const ordered = sorted.map((j) => nodes.get(j.id).li);
    // Append in order; appendChild moves existing nodes without recreating them. A pending
    // exchange (speech still being made) stays last: it is the newest.
    ordered.forEach((li, i) => {
      if (li.parentNode !== els.thread || li !== els.thread.children[i]) els.thread.insertBefore(li, els.thread.children[i] || null);
    });
    els.empty.hidden = els.thread.children.length > 0;
  }
  /** Takes a deleted job off the page (its files are gone: nothing of it is shown). */
  function drop(id) {
    gone.add(id);
    jobs.delete(id);
    typed.delete(id);
    const node = nodes.get(id);
    nodes.delete(id);
    if (node) node.li.remove();
    els.empty.hidden = els.thread.children.length > 0;
  }
  function upsert(job) {
    if (!job || typeof job.id !== 'string') return;
    if (typeof job.serverNow === 'number') clockOffset = job.serverNow - Date.now();
    if (job.discardedAt || gone.has(job.id)) return drop(job.id);
    const prev = jobs.get(job.id);
    // Events and answers can cross: never step a job back from a later phase.
    if (prev && RANK[prev.phase] > RANK[job.phase]) return;
    jobs.set(job.id, job);
    render();
  }
  async function load() {
    try {
      const data = await api('GET', '/api/jobs');
      for (const job of data.jobs) {
        if (gone.has(job.id)) continue;
        const prev = jobs.get(job.id);
        if (!prev || RANK[prev.phase] <= RANK[job.phase]) jobs.set(job.id, job);
        if (typeof job.serverNow === 'number') clockOffset = job.serverNow - Date.now();
      }
      render();
    } catch (err) {
      showError(err.message);
    }
  }

  /**
   * An exchange shown while the request that creates a job is still out (typed text: the service
   * speaks it first, a few seconds). Ends when the job arrives (it takes the typed words with it)
   * or the request is refused.
   */
  function pending(sent, statusText) {
    const li = el('li', 'job pending');
    const me = el('div', 'bubble me');
    me.append(el('div', '', 'Face + typed text (' + sent + ')'));
    const bot = el('div', 'bubble bot');
    bot.append(el('div', 'status', statusText));
    li.append(me, bot);
    els.thread.append(li);
    els.empty.hidden = true;
    return {
      created(job) {
        li.remove();
        if (job && typeof job.id === 'string') {
          typed.set(job.id, sent);
          // Its live event may have come first and shown it as a voice note.
          const node = nodes.get(job.id);
          if (node) node.sent.textContent = sentWords(job);
        }
        upsert(job);
      },
      failed() {
        li.remove();
        els.empty.hidden = els.thread.children.length > 0;
      },
    };
  }

  function clear() {
    jobs.clear();
    nodes.clear();
    typed.clear();
    els.thread.replaceChildren();
    els.empty.hidden = false;
  }

  setInterval(() => {
    for (const job of jobs.values()) {
      if (isRunning(job)) {
        const node = nodes.get(job.id);
        if (node) node.timing.textContent = timingWords(job);
      }
    }
  }, 1000);

  return { upsert, load, pending, clear };
}
