import Foundation
import Models

/// Everything a replay run depends on; written into report.json so a number can be traced to its run.
public struct ReplayConfiguration: Codable, Sendable {
    /// COCO json of the set to replay (file names relative to its folder).
    public var dataset: URL
    /// Images whose `source_image` (site) is one of these form the held-out split; when empty, every
    /// `heldOutEvery`-th image is held out instead.
    public var heldOutGroups: [String] = []
    public var heldOutEvery: Int = 5
    /// Cap on labelled (replayed) images, for quick runs; nil replays the whole training split.
    public var maxImages: Int?
    public var detector: DetectorConfig
    /// Folder with the backbone's ImageNet safetensors.
    public var weights: URL
    /// The simulated annotator: seconds per image fall linearly from `manualSeconds` (no usable
    /// pre-label) to `reviewSeconds` (perfect pre-label) with the opened pre-label's AP50, and are
    /// divided by `speedFactor` so a run fits in minutes.
    public var manualSeconds: Double = 210
    public var reviewSeconds: Double = 30
    public var speedFactor: Double = 30
    /// Held-out AP of the live model is measured after every this many submitted images.
    public var evaluateEvery: Int = 5
    /// HITL baseline: retrain from the same init at these label counts, `retrainSteps` steps each.
    public var hitlAt: [Int] = [5, 10, 20]
    public var retrainSteps: Int = 150
    /// Offline baseline: one model trained on the whole labelled pool for this many steps.
    public var offlineSteps: Int = 300
    /// Live training continues this long after the last submission before the final evaluation.
    public var tailSeconds: Double = 0
    public var seed: UInt64 = 0

    public init(dataset: URL, detector: DetectorConfig, weights: URL) {
        self.dataset = dataset
        self.detector = detector
        self.weights = weights
    }

    /// Simulated seconds an annotator spends on an image whose pre-label scored `ap50` (nil: none shown).
    public func annotationSeconds(prelabelAP50 ap50: Double?) -> Double {
        guard let q = ap50 else { return manualSeconds }
        return reviewSeconds + (manualSeconds - reviewSeconds) * (1 - Swift.min(Swift.max(q, 0), 1))
    }
}
