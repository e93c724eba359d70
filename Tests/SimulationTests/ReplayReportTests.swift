import Foundation
import Testing

@testable import Simulation

@Suite struct ReplayReportTests {
    @Test func readsTheLiveCurveAndIgnoresOtherKeys() throws {
        let report = try ReplayReport.decode(Fixtures.replayReportJSON())
        #expect(report.task == "semantic-segmentation")
        #expect(report.liveCurve.count == 17)
        #expect(report.liveCurve.first == .init(imagesLabelled: 0, quality: 0))
        #expect(report.liveCurve.allSatisfy { (0...1).contains($0.quality) })
    }

    @Test func loadsFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).json")
        try Fixtures.replayReportJSON().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ReplayReport.load(path: url.path) == ReplayReport.decode(Fixtures.replayReportJSON()))
    }

    @Test func malformedReportsThrow() {
        #expect(throws: SimulationError.self) { try ReplayReport.decode(Data(#"{"task": "x"}"#.utf8)) }
        #expect(throws: SimulationError.self) { try ReplayReport.load(path: "/nonexistent/report.json") }
        #expect(throws: SimulationError.self) {
            try SimulationReport.run(replay: ReplayReport(task: "x", liveCurve: []))
        }
    }

    @Test func projectsTheMeasuredCurveBesideTheAssumedOne() throws {
        let report = Fixtures.seedReportWithReplay
        let measured = try #require(report.measured)
        #expect(report.results.count == 5)
        #expect(measured.kind == .live && measured.name.contains("semantic-segmentation"))
        // The fixture plateaus near mIoU 0.86, i.e. about 30 + 180 * 0.14 = 55 s per image for most images.
        #expect(measured.workingHours > 10_000 * 55 / 3600.0 * 0.98)
        #expect(measured.workingHours < 10_000 * 60 / 3600.0)
        #expect(report.notes().contains { $0.contains("projected") && $0.contains("semantic-segmentation") })
        #expect(report.markdownTable().contains("live training (measured: semantic-segmentation)"))
        // The assumed rows do not change when a replay is added.
        #expect(Array(report.results.prefix(4)) == Fixtures.seedReport.results)
    }

    @Test func rampingCurveGivesTheHandComputedHours() throws {
        // Quality rises linearly to 1 over the first 1,000 images: image k < 1,000 costs
        // 30 + 180 * (1 - k / 1000) s, the other 9,000 cost the floor.
        // Sum: 1,000 * 30 + 180 * (1,000 - 499.5) + 9,000 * 30 = 390,090 s.
        let replay = ReplayReport(task: "ramp", liveCurve: [.init(imagesLabelled: 1_000, quality: 1)])
        let report = try SimulationReport.run(replay: replay)
        let measured = try #require(report.measured)
        #expect(abs(measured.workingHours - 390_090 / 3600.0) < 1e-9)
    }

    @Test func countedCorrectionsGiveAShareOfManualTime() throws {
        // 20 images: the first ten corrected in 80 % of their manual time, the next ten in 25 %, on
        // images drawn in 100 s or 300 s by hand (the share, not the seconds, carries over).
        let manual: [Double] = (0..<20).map { i in i % 2 == 0 ? 100 : 300 }
        var live: [ReplayReport.LiveImage] = []
        for (i, seconds) in manual.enumerated() {
            let share = i < 10 ? 0.8 : 0.25
            live.append(ReplayReport.LiveImage(correctionSeconds: seconds * share))
        }
        let replay = ReplayReport(
            task: "detection", liveCurve: [.init(imagesLabelled: 0, quality: 0), .init(imagesLabelled: 19, quality: 0.6)],
            live: live, manualPerImageSeconds: manual)
        let curve = try #require(try replay.correctionTimes(manualSeconds: 210))
        #expect(curve.points == [.init(imagesLabelled: 5, seconds: 0.8 * 210), .init(imagesLabelled: 15, seconds: 0.25 * 210)])
        let report = try SimulationReport.run(replay: replay)
        let row = try #require(report.countedCorrections)
        // Images 0-5 at 168 s, 6-14 falling linearly to 52.5 s, the other 9,985 at 52.5 s.
        var ramp = 0.0
        for k in 6...14 { ramp += 168 + Double(k - 5) / 10 * (52.5 - 168) }
        let expected = 6 * 168 + ramp + 9_985 * 52.5
        #expect(abs(row.workingHours - expected / 3600) < 1e-6)
        #expect(row.kind == .live && row.name == "live training (counted corrections: detection)")
        #expect(report.notes().contains { $0.hasPrefix("Counted corrections: the replay's 20 images") })
        // Reports from before the counting have no such row; a negative time is refused.
        #expect(try SimulationReport.run(replay: ReplayReport(task: "x", liveCurve: replay.liveCurve)).countedCorrections == nil)
        var broken = replay
        broken.live?[3] = .init(correctionSeconds: -1)
        #expect(throws: SimulationError.self) { try SimulationReport.run(replay: broken) }
    }
}
