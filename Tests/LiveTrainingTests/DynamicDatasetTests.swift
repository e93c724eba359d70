import Foundation
import Models
import Testing
import Vision

@testable import LiveTraining

@Suite("dynamic dataset")
struct DynamicDatasetTests {
    static func sample(_ id: String, boxes: Int = 1) -> Sample {
        Sample(
            id: id, image: Image(width: 4, height: 4, channels: 3, fill: 7),
            annotation: Annotation(
                objects: (0..<boxes).map { _ in AnnotatedObject(classIndex: 0, box: Box(x1: 0, y1: 0, x2: 2, y2: 2)) }))
    }

    @Test("appends from many tasks at once keep every sample once, with distinct arrival indices")
    func concurrentAppends() async {
        let dataset = DynamicDataset()
        let indices = await withTaskGroup(of: Int.self) { group in
            for i in 0..<200 { group.addTask { dataset.append(Self.sample("s\(i)")).index } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(dataset.count == 200)
        #expect(Set(indices) == Set(0..<200))
        for i in 0..<200 {
            let index = dataset.index(ofID: "s\(i)")!
            #expect(dataset[index].id == "s\(i)")
        }
        #expect(Set(dataset.ids).count == 200)
    }

    @Test("appending an existing id replaces the sample in place")
    func replacement() {
        let dataset = DynamicDataset([Self.sample("a"), Self.sample("b")])
        let arrival = dataset.append(Self.sample("a", boxes: 3))
        #expect(arrival == .init(index: 0, isNew: false, count: 2))
        #expect(dataset.count == 2)
        #expect(dataset.sample(withID: "a")?.annotation.objects.count == 3)
        #expect(dataset.ids == ["a", "b"])
    }

    @Test("removing retires the index, tells observers, and appending the id again restores it")
    func removal() {
        let dataset = DynamicDataset([Self.sample("a"), Self.sample("b"), Self.sample("c")])
        let seen = Locked<[DynamicDataset.Arrival]>([])
        let token = dataset.observe { arrival in seen.withLock { $0.append(arrival) } }
        #expect(dataset.remove(id: "b") == .init(index: 1, isNew: false, count: 3, isRemoval: true))
        #expect(dataset.remove(id: "b") == nil && dataset.remove(id: "zzz") == nil)
        #expect(dataset.count == 3 && dataset.activeCount == 2 && dataset.retired == [1])
        #expect(dataset.index(ofID: "c") == 2, "other indices unchanged")
        #expect(dataset.append(Self.sample("b", boxes: 2)) == .init(index: 1, isNew: false, count: 3))
        #expect(dataset.activeCount == 3 && dataset.retired.isEmpty && dataset[1].annotation.objects.count == 2)
        #expect(seen.withLock { $0.map(\.isRemoval) } == [true, false])
        token.cancel()
    }

    @Test("a waiting task wakes when a sample arrives, and observers see every append")
    func waitAndObserve() async throws {
        let dataset = DynamicDataset([Self.sample("a")])
        let seen = Locked<[Int]>([])
        let token = dataset.observe { arrival in seen.withLock { $0.append(arrival.index) } }
        await dataset.waitForArrival(after: 0)  // already more than 0: returns at once
        let waiter = Task { await dataset.waitForArrival(after: 1) }
        try await Task.sleep(for: .milliseconds(20))
        dataset.append(Self.sample("b"))
        await waiter.value
        token.cancel()
        dataset.append(Self.sample("c"))
        #expect(seen.withLock { $0 } == [1])
    }
}
