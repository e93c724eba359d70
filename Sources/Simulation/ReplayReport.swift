import Foundation

/// The part of `livetrain replay`'s `report.json` the simulator reads: the measured live curve.
///
/// Schema (other keys in the file are ignored):
/// ```json
/// { "task": "instance-segmentation",
///   "liveCurve": [ { "imagesLabelled": 0, "quality": 0.0 },
///                  { "imagesLabelled": 50, "quality": 0.41 }, ... ] }
/// ```
/// - `task`: what was replayed (shown in tables and legends).
/// - `liveCurve[].imagesLabelled`: images the live model had learned from when the point was taken.
/// - `liveCurve[].quality`: the moving average of the live evaluator's secondary value at that moment
///   (box AP50 for detection, mask AP50 for instance segmentation, foreground mIoU for semantic
///   segmentation), 0...1: the quality of the pre-labels annotators were being shown.
/// - Optional, from reports that counted corrections: `live[].correctionSeconds` (seconds to correct
///   each image's pre-label, `CorrectionCostModel`) and `manualPerImageSeconds` (drawing it by hand),
///   in labelling order; `correctionTimes` turns them into a second live row.
public struct ReplayReport: Sendable, Codable, Equatable {
    /// One replayed image: its counted correction seconds (nil in reports from before the counting).
    public struct LiveImage: Sendable, Codable, Equatable {
        public var correctionSeconds: Double?
        public init(correctionSeconds: Double?) { self.correctionSeconds = correctionSeconds }
    }

    /// One measurement of the live curve.
    public struct CurvePoint: Sendable, Codable, Equatable {
        public var imagesLabelled: Int
        public var quality: Double

        public init(imagesLabelled: Int, quality: Double) {
            self.imagesLabelled = imagesLabelled
            self.quality = quality
        }
    }

    public var task: String
    public var liveCurve: [CurvePoint]
    public var live: [LiveImage]?
    public var manualPerImageSeconds: [Double]?

    public init(task: String, liveCurve: [CurvePoint], live: [LiveImage]? = nil, manualPerImageSeconds: [Double]? = nil) {
        self.task = task
        self.liveCurve = liveCurve
        self.live = live
        self.manualPerImageSeconds = manualPerImageSeconds
    }

    /// Images per run when counted correction times are averaged: single images swing from a glance to
    /// the whole drawing (an empty tile, a dense one the model misses), so ten are pooled.
    public static let correctionRun = 10

    /// The counted corrections as the seconds per image of a project whose manual time is
    /// `manualSeconds`: each run of `correctionRun` images takes the share of its manual time the
    /// corrections took (their sum over the manual sum), placed at the run's mean index and held after the
    /// last. The share, not the seconds, carries over: the replayed set's images hold more or fewer
    /// objects than the project's. Nil without counted corrections.
    public func correctionTimes(manualSeconds: Double) throws(SimulationError) -> MeasuredTimeCurve? {
        guard let live, let manual = manualPerImageSeconds, !live.isEmpty, manual.count == live.count else { return nil }
        var pairs: [(index: Int, correction: Double, manual: Double)] = []
        for (i, image) in live.enumerated() {
            guard let correction = image.correctionSeconds else { continue }
            guard correction.isFinite, correction >= 0, manual[i].isFinite, manual[i] > 0 else {
                throw .invalidReplayReport("image \(i): correction \(correction) s or manual \(manual[i]) s is not a usable time")
            }
            pairs.append((i, correction, manual[i]))
        }
        guard !pairs.isEmpty else { return nil }
        var points: [ProjectTimes.Point] = []
        for start in stride(from: 0, to: pairs.count, by: Self.correctionRun) {
            let run = pairs[start..<min(pairs.count, start + Self.correctionRun)]
            let share = run.map(\.correction).reduce(0, +) / run.map(\.manual).reduce(0, +)
            let index = Double(run.map(\.index).reduce(0, +)) / Double(run.count)
            points.append(.init(imagesLabelled: Int(index.rounded()), seconds: min(1, share) * manualSeconds))
        }
        return MeasuredTimeCurve(points: points, images: pairs.count)
    }

    /// Reads a replay report; unknown keys are ignored, missing or malformed ones throw.
    public static func decode(_ data: Data) throws(SimulationError) -> ReplayReport {
        do {
            return try JSONDecoder().decode(ReplayReport.self, from: data)
        } catch {
            throw .invalidReplayReport(String(describing: error))
        }
    }

    /// Reads the replay report at `path`.
    public static func load(path: String) throws(SimulationError) -> ReplayReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidReplayReport("cannot read \(path)")
        }
        return try decode(data)
    }

    /// The measured curve as a learning curve.
    public func learningCurve() throws(SimulationError) -> MeasuredLearningCurve {
        try MeasuredLearningCurve(points: liveCurve)
    }
}
