/// The knobs of a simulated annotation project; the defaults are the seed's comparison.
///
/// Time is counted on two clocks. *Working hours* run only while the team is at work
/// (`hoursPerDay` of them per day); a *calendar day* here is one working day (the seed's
/// 583 h / 6 h = 97 d counts no weekends). A retrain pauses annotation for `retrainDays`
/// whole days, i.e. `retrainDays * hoursPerDay` working hours in which nobody annotates.
public struct ProjectParameters: Sendable, Codable, Equatable {
    /// Images to annotate.
    public var images: Int
    /// Seconds per image without any pre-label (the seed: 3.5 min).
    public var manualSeconds: Double
    /// Seconds per image with a promptable foundation model that never adapts (the seed: 90 s).
    public var foundationSeconds: Double
    /// Seconds per image when the pre-label is perfect and only needs a look (the seed: 30 s).
    public var reviewFloorSeconds: Double
    /// Human-in-the-loop retrains once this many images are labelled, in increasing order.
    public var retrainAt: [Int]
    /// Days annotation pauses for each human-in-the-loop retrain.
    public var retrainDays: Double
    /// Working hours per day.
    public var hoursPerDay: Double
    /// Annotators working in parallel on the same project.
    public var annotators: Int

    public init(
        images: Int = 10_000,
        manualSeconds: Double = 210,
        foundationSeconds: Double = 90,
        reviewFloorSeconds: Double = 30,
        retrainAt: [Int] = [200, 1_000, 2_000, 5_000],
        retrainDays: Double = 1,
        hoursPerDay: Double = 6,
        annotators: Int = 1
    ) {
        self.images = images
        self.manualSeconds = manualSeconds
        self.foundationSeconds = foundationSeconds
        self.reviewFloorSeconds = reviewFloorSeconds
        self.retrainAt = retrainAt
        self.retrainDays = retrainDays
        self.hoursPerDay = hoursPerDay
        self.annotators = annotators
    }

    /// The seed's comparison: 10,000 images, one annotator, 6 h days.
    public static let seed = ProjectParameters()

    /// Bounds on what may be simulated. A simulation costs time linear in `images`: a million takes
    /// about a tenth of a second, a hundred million ten seconds of a core, so the page caps it.
    public static let imageRange = 1...1_000_000
    public static let annotatorRange = 1...10_000
    /// Any per-image time, seconds: from one second to a full day per image.
    public static let secondsPerImageRange = 1.0...86_400.0
    /// Working hours per day: at least one (fewer makes calendars of millions of days).
    public static let hoursPerDayRange = 1.0...24.0
    public static let maxRetrainDays = 365.0

    /// Throws the first parameter that makes the simulation meaningless.
    public func validate() throws(SimulationError) {
        guard Self.imageRange.contains(images) else {
            throw .invalidParameter("images must be in \(Self.imageRange.lowerBound)...\(Self.imageRange.upperBound), got \(images)")
        }
        guard Self.annotatorRange.contains(annotators) else {
            throw .invalidParameter(
                "annotators must be in \(Self.annotatorRange.lowerBound)...\(Self.annotatorRange.upperBound), got \(annotators)")
        }
        for (name, seconds) in [("manual", manualSeconds), ("foundation-model", foundationSeconds), ("review floor", reviewFloorSeconds)]
        where !Self.secondsPerImageRange.contains(seconds) {
            throw .invalidParameter("\(name) time must be in 1...86400 s, got \(seconds)")
        }
        guard Self.hoursPerDayRange.contains(hoursPerDay) else {
            throw .invalidParameter("hours per day must be in 1...24, got \(hoursPerDay)")
        }
        guard (0...Self.maxRetrainDays).contains(retrainDays) else {
            throw .invalidParameter("retrain days must be in 0...\(Int(Self.maxRetrainDays)), got \(retrainDays)")
        }
        guard manualSeconds >= reviewFloorSeconds else {
            throw .invalidParameter(
                "manual time (\(manualSeconds) s) must not be below the review floor (\(reviewFloorSeconds) s)")
        }
        guard retrainAt.allSatisfy({ $0 > 0 }), retrainAt == retrainAt.sorted(), Set(retrainAt).count == retrainAt.count
        else {
            throw .invalidParameter("retrain points must be positive and strictly increasing, got \(retrainAt)")
        }
    }
}

/// Why a simulation could not run.
public enum SimulationError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(String)
    case cannotFit(String)
    case invalidReplayReport(String)
    case invalidProjectTimes(String)

    public var description: String {
        switch self {
        case .invalidParameter(let why): "invalid parameter: \(why)"
        case .cannotFit(let why): "cannot fit the learning curve: \(why)"
        case .invalidReplayReport(let why): "invalid replay report: \(why)"
        case .invalidProjectTimes(let why): "invalid project times: \(why)"
        }
    }
}
