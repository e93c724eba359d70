/// One way to annotate a project, with what decides its per-image time.
public enum Approach: Sendable {
    /// Every image drawn by hand at the manual time.
    case manual
    /// A promptable foundation model pre-labels every image equally well; it never adapts.
    case foundationModel
    /// Manual until the first retrain point; at each retrain point annotation pauses while a model is
    /// trained on everything labelled so far; until the next retrain, pre-labels come from that model.
    case humanInTheLoop(any LearningCurve)
    /// The model learns from every image as soon as it is submitted: image `k` (0-based) is pre-labelled
    /// by a model that has learned from the `k` images before it.
    case live(any LearningCurve)
    /// Live training as a real project measured it: image `k` takes the seconds the project's
    /// annotators spent after `k` images were labelled, no quality model in between.
    case measuredTimes(MeasuredTimeCurve)
    /// Live training as a replay's counted corrections priced it (`ReplayReport.correctionTimes`).
    case countedCorrections(MeasuredTimeCurve)

    public var kind: ApproachKind {
        switch self {
        case .manual: .manual
        case .foundationModel: .foundationModel
        case .humanInTheLoop: .humanInTheLoop
        case .live, .measuredTimes, .countedCorrections: .live
        }
    }

    /// Where this approach's quality curve comes from.
    public var curveSource: CurveSource {
        switch self {
        case .manual, .foundationModel: .none
        case .humanInTheLoop(let curve), .live(let curve): curve is MeasuredLearningCurve ? .measured : .assumed
        case .measuredTimes: .measuredTimes
        case .countedCorrections: .countedCorrections
        }
    }
}

/// The mechanics an approach follows, without its curve (what results and charts record).
public enum ApproachKind: String, Sendable, Codable {
    case manual
    case foundationModel
    case humanInTheLoop
    case live

    /// The name the seed's table uses.
    public var displayName: String {
        switch self {
        case .manual: "manual"
        case .foundationModel: "foundation model"
        case .humanInTheLoop: "human-in-the-loop"
        case .live: "live training"
        }
    }
}

/// Whether a result rests on no curve, the assumed (parametric) curve, a replay-measured one, or a
/// project's measured seconds per image.
public enum CurveSource: String, Sendable, Codable {
    case none
    case assumed
    case measured
    /// Seconds per image measured in a real project (`simulate --project-times`).
    case measuredTimes
    /// Seconds per image from a replay's counted corrections (`simulate --replay-report`).
    case countedCorrections
}
