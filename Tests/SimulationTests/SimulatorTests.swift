import Testing

@testable import Simulation

/// A curve with the same quality at every image count, for hand-checkable sums.
private struct ConstantCurve: LearningCurve {
    var value: Double
    func quality(afterLearningFrom images: Int) -> Double { value }
}

/// A curve whose quality is the image count itself scaled, so tests can see which count was used.
private struct CountingCurve: LearningCurve {
    func quality(afterLearningFrom images: Int) -> Double { Double(images) / 10_000 }
}

@Suite struct SimulatorTests {
    let parameters = ProjectParameters(images: 1_000, retrainAt: [100, 400])
    var simulator: Simulator { Simulator(parameters: parameters, timeModel: AnnotationTimeModel(parameters)) }

    @Test func liveWithConstantQualityCostsTheMappedTimeForEveryImage() {
        let result = simulator.run(.live(ConstantCurve(value: 0.5)))
        // 0.5 -> 30 + 180 * 0.5 = 120 s per image.
        #expect(abs(result.workingHours - 1_000 * 120 / 3600.0) < 1e-9)
    }

    @Test func liveFirstImageIsManualWithTheAssumedCurve() {
        let curve = ExponentialLearningCurve(imagesScale: 50)
        #expect(simulator.secondsPerImage(.live(curve), imagesLabelled: 0) == 210)
        #expect(simulator.secondsPerImage(.live(curve), imagesLabelled: 1) < 210)
    }

    @Test func humanInTheLoopIsManualBeforeTheFirstRetrainThenFrozenAtTheLastRetrain() {
        let hitl = Approach.humanInTheLoop(CountingCurve())
        #expect(simulator.secondsPerImage(hitl, imagesLabelled: 99) == 210)
        let seconds = { (quality: Double) in 30 + 180 * (1 - quality) }
        #expect(simulator.secondsPerImage(hitl, imagesLabelled: 100) == seconds(0.01))
        #expect(simulator.secondsPerImage(hitl, imagesLabelled: 399) == seconds(0.01))
        #expect(simulator.secondsPerImage(hitl, imagesLabelled: 400) == seconds(0.04))
        #expect(simulator.secondsPerImage(hitl, imagesLabelled: 999) == seconds(0.04))
    }

    @Test func humanInTheLoopPausesOneWorkingDayPerRetrain() {
        let result = simulator.run(.humanInTheLoop(ConstantCurve(value: 1)))
        #expect(result.pausedHours == 2 * 6)
        // 100 manual images, 900 at the floor, then the two pauses.
        let expected = (100 * 210 + 900 * 30) / 3600.0 + 12
        #expect(abs(result.workingHours - expected) < 1e-9)
    }

    @Test func retrainPointsAtOrBeyondTheLastImageCostNothing() {
        var parameters = self.parameters
        parameters.retrainAt = [100, 1_000, 5_000]
        let simulator = Simulator(parameters: parameters, timeModel: AnnotationTimeModel(parameters))
        #expect(simulator.run(.humanInTheLoop(ConstantCurve(value: 1))).pausedHours == 6)
    }

    @Test func moreAnnotatorsShareTheAnnotationButNotThePauses() {
        var team = parameters
        team.annotators = 3
        let alone = simulator.run(.humanInTheLoop(ConstantCurve(value: 0.5)))
        let together = Simulator(parameters: team, timeModel: AnnotationTimeModel(team))
            .run(.humanInTheLoop(ConstantCurve(value: 0.5)))
        #expect(abs(together.annotationHours - alone.annotationHours) < 1e-9)
        #expect(together.pausedHours == alone.pausedHours)
        #expect(abs(together.workingHours - (alone.annotationHours / 3 + alone.pausedHours)) < 1e-9)
    }

    @Test func calendarDaysRoundWorkingDaysToTheNearestDay() {
        // 100 images at 51 h in all = 8.5 working days of 6 h -> 9; at 49 h = 8.17 days -> 8.
        for (totalHours, days) in [(51.0, 9), (49.0, 8)] {
            let parameters = ProjectParameters(images: 100, manualSeconds: totalHours * 36)
            let simulator = Simulator(parameters: parameters, timeModel: AnnotationTimeModel(parameters))
            #expect(simulator.run(.manual).calendarDays == days)
        }
    }

    @Test func timelineRunsFromZeroToTheTotalsWithPausesAsFlatStretches() throws {
        let result = simulator.run(.humanInTheLoop(ExponentialLearningCurve(imagesScale: 200)))
        let first = try #require(result.timeline.first)
        let last = try #require(result.timeline.last)
        #expect(first.workingHours == 0 && first.imagesLabelled == 0)
        #expect(abs(last.workingHours - result.workingHours) < 1e-9 && last.imagesLabelled == 1_000)
        for (a, b) in zip(result.timeline, result.timeline.dropFirst()) {
            #expect(a.workingHours <= b.workingHours && a.imagesLabelled <= b.imagesLabelled)
        }
        let paused = result.timeline.filter(\.paused)
        #expect(paused.count == 4)
        #expect(paused.map(\.imagesLabelled) == [100, 100, 400, 400])
        #expect(abs(paused[1].workingHours - paused[0].workingHours - 6) < 1e-9)
        #expect(paused.allSatisfy { $0.imagesPerHour == 0 })
    }

    @Test func fittedCurveBelongsToTheModelNotToTheTeam() throws {
        let team = try SimulationReport.run(parameters: ProjectParameters(annotators: 2))
        #expect(team.assumedCurve == Fixtures.seedReport.assumedCurve)
        let live = try #require(team.result(.live))
        #expect(abs(live.workingHours - 51) < 1e-6)
        #expect(abs(live.annotationHours - 102) < 1e-6)
    }

    @Test func invalidParametersAreRejected() {
        #expect(throws: SimulationError.self) { try ProjectParameters(images: 0).validate() }
        #expect(throws: SimulationError.self) { try ProjectParameters(annotators: 0).validate() }
        #expect(throws: SimulationError.self) { try ProjectParameters(manualSeconds: 20).validate() }
        #expect(throws: SimulationError.self) { try ProjectParameters(retrainAt: [1_000, 200]).validate() }
        #expect(throws: SimulationError.self) { try ProjectParameters(hoursPerDay: 25).validate() }
    }

    @Test func unreachableLiveTargetsSayWhatIsReachable() {
        let seed = Simulator(parameters: .seed, timeModel: AnnotationTimeModel(.seed))
        #expect(throws: SimulationError.self) { try LiveCurveFit.fit(liveHours: 50, simulator: seed) }
        #expect(throws: SimulationError.self) { try LiveCurveFit.fit(liveHours: 600, simulator: seed) }
    }
}
