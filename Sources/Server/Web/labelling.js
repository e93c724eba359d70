// The labelling loop over a project's images: open (with the live model's pre-label), edit, submit,
// then the next unlabelled image; skip, next and previous; nothing unsubmitted is dropped without a
// second press. Images come leased from the server (`next` gives each annotator a different one); the
// open image's lease is renewed while it is open and released when the annotator leaves it. In review
// mode the images come from the review queue and end with accept or return. Active time per image is
// measured and sent with the submit. `app` is the shared session state; `view` shows what happens:
//   { thresholdFor(), suggestMinScore(reply), imageOpened(reply|null), stageMessage(text|null), changed(what), submitting(bool),
//     progress(counts), signIn(reason), review(note|null), submitted(), trainerStep() }

import { AnnotationDoc } from './annotation.js';
import { ActiveTimer } from './activeTime.js';
import { toast } from './panels/toast.js';

/** How long a second press of S / N confirms submitting without pre-labels / discarding changes. */
const CONFIRM_MS = 8000;
/**
 * Fresher pre-labels: an image opened just after a submit was pre-labelled by a model that had not
 * trained on that submission yet (the one-image lag, docs/benchmarks/replay-deepforest). From
 * FRESHER_AFTER_MS after opening until FRESHER_UNTIL_MS, while the annotator has not touched the image,
 * the pre-label is asked for once more as soon as the live model has stepped since it was made.
 */
const FRESHER_AFTER_MS = 3000;
const FRESHER_UNTIL_MS = 20000;
const FRESHER_POLL_MS = 1000;
/** The annotator's choice (the pre-label panel's checkbox); on unless turned off. */
export const followModelKey = 'livetrain.followModel';
export const followsModel = () => localStorage.getItem(followModelKey) !== 'off';

