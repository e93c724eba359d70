/// Everything one `livetrain simulate` run decides: inputs, curves and every approach's result.
public struct SimulationReport: Sendable, Codable, Equatable {
    /// Where the assumed curve's τ came from.
    public enum CurveOrigin: Sendable, Codable, Equatable {
        /// Fitted so that live training takes `liveHours` working hours in the `reference` project
        /// (the seed: 102 h in the seed's project).
        case fitted(liveHours: Double, reference: ProjectParameters)
        /// Given directly.
        case given
    }

    public var parameters: ProjectParameters
    public var timeModel: AnnotationTimeModel
    public var assumedCurve: ExponentialLearningCurve
    public var assumedCurveOrigin: CurveOrigin
    /// The replay report the measured row comes from, if one was given.
    public var replay: ReplayReport?
    /// The project's measured times the last row comes from, if given (`--project-times`).
    public var projectTimes: MeasuredTimeCurve? = nil
    /// The replay's counted corrections as seconds per image, if its report has them.
    public var correctionTimes: MeasuredTimeCurve? = nil
    /// Manual, foundation model, human-in-the-loop, live (assumed), then live (measured) if any.
    public var results: [ApproachResult]

    /// Runs every approach on `parameters`.
    ///
    /// With `assumedCurve` nil, τ is fitted so that live training takes `fitLiveHours` in the
    /// `fitReference` project, not in `parameters`: how fast a model learns is a property of the
    /// model and the data, so changing the team size or the project size must not change the curve.
    public static func run(
        parameters: ProjectParameters = .seed,
        qualityExponent: Double = 1,
        assumedCurve: ExponentialLearningCurve? = nil,
        fitLiveHours: Double = 102,
        fitReference: ProjectParameters = .seed,
        maxQuality: Double = 1,
        replay: ReplayReport? = nil,
        projectTimes: ProjectTimes? = nil
    ) throws(SimulationError) -> SimulationReport {
        try parameters.validate()
        guard qualityExponent > 0 else { throw .invalidParameter("quality exponent must be positive") }
        guard maxQuality > 0, maxQuality <= 1 else { throw .invalidParameter("max quality must be in (0, 1]") }
        let simulator = Simulator(
            parameters: parameters, timeModel: AnnotationTimeModel(parameters, exponent: qualityExponent))
        let curve: ExponentialLearningCurve
        let origin: CurveOrigin
        if let assumedCurve {
            guard assumedCurve.imagesScale > 0 else { throw .invalidParameter("curve images scale must be positive") }
            (curve, origin) = (assumedCurve, .given)
        } else {
            try fitReference.validate()
            let reference = Simulator(
                parameters: fitReference, timeModel: AnnotationTimeModel(fitReference, exponent: qualityExponent))
            curve = try LiveCurveFit.fit(liveHours: fitLiveHours, simulator: reference, maxQuality: maxQuality)
            origin = .fitted(liveHours: fitLiveHours, reference: fitReference)
        }
        var results = [
            simulator.run(.manual),
            simulator.run(.foundationModel),
            simulator.run(.humanInTheLoop(curve)),
            simulator.run(.live(curve)),
        ]
        let corrections = try replay?.correctionTimes(manualSeconds: parameters.manualSeconds)
        if let replay {
            let measured = try replay.learningCurve()
            results.append(simulator.run(.live(measured), name: "live training (measured: \(replay.task))"))
            if let corrections {
                results.append(simulator.run(.countedCorrections(corrections), name: "live training (counted corrections: \(replay.task))"))
            }
        }
        let timesCurve = projectTimes?.curve()
        if let timesCurve {
            results.append(simulator.run(.measuredTimes(timesCurve), name: "live training (project's measured times)"))
        }
        return SimulationReport(
            parameters: parameters, timeModel: simulator.timeModel, assumedCurve: curve,
            assumedCurveOrigin: origin, replay: replay, projectTimes: timesCurve, correctionTimes: corrections, results: results)
    }

    /// The result of the first approach of `kind` resting on `curveSource` (assumed by default).
    public func result(_ kind: ApproachKind, curveSource: CurveSource? = nil) -> ApproachResult? {
        results.first { result in
            result.kind == kind
                && result.curveSource
                    == (curveSource ?? (kind == .manual || kind == .foundationModel ? .none : .assumed))
        }
    }

    /// The row for the replay-measured curve, if a replay report was given.
    public var measured: ApproachResult? { results.first { $0.curveSource == .measured } }

    /// The row priced by the replay's counted corrections, if its report has them.
    public var countedCorrections: ApproachResult? { results.first { $0.curveSource == .countedCorrections } }

    /// The row for the project's measured times, if they were given.
    public var measuredTimes: ApproachResult? { results.first { $0.curveSource == .measuredTimes } }
}
