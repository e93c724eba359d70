// The live model panel, fed by the project's server-sent events: trainer state, samples, step, loss,
// the live metric's EMA (chart per submitted image), loss per step, and the last pre-label wait.

import { drawChart } from './chart.js';

const STATE_TEXT = {
  training: 'training',
  'paused-plateau': 'paused: plateau',
  paused: 'paused',
  'waiting-for-labels': 'waiting for labels',
  stopped: 'stopped',
};

/** Names of the two EMA slots per task (the semantic evaluator puts mIoU and foreground mIoU there). */
const METRIC_NAMES = {
  detection: ['Live AP', 'AP50'],
  instance: ['Mask AP', 'AP50'],
  semantic: ['mIoU', 'FG mIoU'],
};
/** What the per-class rows measure, by task. */
const PER_CLASS_NAME = { detection: 'AP', instance: 'mask AP', semantic: 'IoU' };

const MAX_POINTS = 400;

export class MetricsPanel {
  constructor(root, { onProgress }) {
    this.root = root;
    this.onProgress = onProgress;
    this.source = null;
    this.ema = [];
    this.ema50 = [];
    this.losses = [];
    this.lastStep = -1;
    this.lastState = null;
    this.names = METRIC_NAMES.detection;
    this.badge = root.querySelector('#state-badge');
    this.note = root.querySelector('#metric-note');
    this.chart = root.querySelector('#metric-chart');
    this.lossChart = root.querySelector('#loss-chart');
    new ResizeObserver(() => this.draw()).observe(this.chart);
  }

  /** Follows a project: its past evaluations for the chart, then the live event stream. */
  async follow(api, project) {
    this.stop();
    this.ema = [];
    this.ema50 = [];
    this.losses = [];
    this.lastStep = -1;
    this.lastStatus = null;
    this.names = METRIC_NAMES[project.task] || METRIC_NAMES.detection;
    this.perClassName = PER_CLASS_NAME[project.task] || PER_CLASS_NAME.detection;
    this.root.querySelector('#metric-ap-label').textContent = this.names[0];
    this.root.querySelector('#metric-ap50-label').textContent = this.names[1];
    this.setBadge('unknown', 'connecting…');
    for (const k of ['samples', 'step', 'loss', 'liveAP', 'liveAP50', 'wait']) this.field(k, '–');
    this.renderPerClass(null);
    this.draw();
    try {
      const evaluations = await api.evaluations(project.id);
      this.ema = evaluations.map((e) => e.apEMA);
      this.ema50 = evaluations.map((e) => e.ap50EMA);
      this.draw();
    } catch (e) {
      this.setNote(`Could not load past evaluations: ${e.message}`, true);
    }
    this.source = api.events(project.id, (state) => this.update(state), (connected) => {
      if (!connected) this.setBadge('offline', 'reconnecting…');
    });
  }

  stop() {
    this.source?.close();
    this.source = null;
  }

  /** One row per class with a scored image, worst first: where the model needs more labels. */
  renderPerClass(perClass) {
    const list = document.getElementById('per-class');
    if (!list) return;
    const rows = Object.entries(perClass || {}).sort((a, b) => a[1] - b[1]);
    list.replaceChildren(...rows.map(([name, value]) => {
      const row = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = `${name} ${this.perClassName}`;
      dt.title = `Moving average of the ${this.perClassName} of "${name}" over the images that had it`;
      dd.textContent = value.toFixed(3);
      dd.dataset.class = name;
      row.append(dt, dd);
      return row;
    }));
  }

  update(state) {
    const t = state.training;
    if (!t) return;
    if (state.progress) this.onProgress?.(state.progress);
    this.setBadge(t.state, STATE_TEXT[t.state] || t.state);
    this.field('samples', String(t.samples));
    this.field('step', String(t.step));
    this.field('loss', t.loss != null ? t.loss.toFixed(4) : '–');
    this.field('liveAP', t.liveAP != null ? t.liveAP.toFixed(3) : '–');
    this.field('liveAP50', t.liveAP50 != null ? t.liveAP50.toFixed(3) : '–');
    this.field('wait', t.lastPrelabelWaitSeconds != null ? formatSeconds(t.lastPrelabelWaitSeconds) : '–');
    this.renderPerClass(t.livePerClass);
    if (t.loss != null && t.step !== this.lastStep) {
      this.losses.push(t.loss);
      if (this.losses.length > MAX_POINTS) this.losses.shift();
      this.lastStep = t.step;
    }
    const prev = this.lastStatus;
    if (t.liveAP != null && (!prev || prev.liveAP !== t.liveAP || prev.liveAP50 !== t.liveAP50)) {
      // A new EMA value means a new submission was scored; the first event repeats the latest evaluation.
      const repeated = !prev && this.ema.length > 0 && this.ema[this.ema.length - 1] === t.liveAP;
      if (!repeated) {
        this.ema.push(t.liveAP);
        this.ema50.push(t.liveAP50 ?? NaN);
      }
    }
    this.lastStatus = t;
    if (t.lastError) this.setNote(`Trainer: ${t.lastError}`, true);
    else this.setNote(t.prelabelReady ? 'Pre-labels on: the live model beats the threshold.' : 'Pre-labels appear once the live metric is above zero.', false);
    this.draw();
  }

  draw() {
    drawChart(this.chart, [
      { label: `${this.names[0]} (EMA)`, values: this.ema, colour: '#4c8dff' },
      { label: `${this.names[1]} (EMA)`, values: this.ema50, colour: '#3fb97f' },
    ], { min: 0, max: 1, empty: 'no scored pre-labels yet' });
    drawChart(this.lossChart, [{ label: 'loss', values: this.losses, colour: '#e0a43a' }], { min: null, max: null, empty: 'no training steps yet', format: (v) => v.toFixed(3) });
  }

  field(name, text) {
    const el = this.root.querySelector(`[data-metric="${name}"]`);
    if (el) el.textContent = text;
  }

  setBadge(state, text) {
    this.badge.dataset.state = state;
    this.badge.textContent = text;
  }

  setNote(text, error) {
    this.note.textContent = text;
    this.note.classList.toggle('error', !!error);
  }
}

function formatSeconds(s) {
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`;
}
