// The annotation being edited for one image: objects (boxes, instance masks) or a semantic label map,
// pre-labels from the live model kept apart until accepted or edited, and the JSON to submit.
//
// Objects are replaced, never mutated in place, once a snapshot may hold them (see history.js); a
// mask is copied before a stroke paints into it.

import { decodeLabelRuns, decodeRLE, encodeLabelRuns, encodeRLE } from './mask/rle.js';
import { maskBounds } from './mask/raster.js';

let nextId = 1;

/**
 * A labelled object. `box` is used by detection; instance objects carry `mask` (row-major, image size)
 * with its tight `bounds`, and `polygon` while their shape is still the polygon they were drawn as.
 */
export function makeObject(fields) {
  return { id: nextId++, classIndex: 0, box: null, mask: null, bounds: null, polygon: null, prelabel: false, score: null, ...fields };
}

export class AnnotationDoc {
  constructor(task, width, height) {
    this.task = task;
    this.width = width;
    this.height = height;
    this.objects = [];
    /** Semantic: the human's label map (class index per pixel, 0 = background). */
    this.labels = task === 'semantic' ? new Uint8Array(width * height) : null;
    /** Semantic: the live model's label map while it is shown but not yet accepted or edited. */
    this.prelabelLabels = null;
    /** Whether the live model's pre-label was shown when the image opened. */
    this.prelabelShown = false;
    /** Whether anything but "accept all" changed the labels since the image opened. */
    this.edited = false;
    /** Unsubmitted changes. */
    this.dirty = false;
    /** Untouched pre-labels scoring below the annotator's minimum: not drawn, not accepted, not submitted. */
    this.hiddenPrelabels = [];
    this.minScore = 0;
  }

  /**
   * Builds the document from an `open` reply: the saved annotation if any, else the pre-label, shown
   * from `minScore` (a number, or a function from class index to number).
   */
  static fromOpen(task, image, reply, minScore = 0) {
    const doc = new AnnotationDoc(task, image.width, image.height);
    if (reply.annotation) {
      doc.loadObjects(reply.annotation.objects || [], false);
      if (task === 'semantic' && reply.annotation.labels) doc.labels = doc.checkedLabels(reply.annotation.labels);
    } else if (reply.ready && reply.prediction) {
      doc.loadObjects(reply.prediction.objects || [], true);
      if (task === 'semantic' && reply.prediction.labels) doc.prelabelLabels = doc.checkedLabels(reply.prediction.labels);
      doc.prelabelShown = doc.objects.length > 0 || doc.prelabelLabels !== null;
      doc.objects.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
      doc.applyMinScore(minScore);
    }
    return doc;
  }

  /**
   * Shows the untouched pre-labels scoring at least `min` (best first) and hides the others; `min` is a
   * number for every class or a function from class index to its min score (calibrated per class).
   */
  applyMinScore(min) {
    this.minScore = min;
    const minFor = typeof min === 'function' ? min : () => min;
    const passes = (o) => o.score == null || o.score >= minFor(o.classIndex);
    const pending = [...this.objects.filter((o) => o.prelabel), ...this.hiddenPrelabels].sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
    const shown = pending.filter(passes);
    this.hiddenPrelabels = pending.filter((o) => !passes(o));
    this.objects = [...this.objects.filter((o) => !o.prelabel), ...shown];
  }

  loadObjects(list, prelabel) {
    for (const o of list) {
      const fields = { classIndex: o.classIndex, prelabel, score: prelabel && typeof o.score === 'number' ? o.score : null };
      if (this.task === 'instance') {
        if (!o.mask) continue; // an instance object without a mask cannot be edited as one
        const mask = decodeRLE(o.mask);
        if (o.mask.width !== this.width || o.mask.height !== this.height) {
          throw new Error(`a mask is ${o.mask.width}x${o.mask.height}, the image ${this.width}x${this.height}`);
        }
        const bounds = maskBounds(mask, this.width, this.height);
        if (!bounds) continue;
        this.objects.push(makeObject({ ...fields, mask, bounds }));
      } else if (this.task === 'detection') {
        this.objects.push(makeObject({ ...fields, box: { ...o.box } }));
      }
    }
  }

  checkedLabels(map) {
    if (map.width !== this.width || map.height !== this.height) {
      throw new Error(`the label map is ${map.width}x${map.height}, the image ${this.width}x${this.height}`);
    }
    return decodeLabelRuns(map);
  }

  snapshot() {
    return { objects: this.objects, hiddenPrelabels: this.hiddenPrelabels, labels: this.labels, prelabelLabels: this.prelabelLabels, edited: this.edited, dirty: this.dirty };
  }

  restore(s) {
    this.objects = s.objects;
    this.hiddenPrelabels = s.hiddenPrelabels;
    this.labels = s.labels;
    this.prelabelLabels = s.prelabelLabels;
    this.edited = s.edited;
    this.dirty = s.dirty;
  }

  find(id) {
    return this.objects.find((o) => o.id === id) || null;
  }

  replace(id, fields) {
    this.objects = this.objects.map((o) => (o.id === id ? { ...o, ...fields } : o));
    return this.find(id);
  }

  get pendingPrelabels() {
    return this.objects.filter((o) => o.prelabel).length + (this.prelabelLabels ? 1 : 0);
  }

  /** Turns every shown pre-label into a normal annotation; hidden (low-score) ones are dropped. */
  acceptAll() {
    this.objects = this.objects.map((o) => (o.prelabel ? { ...o, prelabel: false } : o));
    this.hiddenPrelabels = [];
    if (this.prelabelLabels) {
      this.labels = this.prelabelLabels;
      this.prelabelLabels = null;
    }
  }

  /** Semantic: the editable map, adopting a pending pre-label first (editing a pre-label converts it). */
  editableLabels() {
    if (this.prelabelLabels) {
      this.labels = this.prelabelLabels;
      this.prelabelLabels = null;
    }
    return this.labels;
  }

  /** The `PUT .../annotation` body; pending pre-labels are left out (they were not accepted). */
  submission() {
    const rejected = this.pendingPrelabels > 0 || this.hiddenPrelabels.length > 0; // left out, so the labels differ
    const source = !this.prelabelShown ? 'drawn' : this.edited || rejected ? 'edited' : 'prelabel-accepted';
    const human = this.objects.filter((o) => !o.prelabel);
    if (this.task === 'semantic') {
      return { objects: [], labels: encodeLabelRuns(this.labels, this.width, this.height), source };
    }
    if (this.task === 'instance') {
      const objects = human.filter((o) => o.mask && o.bounds).map((o) => ({
        classIndex: o.classIndex,
        box: { ...o.bounds },
        mask: encodeRLE(o.mask, this.width, this.height),
      }));
      return { objects, source };
    }
    const objects = human
      .map((o) => ({ classIndex: o.classIndex, box: clampBox(o.box, this.width, this.height) }))
      .filter((o) => o.box.x2 > o.box.x1 && o.box.y2 > o.box.y1);
    return { objects, source };
  }
}

/** Clips a box to the image (the API refuses boxes more than 2 px outside). */
export function clampBox(b, width, height) {
  const c = (v, max) => Math.min(max, Math.max(0, v));
  return { x1: c(Math.min(b.x1, b.x2), width), y1: c(Math.min(b.y1, b.y2), height), x2: c(Math.max(b.x1, b.x2), width), y2: c(Math.max(b.y1, b.y2), height) };
}
