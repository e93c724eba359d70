import Foundation
import Testing
import Vision

@testable import Formats

@Suite("label map files")
struct LabelMapFilesTests {
    func error(_ body: () throws -> Void) -> FormatError? {
        do {
            try body()
            Issue.record("no error thrown")
            return nil
        } catch {
            guard let error = error as? FormatError else {
                Issue.record("\(error) is no FormatError")
                return nil
            }
            return error
        }
    }

    @Test("a label map written as PNG reads back unchanged")
    func roundTrip() throws {
        let map = LabelMap(width: 4, height: 3, labels: [0, 1, 2, 2, 0, 0, 1, 1, 2, 2, 2, 0])
        let read = try LabelMapFiles.read(
            try map.pngData(), name: "a.png", maxPixels: 100, width: 4, height: 3, classCount: 3, owner: "project")
        #expect(read == map)
    }

    @Test("VOC's void 255 reads as background unless 255 is a class")
    func vocVoid() throws {
        let map = LabelMap(width: 4, height: 2, labels: [255, 255, 1, 1, 255, 2, 2, 0])
        let read = try LabelMapFiles.checked(map, width: 4, height: 2, classCount: 3, owner: "project")
        #expect(read.labels == [0, 0, 1, 1, 0, 2, 2, 0])
        #expect(try LabelMapFiles.checked(map, width: 4, height: 2, classCount: 256, owner: "project") == map)
    }

    @Test("a map of another size, or with labels past the classes, is refused saying which")
    func refused() {
        let small = LabelMap(width: 5, height: 4, labels: Array(repeating: 0, count: 20))
        let size = error { _ = try LabelMapFiles.checked(small, width: 4, height: 3, classCount: 3, owner: "project") }
        #expect(size == FormatError(.labelMap, .labelMapSize(width: 5, height: 4, imageWidth: 4, imageHeight: 3)))
        #expect(size?.description == "the label map is 5x4, the image is 4x3")

        let one = LabelMap(width: 4, height: 3, labels: [0, 1, 2, 7, 0, 0, 0, 0, 1, 1, 1, 1])
        let unknown = error { _ = try LabelMapFiles.checked(one, width: 4, height: 3, classCount: 3, owner: "project") }
        #expect(unknown?.description == "class index 7 unknown (project has 0..<3)")

        let many = LabelMap(width: 4, height: 2, labels: [3, 4, 5, 6, 7, 8, 9, 9])
        let listed = error { _ = try LabelMapFiles.checked(many, width: 4, height: 2, classCount: 3, owner: "the dataset") }
        #expect(listed?.description == "class indices 3, 4, 5, 6, 7, … unknown (the dataset has 0..<3)")
    }

    @Test("bytes that are no PNG are the decoder's error")
    func notAnImage() {
        let thrown = error {
            _ = try LabelMapFiles.read(
                Data("not a png".utf8), name: "a.png", maxPixels: 100, width: 4, height: 3, classCount: 3, owner: "project")
        }
        guard case .image = thrown?.reason else {
            Issue.record("\(String(describing: thrown))")
            return
        }
    }
}
