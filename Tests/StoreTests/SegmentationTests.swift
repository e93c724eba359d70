import Formats
import Foundation
import Store
import Testing
import Vision

@Suite("instance masks and semantic label maps")
struct SegmentationTests {
    /// A 4x3 image's mask with the middle two columns set (column-major runs: 3 off, 6 on, 3 off).
    static let middle = try! COCORLE(width: 4, height: 3, counts: [3, 6, 3])

    /// A mask with these fields whether or not they make one: COCORLE checks its runs when built, so
    /// the store's own check (its fields stay mutable) is reached by changing a built one's fields.
    static func unchecked(width: Int, height: Int, counts: [Int]) -> COCORLE {
        var mask = COCORLE(BinaryMask(width: 0, height: 0))
        (mask.width, mask.height, mask.counts) = (width, height, counts)
        return mask
    }

    func project(_ store: Store, task: VisionTask) async throws -> (Int64, Int64) {
        let project = try await store.createProject(
            name: task.rawValue, task: task, classes: [.init(name: "background"), .init(name: "tree")])
        let image = try await store.addImage(
            project: project.project.id, fileName: "a.png", originalName: "a.png", width: 4, height: 3)
        return (project.project.id, image.id)
    }

    @Test("an instance object's mask is stored and read back with its box")
    func instanceMask() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await project(temp.store, task: .instance)
        let object = DatasetObject(classIndex: 1, x1: 1, y1: 0, x2: 3, y2: 3, mask: Self.middle)
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [object], source: .drawn, who: "a")
        try temp.reopen()
        #expect(try await temp.store.annotation(project: project, image: image).objects == [object])
    }

    @Test("a stored mask keeps COCO RLE's JSON shape {width, height, counts}")
    func maskJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = DatasetObject(classIndex: 1, x1: 1, y1: 0, x2: 3, y2: 3, mask: Self.middle)
        let json = String(decoding: try encoder.encode(object), as: UTF8.self)
        #expect(json == #"{"classIndex":1,"mask":{"counts":[3,6,3],"height":3,"width":4},"x1":1,"x2":3,"y1":0,"y2":3}"#)
        #expect(try JSONDecoder().decode(DatasetObject.self, from: Data(json.utf8)) == object)
    }

    @Test("masks that do not fit the image are refused: wrong size, runs not covering it, nothing set")
    func badMasks() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await project(temp.store, task: .instance)
        for mask in [
            Self.unchecked(width: 3, height: 4, counts: [3, 6, 3]), Self.unchecked(width: 4, height: 3, counts: [3, 6]),
            Self.unchecked(width: 4, height: 3, counts: [12]), Self.unchecked(width: 4, height: 3, counts: [-1, 13]),
            Self.unchecked(width: 4, height: 3, counts: [Int.max, 3]),
        ] {
            await #expect {
                try await temp.store.saveAnnotation(
                    project: project, image: image,
                    objects: [DatasetObject(classIndex: 1, x1: 1, y1: 0, x2: 3, y2: 3, mask: mask)], source: .drawn, who: "a")
            } throws: { error in
                if case .invalidMask(object: 0, _) = error as? StoreError { return true }
                return false
            }
        }
        #expect(try await temp.store.history(project: project, image: image).isEmpty)
    }

    @Test("a semantic label map is stored; wrong size, unknown classes and short runs are refused")
    func labelMaps() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await project(temp.store, task: .semantic)
        let labels = LabelRuns(width: 4, height: 3, runs: [[0, 5], [1, 7]])
        let saved = try await temp.store.saveAnnotation(
            project: project, image: image, objects: [], labels: labels, source: .drawn, who: "a")
        #expect(saved.annotation.labels == labels)
        #expect(try await temp.store.annotation(project: project, image: image).labels == labels)
        #expect(try await temp.store.history(project: project, image: image).first?.labels == labels)
        for bad in [
            LabelRuns(width: 3, height: 4, runs: [[0, 12]]), LabelRuns(width: 4, height: 3, runs: [[2, 12]]),
            LabelRuns(width: 4, height: 3, runs: [[0, 11]]), LabelRuns(width: 4, height: 3, runs: [[0, 6, 6]]),
        ] {
            await #expect {
                try await temp.store.saveAnnotation(
                    project: project, image: image, objects: [], labels: bad, source: .edited, who: "a")
            } throws: { error in
                if case .invalidLabelMap = error as? StoreError { return true }
                return false
            }
        }
        #expect(try await temp.store.annotation(project: project, image: image).labels == labels)
    }

    @Test("labels of another task are refused with the reason")
    func wrongTask() async throws {
        let temp = try TemporaryStore()
        let (detection, a) = try await project(temp.store, task: .detection)
        let (semantic, b) = try await project(temp.store, task: .semantic)
        let (instance, c) = try await project(temp.store, task: .instance)
        let map = LabelRuns(width: 4, height: 3, runs: [[0, 12]])
        await #expect(throws: StoreError.wrongTask(task: .detection, reason: "masks belong to instance projects")) {
            try await temp.store.saveAnnotation(
                project: detection, image: a,
                objects: [DatasetObject(classIndex: 1, x1: 1, y1: 0, x2: 3, y2: 3, mask: Self.middle)], source: .drawn, who: "a")
        }
        await #expect(throws: StoreError.wrongTask(task: .semantic, reason: "a label map ('labels') is required")) {
            try await temp.store.saveAnnotation(project: semantic, image: b, objects: [], source: .drawn, who: "a")
        }
        await #expect(throws: StoreError.wrongTask(task: .instance, reason: "label maps belong to semantic projects")) {
            try await temp.store.saveAnnotation(project: instance, image: c, objects: [], labels: map, source: .drawn, who: "a")
        }
    }
}
