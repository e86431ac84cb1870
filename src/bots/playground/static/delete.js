// "Delete" beside each video: an inline question ("Delete this video? Yes / No"; for a video
// still being made, "Cancel it and delete it?"), never window.confirm, so the question stays
// beside the video it is about. The server's answer (the job with discardedAt) removes it.
import { api, el } from './dom.js';

/**
 * `running()` says whether the job is still being made (asked when the question opens, and again
 * on each render while it is open); `onDeleted(job)` gets the server's answer; `onGone()` is
 * called when the server no longer has the job (deleted in another tab, or forgotten).
 */
export function createDeleteControl(jobId, { running, onDeleted, onGone, showError }) {
  const box = el('div', 'delete');
  const ask = el('button', 'secondary delete-btn', 'Delete');
  ask.type = 'button';
  const confirm = el('span', 'delete-confirm');
  confirm.setAttribute('role', 'group');
  confirm.hidden = true;
  const question = el('span', 'delete-question');
  const yes = el('button', 'danger delete-yes', 'Yes');
  const no = el('button', 'secondary delete-no', 'No');
  yes.type = 'button';
  no.type = 'button';
  confirm.append(question, yes, no);
  box.append(ask, confirm);

  function setQuestion() {
    question.textContent = running() ? 'Cancel it and delete it?' : 'Delete this video?';
    confirm.setAttribute('aria-label', question.textContent);
  }
  function close() {
    confirm.hidden = true;
    ask.hidden = false;
    ask.focus();
  }
  ask.addEventListener('click', () => {
    setQuestion();
    ask.hidden = true;
    confirm.hidden = false;
    no.focus();
  });
  no.addEventListener('click', close);
  confirm.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      const data = await api('DELETE', '/api/jobs/' + encodeURIComponent(jobId));
      onDeleted(data.job);
    } catch (err) {
      showError(err.message);
      if (err.code === 'NOT_FOUND') return onGone();
      yes.disabled = false;
      no.disabled = false;
    }
  });

  return {
    node: box,
    /** Keeps an open question true to the job (a video that finishes meanwhile is no longer canceled). */
    refresh() {
      if (!confirm.hidden) setQuestion();
    },
  };
}