export function labellingLoop(app, editor, view) {
  async function goNext(after) {
    return busy(() => goNextNow(after));
  }

  async function goNextNow(after) {
    const seq = ++app.loadSeq;
    const reviewing = app.mode === 'review';
    // Leaving the open image: it goes back to the pool before the next one is asked for.
    await releaseLease();
    let reply;
    try {
      reply = reviewing ? await app.api.reviewNext(app.project.id) : await app.api.next(app.project.id, after);
    } catch (e) {
      return toast(`Could not find the next image: ${e.message}`, 'error');
    }
    if (seq !== app.loadSeq) return;
    if (!reply.image) {
      editor.clear();
      app.image = null;
      view.imageOpened(null);
      view.review(null);
      view.changed('doc');
      const c = app.project.counts;
      if (reviewing) return view.stageMessage(`Nothing waits for review in “${app.project.name}”. Press Review again to go back to labelling.`);
      return view.stageMessage(`Nothing left to label in “${app.project.name}”${c ? ` (${c.labelled} labelled, ${c.skipped} skipped)` : ''}. ← reopens earlier images.`);
    }
    if (reply.lease) holdLease(reply.lease);
    app.returned = reply.returned ?? null;
    if (app.returned) toast(`${app.returned.reviewer} returned this image to you: ${app.returned.comment}`, 'warn', { timeout: 8000 });
    await openImage(reply.image.id);
  }

  // ---- leases: held while an image is open -----------------------------------------------------

  function holdLease(lease) {
    app.lease = lease;
    clearInterval(app.leaseTimer);
    // Renewed every third of its duration, so one lost renewal never lets it lapse.
    const every = Math.max(1000, (lease.leaseSeconds * 1000) / 3);
    app.leaseTimer = setInterval(renewLease, every);
  }

  async function renewLease() {
    const lease = app.lease;
    if (!lease || !app.project) return;
    try {
      holdLease(await app.api.lease(app.project.id, lease.imageId));
    } catch (e) {
      if (e.status === 409) {
        dropLease();
        toast(`${e.message}`, 'warn');
      }
      // Other failures (network) are retried at the next tick; the lease outlives a few.
    }
  }

  /** Takes the lease on an image opened by id (prev, a link, a reload); someone else's is a warning. */
  async function takeLease(id) {
    if (app.lease?.imageId === id) return renewLease();
    await releaseLease();
    try {
      holdLease(await app.api.lease(app.project.id, id));
    } catch (e) {
      if (e.status === 409) {
        const why = app.image?.status === 'unlabelled' ? 'a submit is refused while they hold it' : 'if they save first, your submit is refused as stale';
        toast(`${e.message} (${why}).`, 'warn', { timeout: 6000 });
      }
    }
  }

  function dropLease() {
    clearInterval(app.leaseTimer);
    app.leaseTimer = null;
    app.lease = null;
  }

  async function releaseLease() {
    const lease = app.lease;
    dropLease();
    if (!lease || !app.project) return;
    try {
      await app.api.release(app.project.id, lease.imageId);
    } catch {
      // It expires by itself.
    }
  }

  /** The page is going away: release with a request that outlives it. */
  function releaseOnLeave() {
    const lease = app.lease;
    dropLease();
    if (lease && app.project) app.api.releaseOnLeave(app.project.id, lease.imageId);
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
      // The opening whose pre-label is on screen: the submit names it, so the live score is of what was shown.
      app.opening = reply.opening ?? null;
      // The version this edit replaces: the server refuses a submit over anyone else's newer save (409).
      app.version = reply.version;
      app.confirmSubmitUntil = 0;
      app.confirmLeaveUntil = 0;
      app.annotation = reply.annotation ?? null;
      app.timer = new ActiveTimer();
      editor.load(doc, image);
      if (remember && app.visited[app.visited.length - 1] !== id) app.visited.push(id);
      view.imageOpened(reply);
      view.review(reviewNote(reply));
      view.stageMessage(null);
      await takeLease(id);
      watchForFresherPrelabel(seq, id, doc, reply);
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

  /** Polls (see FRESHER_AFTER_MS) and swaps in a newer model's pre-label while the image is untouched. */
  function watchForFresherPrelabel(seq, id, doc, reply) {
    if (reply.annotation || !reply.ready || reply.modelStep == null || app.mode === 'review') return;
    const opened = Date.now();
    const current = () => seq === app.loadSeq && editor.doc === doc && editor.untouched && !app.submitting;
    const poll = async () => {
      if (!current() || !followsModel() || Date.now() - opened > FRESHER_UNTIL_MS) return;
      const step = view.trainerStep();
      if (app.busy > 0 || step == null || step <= reply.modelStep) return void setTimeout(poll, FRESHER_POLL_MS);
      await busy(async () => {
        let fresh;
        try {
          fresh = await app.api.open(app.project.id, id);
        } catch {
          return; // the pre-label already shown stays
        }
        // Checked again: the annotator may have started while the model predicted.
        if (!current() || fresh.annotation || !fresh.ready || !(fresh.modelStep > reply.modelStep)) return;
        view.suggestMinScore(fresh);
        const next = AnnotationDoc.fromOpen(app.project.task, fresh.image, fresh, view.thresholdFor());
        app.modelStep = fresh.modelStep;
        app.opening = fresh.opening ?? null;
        app.version = fresh.version;
        editor.replaceDoc(next);
        view.imageOpened(fresh);
        toast(`Fresher pre-labels from step ${fresh.modelStep} (they were from step ${reply.modelStep}): the live model has trained since this image opened.`, 'info', { timeout: 4000 });
      });
    };
    setTimeout(poll, FRESHER_AFTER_MS);
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
    const reviewing = app.mode === 'review';
    try {
      const body = { ...doc.submission(), version: app.version, activeSeconds: roundSeconds(app.timer?.seconds()), opening: app.opening ?? undefined };
      const reply = await app.api.submit(app.project.id, imageId, body);
      doc.dirty = false;
      app.image = reply.image;
      app.version = reply.annotation.version;
      app.annotation = reply.annotation;
      app.opening = null;
      app.timer = new ActiveTimer();
      view.submitted();
      if (reviewing) {
        // A reviewer's edit is accepted with it: the version just saved is the one accepted.
        await decide('accept', '');
        return;
      }
      if (app.lease?.imageId === imageId) dropLease(); // the submit released it
      app.returned = null;
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

  /**
   * A reviewer's decision on the open image: 'accept' (unsubmitted edits are submitted first, and
   * accepted with it) or 'return' with a comment for its annotator; then the next image to review.
   */
  async function review(decision, comment) {
    if (!app.image || app.mode !== 'review') return;
    if (decision === 'accept' && editor.doc?.dirty) return submit();
    if (decision === 'return' && !comment.trim()) return toast('Say what to fix: a returned image needs a comment.', 'warn');
    return busy(() => decide(decision, comment));
  }

  async function decide(decision, comment) {
    const imageId = app.image.id;
    try {
      await app.api.review(app.project.id, imageId, { decision, comment, version: app.version });
      if (app.lease?.imageId === imageId) dropLease(); // the decision released it
      toast(decision === 'accept' ? `Accepted ${app.image.originalName}.` : `Returned ${app.image.originalName} to its annotator.`, 'ok');
      await goNext(imageId);
    } catch (e) {
      if (e.status === 409) return offerReload(imageId, e.message);
      toast(`Review failed: ${e.message}`, 'error');
    }
  }

  /** Review mode takes images from the review queue; leaving it goes back to labelling. */
  async function setMode(mode) {
    if (!app.project || mode === app.mode) return;
    if (!confirmLeave(mode === 'review' ? 'start reviewing' : 'stop reviewing')) return;
    if (editor.doc) editor.doc.dirty = false;
    app.mode = mode;
    await goNext(null);
  }

  /** What the review panel shows: the reviewer's comment on a returned image, or who to review. */
  function reviewNote(reply) {
    const a = reply.annotation;
    if (app.mode === 'review') return { mode: 'review', annotation: a ?? null };
    if (a?.reviewState === 'returned') return { mode: 'returned', comment: a.reviewComment ?? '', reviewer: a.reviewedBy ?? '' };
    return null;
  }

  async function skip() {
    if (!app.image) return;
    if (app.mode === 'review') return toast('Reviewing: accept or return the image (or press Review to stop).', 'info');
    if (!confirmLeave('skip this image')) return;
    try {
      await app.api.skip(app.project.id, app.image.id);
      if (app.lease?.imageId === app.image.id) dropLease(); // the skip released it
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

  return { goNext, openImage, submit, skip, next, prev, confirmLeave, review, setMode, releaseLease, releaseOnLeave };
}

/** Tenths of a second are plenty, and keep the JSON short. */
function roundSeconds(s) {
  return Number.isFinite(s) ? Math.round(s * 10) / 10 : undefined;
}
