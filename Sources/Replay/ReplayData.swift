import Foundation
import Models
import Vision

/// The replayed set, decoded once: the labelling order (as listed in the file) and the held-out split.
public struct ReplayData: Sendable {
    public var classes: [String]
    public var train: [Sample]
    public var heldOut: [Sample]

    public init(configuration c: ReplayConfiguration) throws {
        let set = try COCODataset(contentsOf: c.dataset)
        classes = set.classes
        var train: [Sample] = [], heldOut: [Sample] = []
        for (i, entry) in set.entries.enumerated() {
            let sample = Sample(id: "\(entry.id)", image: try Image(contentsOf: entry.url), annotation: entry.annotation)
            let held = c.heldOutGroups.isEmpty ? (i % c.heldOutEvery == c.heldOutEvery - 1) : c.heldOutGroups.contains(entry.group ?? "")
            if held { heldOut.append(sample) } else { train.append(sample) }
        }
        guard !heldOut.isEmpty, train.count >= 2 else {
            throw DatasetError("replay needs >= 2 training and >= 1 held-out images; got \(train.count) and \(heldOut.count)")
        }
        self.train = c.maxImages.map { Array(train.prefix($0)) } ?? train
        self.heldOut = heldOut
    }
}
