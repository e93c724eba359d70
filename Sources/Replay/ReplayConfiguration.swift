import Foundation
import Models
import Torch
import Vision

/// Everything a replay run depends on; written into report.json so a number can be traced to its run.
public struct ReplayConfiguration: Codable, Sendable {
    /// What the replay trains and scores: boxes from a COCO file (box AP), instance masks from a COCO
    /// file (RLE or polygons; mask AP), or label maps listed in a `dataset.json` (mIoU).
    public var task: VisionTask = .detection
    /// COCO json (detection, instance) or dataset.json (semantic) of the set to replay.
    public var dataset: URL
    /// Images whose `source_image` (site) is one of these form the held-out split; when empty, every
    /// `heldOutEvery`-th image is held out instead.
    public var heldOutGroups: [String] = []
    public var heldOutEvery: Int = 5
    /// Cap on labelled (replayed) images, for quick runs; nil replays the whole training split.
    public var maxImages: Int?
    public var backbone: BackboneKind = .mobileNetV2
    public var inputSize = 384
    public var batchSize = 4
    /// Folder with the backbone's ImageNet safetensors.
    public var weights: URL
    /// The simulated annotator: seconds per image fall linearly from `manualSeconds` (no usable
    /// pre-label) to `reviewSeconds` (perfect pre-label) with the opened pre-label's secondary value
    /// (box or mask AP50, foreground mIoU), and are divided by `speedFactor` so a run fits in minutes.
    public var manualSeconds: Double = 210
    public var reviewSeconds: Double = 30
    public var speedFactor: Double = 30
    /// The virtual clock: when set, the annotator's seconds (counted corrections, `CorrectionCostModel`)
    /// become training steps at this many seconds a step, granted between open and submit, instead of
    /// real sleeps of `seconds / speedFactor`. A run then does not depend on machine load and can stand
    /// for a faster device; the wall-clock mode stays for latency measurements.
    public var stepSeconds: Double?
    /// Held-out AP of the live model is measured after every this many submitted images.
    public var evaluateEvery: Int = 5
    /// HITL baseline: retrain from the same init at these label counts, each until its loss plateaus
    /// (the live trainer's detector) or `retrainSteps` steps, whichever comes first.
    public var hitlAt: [Int] = [5, 10, 20]
    public var retrainSteps: Int = 150
    /// Each HITL retrain takes exactly the steps the live model had taken when it had trained on the same
    /// labels (no plateau stop; `retrainSteps` where the live run has no such point): the baseline given
    /// the same training as what it is compared with, where a plateau stop may give it far fewer steps.
    public var retrainAsLongAsLive = false
    /// Runs the baselines only (HITL retrains, offline model), not the live replay: a retrain measured
    /// on another machine, whose kernels round differently, is not the same run.
    public var baselinesOnly = false
    /// Offline baseline: one model trained on the whole labelled pool until its loss plateaus, at most
    /// this many steps.
    public var offlineSteps: Int = 300
    /// Live training continues this long after the last submission before the final evaluation.
    public var tailSeconds: Double = 0
    public var seed: UInt64 = 0
    /// Pre-labels and held-out scores of the live run come from the EMA teacher, as in the server.
    public var teacher = true
    /// The live run also learns the teacher's pseudo-labels of the images not yet labelled (not the
    /// held-out ones), as the server does with a project's unlabelled images (`SemiSupervision`).
    public var semiSupervised = false
    /// Also replays live training with semi-supervised training off, on the same seed, for the report's
    /// side-by-side columns (with `semiSupervised` on).
    public var compareSemiSupervised = false
    /// Semi-supervised: the teacher's detections from this fraction of the lowest pseudo-label threshold
    /// up are ignored regions rather than background (`PseudoLabelCalibration.ignoreFraction`; nil: its default).
    public var pseudoLabelIgnoreFraction: Double?
    /// Semi-supervised: the precision a class's pseudo-labels must have had on the recent opened images
    /// (`PseudoLabelCalibration.precision`; nil: its default).
    public var pseudoLabelPrecision: Double?
    /// An experiment against the warm-start gap (live trained on N below a retrain on N): when a label
    /// arrives, every weight moves to `keep` × itself + (1 - keep) × its value at the start (Ash & Adams,
    /// "On Warm-Starting Neural Network Training", NeurIPS 2020: shrink, here towards the pretrained
    /// start rather than zero, without the perturbation). nil: off, as in the server.
    public var shrinkOnArrival: Double?
    /// The UI's fresher pre-labels (labelling.js): the annotator leaves a shown pre-label untouched this
    /// long, then gets the pre-label of the model as it is then if it has stepped since, and corrects
    /// that one; the wait counts as annotation time. nil: the annotator starts at once (no refresh).
    public var fresherAfterSeconds: Double?

    public init(task: VisionTask, dataset: URL, weights: URL) {
        self.task = task
        self.dataset = dataset
        self.weights = weights
    }

    /// A fresh model of the task from the pretrained backbone (every run and baseline starts here). The
    /// heads' initial weights come from libtorch's generator, seeded here so runs and baselines start
    /// from the same weights: unseeded, the offline baseline's mask AP on dsb2018 varied 0.21-0.27.
    public func makeModel(classes: Int) throws -> any LiveModel {
        Torch.manualSeed(seed)
        var spec = LiveModelSpec(task: task, classes: classes)
        (spec.backbone, spec.inputSize, spec.batchSize) = (backbone, inputSize, batchSize)
        return try spec.make(weights: weights, seed: seed)
    }

    /// Training steps that `seconds` of annotation time buy on the virtual clock (nil: wall clock).
    public func steps(forSeconds seconds: Double) -> Int? {
        guard let stepSeconds, stepSeconds > 0, seconds.isFinite, seconds > 0 else { return stepSeconds == nil ? nil : 0 }
        return Int(Swift.min((seconds / stepSeconds).rounded(), 1e9))
    }

    /// Simulated seconds an annotator spends on an image whose pre-label scored `quality` in the task's
    /// secondary value (box or mask AP50, or foreground mIoU; nil: none shown).
    public func annotationSeconds(prelabelQuality quality: Double?) -> Double {
        guard let q = quality else { return manualSeconds }
        return reviewSeconds + (manualSeconds - reviewSeconds) * (1 - Swift.min(Swift.max(q, 0), 1))
    }
}
