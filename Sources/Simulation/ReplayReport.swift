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
public struct ReplayReport: Sendable, Codable, Equatable {
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

    public init(task: String, liveCurve: [CurvePoint]) {
        self.task = task
        self.liveCurve = liveCurve
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
