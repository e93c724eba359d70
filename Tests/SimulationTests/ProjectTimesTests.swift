import Foundation
import Testing

@testable import Simulation

@Suite("a project's measured annotation times")
struct ProjectTimesTests {
    /// The server's annotation-times document: image 1 timed twice (an edit), image 3 untimed.
    static let api = Data(
        #"""
        {"times": [
          {"imageId": 1, "version": 1, "annotator": "ana", "seconds": 100, "labelledIndex": 0, "source": "drawn", "at": "x"},
          {"imageId": 2, "version": 1, "annotator": "ben", "seconds": 60, "labelledIndex": 1, "source": "drawn", "at": "x"},
          {"imageId": 1, "version": 2, "annotator": "ben", "seconds": 20, "labelledIndex": 2, "source": "edited", "at": "x"},
          {"imageId": 3, "version": 1, "annotator": "ana", "labelledIndex": 2, "source": "drawn", "at": "x"},
          {"imageId": 4, "version": 1, "annotator": "ana", "seconds": 30, "labelledIndex": 3, "source": "drawn", "at": "x"}
        ]}
        """#.utf8)

    @Test("annotation-times JSON: an image's versions add up at the index it was first labelled at")
    func readsTheAPI() throws {
        let times = try ProjectTimes.decode(Self.api)
        #expect(times.points == [.init(imagesLabelled: 0, seconds: 120), .init(imagesLabelled: 1, seconds: 60), .init(imagesLabelled: 3, seconds: 30)])
    }

    @Test("a COCO export's image entries read the same; files with neither shape or no seconds throw")
    func readsCOCO() throws {
        let coco = Data(
            #"{"images": [{"id": 1, "file_name": "a.png", "labelled_index": 0, "annotation_seconds": 120}, {"id": 2, "file_name": "b.png"}], "annotations": [], "categories": []}"#.utf8)
        #expect(try ProjectTimes.decode(coco).points == [.init(imagesLabelled: 0, seconds: 120)])
        #expect(throws: SimulationError.self) { try ProjectTimes.decode(Data(#"{"images": [{"id": 1}]}"#.utf8)) }
        #expect(throws: SimulationError.self) { try ProjectTimes.decode(Data(#"{"task": "x"}"#.utf8)) }
        #expect(throws: SimulationError.self) { try ProjectTimes.load(path: "/nonexistent/times.json") }
        #expect(throws: SimulationError.self) { try ProjectTimes(points: [.init(imagesLabelled: -1, seconds: 3)]) }
    }

    @Test("the curve interpolates averaged runs and holds its ends")
    func curve() throws {
        let times = try ProjectTimes(points: (0..<40).map { .init(imagesLabelled: $0, seconds: $0 < 20 ? 100 : 40) })
        let curve = times.curve(bins: 4)
        #expect(curve.points.count == 4)
        #expect(curve.images == 40)
        #expect(curve.seconds(afterLabelling: 0) == 100)
        #expect(curve.seconds(afterLabelling: 10_000) == 40)
        let middle = curve.seconds(afterLabelling: 20)
        #expect(middle > 40 && middle < 100)
    }

    @Test("simulate plays a project on its measured seconds per image, beside the assumed rows")
    func simulates() throws {
        var parameters = ProjectParameters.seed
        parameters.images = 1_000
        let times = try ProjectTimes(points: (0..<50).map { .init(imagesLabelled: $0, seconds: $0 < 25 ? 90 : 36) })
        let plain = try SimulationReport.run(parameters: parameters)
        let report = try SimulationReport.run(parameters: parameters, projectTimes: times)
        let row = try #require(report.measuredTimes)
        #expect(row.kind == .live && row.curveSource == .measuredTimes)
        // About 25 images near 90 s, the rest at 36 s, for one annotator.
        #expect(abs(row.annotationHours - (25 * 90 + 975 * 36) / 3600) < 1)
        #expect(Array(report.results.prefix(4)) == plain.results)
        #expect(report.notes().contains { $0.contains("Measured times: 50 timed images") })
        #expect(report.markdownTable().contains("project's measured times"))
    }
}
