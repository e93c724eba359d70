// The min score a pre-label must reach to be shown and accepted (issue 12): the server calibrates one
// per class where it has enough scored pre-labels (with one global value for the other classes), and
// the annotator's slider, once moved, sets one value for every class instead.

const inRange = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/**
 * The calibration of an `open` reply, checked: only numbers in [0, 1] are taken, and per-class values
 * only for class names the project has. Returns `{ global, perClass }` (`global` null when absent,
 * `perClass` a Map from class index to min score).
 */
export function readCalibration(reply, classes) {
  const global = inRange(reply?.suggestedMinScore) ? reply.suggestedMinScore : null;
  const perClass = new Map();
  const given = reply?.suggestedClassMinScores;
  if (global != null && given && typeof given === 'object' && !Array.isArray(given)) {
    (classes || []).forEach((c, i) => {
      if (c && Object.prototype.hasOwnProperty.call(given, c.name) && inRange(given[c.name])) perClass.set(i, given[c.name]);
    });
  }
  return { global, perClass };
}

/**
 * Class index → min score: `override` (the slider, once the annotator moved it) for all classes, else
 * the class's calibrated value, the global calibrated one, or `fallback` (the slider's value).
 */
export function thresholdFor(calibration, override, fallback) {
  if (override != null) return () => override;
  return (classIndex) => calibration.perClass.get(classIndex) ?? calibration.global ?? fallback;
}

/** "calibrated: tree 0.42, dead 0.61, others 0.30", or "" before the server has calibrated. */
export function describeCalibration(calibration, classes) {
  if (calibration.global == null) return '';
  const names = classes || [];
  const parts = [...calibration.perClass.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, t]) => `${names[i]?.name ?? `class ${i}`} ${t.toFixed(2)}`);
  if (calibration.perClass.size < names.length || parts.length === 0) {
    parts.push(parts.length ? `others ${calibration.global.toFixed(2)}` : calibration.global.toFixed(2));
  }
  return `calibrated: ${parts.join(', ')}`;
}
