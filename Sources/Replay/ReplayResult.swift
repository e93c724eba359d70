import Foundation

/// Everything a replay measured, written as report.json. `task` and `liveCurve` are what
/// `livetrain simulate --replay-report` reads (Simulation.ReplayReport); the rest is for people and plots.
///
/// Every `primary`/`secondary` pair is the task's metric (`metric`, named in `metricNames`): box or mask
/// AP@[.5:.95] and AP50, or mIoU and foreground mIoU.
public struct ReplayResult: Codable, Sendable {
    public struct ImagePoint: Codable, Sendable {
        public var imagesLabelled: Int
        public var imageID: String
        /// The pre-label opened for this image scored against its final annotation, and the EMAs after it.
        public var primary: Double, secondary: Double
        public var primaryEMA: Double, secondaryEMA: Double
        public var prelabelShown: Bool
        public var annotationSeconds: Double
        /// Time the open call queued behind training, and its total (queue + forward + decode).
        public var openWaitSeconds: Double, openSeconds: Double
        public var trainerStep: Int
        /// Seconds to correct the pre-label shown at the thresholds into the annotation, by counted edits
        /// (`CorrectionCostModel`); the manual time when none was shown.
        public var correctionSeconds: Double?
        /// The global min score, and by class name those classes calibrated on their own (the others use
        /// `threshold`); absent when nothing was shown, and `classThresholds` in reports before per-class ones.
        public var threshold: Double?
        public var classThresholds: [String: Double]?
    }
    public struct HeldOutPoint: Codable, Sendable {
        public var imagesLabelled: Int
        public var steps: Int
        public var primary: Double, secondary: Double
    }
    public struct CurvePoint: Codable, Sendable {
        public var imagesLabelled: Int
        public var quality: Double
    }
    public struct Checks: Codable, Sendable {
        public var heldOutRising: Bool
        public var liveOverOffline: Double
        public var latencyP95Seconds: Double
        public var stepPlusForwardSeconds: Double
        public var latencyWithinBound: Bool
        /// Issue 12's target for the pre-label wait: 1.25 × the forward (median) + 20 ms (absent in older reports).
        public var latencyTargetSeconds: Double?
        public var latencyWithinTarget: Bool?
    }

    /// A live run's outcome in brief: the side-by-side run without semi-supervised training.
    public struct LiveRun: Codable, Sendable {
        public var heldOut: [HeldOutPoint]
        public var correctionSeconds: [Double]
        public var steps: Int
    }

    public var task = "detection"
    /// `QualityMetric.id` of the task: "boxAP", "maskAP" or "mIoU".
    public var metric = "boxAP"
    /// What every "primary" and "secondary" field holds for this task (e.g. mask AP and mask AP50).
    public var metricNames = ["box AP", "box AP50"]
    public var dataset: String
    public var trainImages: Int, heldOutImages: Int
    public var liveCurve: [CurvePoint] = []
    public var live: [ImagePoint] = []
    public var liveHeldOut: [HeldOutPoint] = []
    /// The live model once it has trained on exactly `imagesLabelled` images: scored when the next image's
    /// annotation time has been trained on, just before that image joins (the same labels a HITL retrain
    /// at that count has; `liveHeldOut` is the model that pre-labels the next image, one image behind).
    /// nil in reports written before it existed.
    public var liveTrainedOn: [HeldOutPoint]?
    public var liveSteps = 0
    /// Pseudo-labelled images the live run trained on (nil with semi-supervised training off), and the
    /// same replay without them when compared (`ReplayConfiguration.compareSemiSupervised`).
    public var pseudoLabelledImages: Int?
    /// Images whose pre-label was swapped for a fresher one (`ReplayConfiguration.fresherAfterSeconds`;
    /// nil when off).
    public var fresherPrelabels: Int?
    public var withoutSemiSupervision: LiveRun?
    public var stepSecondsMedian = 0.0
    /// Slow steps (crowded images, more objects) set the tail of the pre-label wait; nil in older reports.
    public var stepSecondsP95: Double?
    public var forwardSecondsMedian = 0.0
    public var latencyP50Seconds = 0.0
    public var latencyP95Seconds = 0.0
    public var stepsPerImage: [Int] = []
    public var hitlHeldOut: [HeldOutPoint] = []
    /// The secondary value of the HITL baseline's frozen pre-label per image (nil before its first retrain).
    public var hitlPerImageSecondary: [Double?] = []
    /// Correction seconds per image of the HITL baseline's frozen pre-labels (nil before its first retrain).
    public var hitlPerImageCorrectionSeconds: [Double?]?
    /// Manual seconds per image by the same cost model (every object drawn).
    public var manualPerImageSeconds: [Double]?
    public var offline: HeldOutPoint?
    public var checks: Checks?
    public var wallSeconds = 0.0
    public var settings: [String: String] = [:]
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s[Swift.min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}
