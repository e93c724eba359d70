// The labelling loop over a project's images: open (with the live model's pre-label), edit, submit,
// then the next unlabelled image; skip, next and previous; nothing unsubmitted is dropped without a
// second press. `app` is the shared session state; `view` shows what happens:
//   { thresholdFor(), suggestMinScore(reply), imageOpened(reply|null), stageMessage(text|null), changed(what), submitting(bool),
//     progress(counts), signIn(reason) }

import { AnnotationDoc } from './annotation.js';
import { toast } from './panels/toast.js';

/** How long a second press of S / N confirms submitting without pre-labels / discarding changes. */
const CONFIRM_MS = 8000;

export function labellingLoop(app, editor, view) {
  async function goNext(after) {
    return busy(() => goNextNow(after));
  }

  async function goNextNow(after) {
    const seq = ++app.loadSeq;
    let reply;
    try {
      reply = await app.api.next(app.project.id, after);
    } catch (e) {
      return toast(`Could not find the next image: ${e.message}`, 'error');
    }
    if (seq !== app.loadSeq) return;
    if (!reply.image) {
      editor.clear();
      app.image = null;
      view.imageOpened(null);
      view.changed('doc');
      const c = app.project.counts;
      return view.stageMessage(`Nothing left to label in “${app.project.name}”${c ? ` (${c.labelled} labelled, ${c.skipped} skipped)` : ''}. ← reopens earlier images.`);
    }
    await openImage(reply.image.id);
  }

  async function openImage(id, options) {
    return busy(() => openImageNow(id, options));
  }

  async function openImageNow(id, { remember = true } = {}) {
    const seq = ++app.loadSeq;
    const slow = setTimeout(() => seq === app.loadSeq && view.stageMessage('Opening image… the live model is preparing a pre-label.'), 250);
    try {
      const reply = await app.api.open(app.project.id, id);
      const image = await app.api.imageElement(reply.image.file);
      if (seq !== app.loadSeq) return;
      view.suggestMinScore(reply);
      const doc = AnnotationDoc.fromOpen(app.project.task, reply.image, reply, view.thresholdFor());
      app.image = reply.image;
      app.modelStep = reply.ready ? reply.modelStep ?? null : null;
      // The version this edit replaces: the server refuses a submit over anyone else's newer save (409).
      app.version = reply.version;
      app.confirmSubmitUntil = 0;
      app.confirmLeaveUntil = 0;
      editor.load(doc, image);
      if (remember && app.visited[app.visited.length - 1] !== id) app.visited.push(id);
      view.imageOpened(reply);
      view.stageMessage(null);
      if (doc.prelabelShown) {
        const n = doc.pendingPrelabels;
        const hidden = doc.hiddenPrelabels.length;
        const what = app.project.task === 'semantic' ? 'a pre-label map' : `${n} pre-label${n === 1 ? '' : 's'}${hidden ? ` (${hidden} more below min score)` : ''}`;
        toast(`The live model suggests ${what} (step ${reply.modelStep ?? '?'}). A accepts all; editing one makes it yours.`, 'info', { timeout: 4000 });
      }
    } catch (e) {
      if (seq === app.loadSeq) {
        view.stageMessage(null);
        toast(`Could not open image ${id}: ${e.message}`, 'error');
      }
    } finally {
      clearTimeout(slow);
    }
  }

  async function submit() {
    return busy(submitNow);
  }

  async function submitNow() {
    const doc = editor.doc;
    if (!doc || !app.image || app.submitting) return;
    if (editor.tool.name === 'polygon' && editor.tool.drawing) {
      return toast('Finish the polygon first: Enter closes it, Esc drops it.', 'warn');
    }
    const pending = doc.pendingPrelabels;
    if (pending > 0 && Date.now() > app.confirmSubmitUntil) {
      app.confirmSubmitUntil = Date.now() + CONFIRM_MS;
      const what = doc.task === 'semantic' ? 'The pre-label map is' : `${pending} pre-label${pending === 1 ? ' is' : 's are'}`;
      return toast(`${what} not accepted. Press A to accept, or S again to submit without ${pending === 1 ? 'it' : 'them'}.`, 'warn');
    }
    app.submitting = true;
    view.submitting(true);
    const imageId = app.image.id;
    try {
      const body = { ...doc.submission(), version: app.version };
      const reply = await app.api.submit(app.project.id, imageId, body);
      doc.dirty = false;
      app.image = reply.image;
      app.version = reply.annotation.version;
      const n = body.objects.length;
      const what = doc.task === 'semantic' ? 'label map' : doc.task === 'detection' ? `${n} box${n === 1 ? '' : 'es'}` : `${n} object${n === 1 ? '' : 's'}`;
      const score = reply.liveScore ? ` · pre-label scored ${reply.liveScore.primary.toFixed(2)}` : '';
      toast(`Saved ${what} for ${app.image.originalName}${score}.`, 'ok');
      refreshProgress();
      await goNext(imageId);
    } catch (e) {
      if (e.status === 409) return offerReload(imageId, e.message);
      toast(`Submit failed: ${e.message}\nYour labels are still here; fix them and submit again.`, 'error');
      if (e.status === 401) view.signIn(`The server refused the token: ${e.message}. Sign in again; your labels stay on screen.`);
    } finally {
      app.submitting = false;
      view.submitting(false);
    }
  }

  /** Someone saved this image after it was opened: reloading shows their labels (and drops these). */
  async function offerReload(imageId, message) {
    if (window.confirm(`${message}.\n\nReload the image with the newer labels? Your unsubmitted changes here will be lost.`)) {
      if (editor.doc) editor.doc.dirty = false;
      await openImageNow(imageId, { remember: false });
    } else {
      toast('Not saved: someone else changed this image. Your labels are still here; reload to see theirs.', 'warn');
    }
  }

  async function skip() {
    if (!app.image) return;
    if (!confirmLeave('skip this image')) return;
    try {
      await app.api.skip(app.project.id, app.image.id);
      if (editor.doc) editor.doc.dirty = false;
      toast(`Skipped ${app.image.originalName}.`, 'info');
      refreshProgress();
      await goNext(app.image.id);
    } catch (e) {
      toast(`Could not skip: ${e.message}`, 'error');
    }
  }

  async function next() {
    if (!app.project) return;
    if (!confirmLeave('go to the next image')) return;
    await goNext(app.image?.id ?? null);
  }

  async function prev() {
    if (!app.project) return;
    const at = app.image ? app.visited.lastIndexOf(app.image.id) : app.visited.length;
    const target = at > 0 ? app.visited[at - 1] : app.visited[app.visited.length - 1];
    if (target == null || target === app.image?.id) return toast('No earlier image in this session.', 'info');
    if (!confirmLeave('go back')) return;
    app.visited = app.visited.slice(0, Math.max(0, at));
    await openImage(target, { remember: true });
  }

  async function busy(fn) {
    app.busy++;
    try {
      return await fn();
    } finally {
      app.busy--;
    }
  }

  /** Unsubmitted changes need a second press (or a confirm for clicks) before they are dropped. */
  function confirmLeave(action) {
    if (!editor.doc?.dirty) return true;
    if (Date.now() < app.confirmLeaveUntil) {
      app.confirmLeaveUntil = 0;
      return true;
    }
    app.confirmLeaveUntil = Date.now() + CONFIRM_MS;
    toast(`This image has unsubmitted changes. Press S to submit them, or ${action} again to discard them.`, 'warn');
    return false;
  }

  async function refreshProgress() {
    try {
      const p = await app.api.project(app.project.id);
      app.project.counts = p.counts;
      view.progress(p.counts);
    } catch {
      // The event stream brings the counts too.
    }
  }

  return { goNext, openImage, submit, skip, next, prev, confirmLeave };
}
