// The live model panel, fed by the project's server-sent events: trainer state, samples, step, loss,
// the live metric's EMA (chart per submitted image), loss per step, and the last pre-label wait.

import { drawChart } from './chart.js';
import { drawTimesChart } from './timesChart.js';

const STATE_TEXT = {
  training: 'training',
  'paused-plateau': 'paused: plateau',
  paused: 'paused',
  'waiting-for-labels': 'waiting for labels',
  stopped: 'stopped',
};

/**
 * What the server's `liveMetric` ("boxAP", "maskAP", "mIoU") names: its primary and secondary values
 * and what a per-class row holds (the server's `QualityMetric`).
 */
const METRICS = {
  boxAP: { primary: 'box AP', secondary: 'box AP50', perClass: 'box AP' },
  maskAP: { primary: 'mask AP', secondary: 'mask AP50', perClass: 'mask AP' },
  mIoU: { primary: 'mIoU', secondary: 'foreground mIoU', perClass: 'IoU' },
};

const MAX_POINTS = 400;

export class MetricsPanel {
  constructor(root, { onProgress }) {
    this.root = root;
    this.onProgress = onProgress;
    this.source = null;
    this.primaryEMA = [];
    this.secondaryEMA = [];
    this.losses = [];
    this.lastStep = -1;
    this.lastState = null;
    this.metric = undefined;  // not yet labelled: the first setMetric call always writes the labels
    this.badge = root.querySelector('#state-badge');
    this.note = root.querySelector('#metric-note');
    this.chart = root.querySelector('#metric-chart');
    this.lossChart = root.querySelector('#loss-chart');
    this.timesChart = root.querySelector('#times-chart');
    this.times = [];
    this.labelled = null;
    new ResizeObserver(() => this.draw()).observe(this.chart);
  }

  /** Reloads the measured annotation times (after a submit, or when anyone's count moved). */
  async refreshTimes() {
    if (!this.api || !this.project) return;
    const project = this.project.id;
    try {
      const times = await this.api.annotationTimes(project);
      if (this.project?.id !== project) return;
      this.times = times;
      this.draw();
    } catch {
      // The chart keeps its last times; the next count change retries.
    }
  }

  /** Follows a project: its past evaluations for the chart, then the live event stream. */
  async follow(api, project) {
    this.stop();
    this.api = api;
    this.project = project;
    this.times = [];
    this.labelled = null;
    this.refreshTimes();
    this.primaryEMA = [];
    this.secondaryEMA = [];
    this.losses = [];
    this.lastStep = -1;
    this.lastStatus = null;
    this.setMetric(null);
    this.setBadge('unknown', 'connecting…');
    for (const k of ['samples', 'step', 'loss', 'livePrimary', 'liveSecondary', 'wait', 'pseudo']) this.field(k, '–');
    this.renderPerClass(null);
    this.draw();
    try {
      const evaluations = await api.evaluations(project.id);
      this.primaryEMA = evaluations.map((e) => e.primaryEMA);
      this.secondaryEMA = evaluations.map((e) => e.secondaryEMA);
      this.draw();
    } catch (e) {
      this.setNote(`Could not load past evaluations: ${e.message}`, true);
    }
    this.source = api.events(project.id, (state) => this.update(state), (connected) => {
      if (!connected) this.setBadge('offline', 'reconnecting…');
    });
  }

  /** Labels the live values with the names of the metric the server scores this project with. */
  setMetric(id) {
    if (id === this.metric) return;
    this.metric = id;
    const names = METRICS[id];
    this.root.querySelector('#metric-primary-label').textContent = names ? `Live ${names.primary}` : 'Live metric';
    this.root.querySelector('#metric-secondary-label').textContent = names ? names.secondary : '–';
    this.perClassName = names ? names.perClass : 'score';
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
    if (state.progress) {
      this.onProgress?.(state.progress);
      // Someone (anyone on the team) labelled an image: their time joins the chart.
      if (this.labelled !== null && state.progress.labelled !== this.labelled) this.refreshTimes();
      this.labelled = state.progress.labelled;
    }
    this.setBadge(t.state, STATE_TEXT[t.state] || t.state);
    this.field('samples', String(t.samples));
    this.field('step', String(t.step));
    this.field('loss', t.loss != null ? t.loss.toFixed(4) : '–');
    this.setMetric(t.liveMetric ?? null);
    this.field('livePrimary', t.livePrimary != null ? t.livePrimary.toFixed(3) : '–');
    this.field('liveSecondary', t.liveSecondary != null ? t.liveSecondary.toFixed(3) : '–');
    this.field('wait', t.lastPrelabelWaitSeconds != null ? formatSeconds(t.lastPrelabelWaitSeconds) : '–');
    // Semi-supervised training starts with pre-labels: until then the pool only waits.
    this.field('pseudo', t.unlabelledImages ? `${t.pseudoLabelledImages ?? 0} / ${t.unlabelledImages}` : '–');
    this.renderPerClass(t.livePerClass);
    if (t.loss != null && t.step !== this.lastStep) {
      this.losses.push(t.loss);
      if (this.losses.length > MAX_POINTS) this.losses.shift();
      this.lastStep = t.step;
    }
    const prev = this.lastStatus;
    if (t.livePrimary != null && (!prev || prev.livePrimary !== t.livePrimary || prev.liveSecondary !== t.liveSecondary)) {
      // A new EMA value means a new submission was scored; the first event repeats the latest evaluation.
      const repeated = !prev && this.primaryEMA.length > 0 && this.primaryEMA[this.primaryEMA.length - 1] === t.livePrimary;
      if (!repeated) {
        this.primaryEMA.push(t.livePrimary);
        this.secondaryEMA.push(t.liveSecondary ?? NaN);
      }
    }
    this.lastStatus = t;
    if (t.lastError) this.setNote(`Trainer: ${t.lastError}`, true);
    else this.setNote(t.prelabelReady ? 'Pre-labels on: the live model beats the threshold.' : 'Pre-labels appear once the live metric is above zero.', false);
    this.draw();
  }

  draw() {
    const names = METRICS[this.metric] || { primary: 'primary', secondary: 'secondary' };
    drawChart(this.chart, [
      { label: `${names.primary} (EMA)`, values: this.primaryEMA, colour: '#4c8dff' },
      { label: `${names.secondary} (EMA)`, values: this.secondaryEMA, colour: '#3fb97f' },
    ], { min: 0, max: 1, empty: 'no scored pre-labels yet' });
    drawChart(this.lossChart, [{ label: 'loss', values: this.losses, colour: '#e0a43a' }], { min: null, max: null, empty: 'no training steps yet', format: (v) => v.toFixed(3) });
    if (this.timesChart) drawTimesChart(this.timesChart, this.times);
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
