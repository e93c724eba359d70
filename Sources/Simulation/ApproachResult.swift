/// What simulating one approach on one project gives: totals and a timeline for the plots.
public struct ApproachResult: Sendable, Codable, Equatable {
    public var name: String
    public var kind: ApproachKind
    public var curveSource: CurveSource
    /// Person-hours spent annotating (summed over annotators).
    public var annotationHours: Double
    /// Working hours the whole project waited for retrains.
    public var pausedHours: Double
    /// Elapsed working hours: annotation spread over the annotators, plus the pauses.
    public var workingHours: Double
    /// `workingHours / hoursPerDay`, unrounded.
    public var workingDays: Double
    /// Working days rounded to the nearest whole day: the rule the seed's table follows
    /// (583.3 h / 6 = 97.2 -> 97 d, 250 h / 6 = 41.7 -> 42 d; ceiling would give 98 d, floor 41 d).
    public var calendarDays: Int
    /// Samples of the project's state over time, in time order; enough to draw every plot.
    public var timeline: [TimelineSample]
}

/// The project's state at one instant of one approach's simulation.
public struct TimelineSample: Sendable, Codable, Equatable {
    /// Elapsed working hours since the project started.
    public var workingHours: Double
    /// Images finished so far.
    public var imagesLabelled: Int
    /// The team's speed on the image being worked on, in images per working hour; 0 while paused.
    public var imagesPerHour: Double
    /// True while annotation waits for a retrain.
    public var paused: Bool

    public init(workingHours: Double, imagesLabelled: Int, imagesPerHour: Double, paused: Bool = false) {
        self.workingHours = workingHours
        self.imagesLabelled = imagesLabelled
        self.imagesPerHour = imagesPerHour
        self.paused = paused
    }
}
