/// Plays an approach through a project image by image and adds up the time it takes.
///
/// With several annotators, images are handed out in order and annotated in parallel, so elapsed
/// time is the summed per-image time divided by the team size; a model's quality for image `k` still
/// depends on the `k` images before it (the few images in flight at once are ignored).
public struct Simulator: Sendable {
    public var parameters: ProjectParameters
    public var timeModel: AnnotationTimeModel
    /// Roughly how many samples a timeline gets (plus the ones around retrains).
    public var timelineSamples: Int

    public init(parameters: ProjectParameters, timeModel: AnnotationTimeModel, timelineSamples: Int = 500) {
        self.parameters = parameters
        self.timeModel = timeModel
        self.timelineSamples = timelineSamples
    }

    /// Seconds one annotator spends on image `imagesLabelled` (0-based: that many are already done).
    public func secondsPerImage(_ approach: Approach, imagesLabelled k: Int) -> Double {
        switch approach {
        case .manual:
            return parameters.manualSeconds
        case .foundationModel:
            return parameters.foundationSeconds
        case .humanInTheLoop(let curve):
            guard let trainedOn = parameters.retrainAt.last(where: { $0 <= k }) else {
                return parameters.manualSeconds
            }
            return timeModel.seconds(quality: curve.quality(afterLearningFrom: trainedOn))
        case .live(let curve):
            return timeModel.seconds(quality: curve.quality(afterLearningFrom: k))
        case .measuredTimes(let curve), .countedCorrections(let curve):
            return curve.seconds(afterLabelling: k)
        }
    }

    /// Whether annotation pauses for a retrain before image `k`.
    func retrainsBefore(_ approach: Approach, imagesLabelled k: Int) -> Bool {
        guard case .humanInTheLoop = approach else { return false }
        return parameters.retrainAt.contains(k)
    }

    /// Elapsed working hours only; the fast path the curve fit calls many times.
    public func workingHours(_ approach: Approach) -> Double {
        simulate(approach, name: "", recordTimeline: false).workingHours
    }

    /// Simulates `approach` with its timeline; `name` defaults to the seed's name for its kind.
    public func run(_ approach: Approach, name: String? = nil) -> ApproachResult {
        simulate(approach, name: name ?? approach.kind.displayName, recordTimeline: true)
    }

    private func simulate(_ approach: Approach, name: String, recordTimeline: Bool) -> ApproachResult {
        let team = Double(parameters.annotators)
        let pauseHours = parameters.retrainDays * parameters.hoursPerDay
        let stride = max(1, parameters.images / max(1, timelineSamples))
        var annotationSeconds = 0.0
        var pausedHours = 0.0
        // Derived from the two sums rather than accumulated, so totals carry no drift.
        var hours: Double { annotationSeconds / team / 3600 + pausedHours }
        var timeline: [TimelineSample] = []
        var previousSpeed = 0.0
        for k in 0..<parameters.images {
            let seconds = secondsPerImage(approach, imagesLabelled: k)
            let speed = team * 3600 / seconds
            let pauses = retrainsBefore(approach, imagesLabelled: k)
            if pauses {
                if recordTimeline && k > 0 {
                    timeline.append(
                        TimelineSample(workingHours: hours, imagesLabelled: k, imagesPerHour: previousSpeed))
                }
                if pauseHours > 0 {
                    if recordTimeline {
                        timeline.append(
                            TimelineSample(workingHours: hours, imagesLabelled: k, imagesPerHour: 0, paused: true))
                    }
                    pausedHours += pauseHours
                    if recordTimeline {
                        timeline.append(
                            TimelineSample(workingHours: hours, imagesLabelled: k, imagesPerHour: 0, paused: true))
                    }
                }
            }
            if recordTimeline && (pauses || k % stride == 0) {
                timeline.append(TimelineSample(workingHours: hours, imagesLabelled: k, imagesPerHour: speed))
            }
            annotationSeconds += seconds
            previousSpeed = speed
        }
        if recordTimeline {
            timeline.append(
                TimelineSample(workingHours: hours, imagesLabelled: parameters.images, imagesPerHour: previousSpeed))
        }
        let days = hours / parameters.hoursPerDay
        return ApproachResult(
            name: name, kind: approach.kind, curveSource: approach.curveSource,
            annotationHours: annotationSeconds / 3600, pausedHours: pausedHours, workingHours: hours,
            workingDays: days, calendarDays: Int(exactly: days.rounded()) ?? Int.max, timeline: timeline)
    }
}
