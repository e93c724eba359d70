import Foundation
import LiveTraining
import Models
import Vision

/// The replayed set, decoded once: the labelling order (as listed in the file) and the held-out split.
public struct ReplayData: Sendable {
    public var classes: [String]
    public var train: [Sample]
    public var heldOut: [Sample]

    public init(configuration c: ReplayConfiguration) throws {
        var labelled: [(sample: Sample, group: String?)] = []
        switch c.task {
        case .detection, .instance:
            let set = c.task == .detection ? try COCODataset(contentsOf: c.dataset) : try COCODataset.instances(contentsOf: c.dataset)
            classes = set.classes
            for entry in set.entries {
                labelled.append((Sample(id: "\(entry.id)", image: try Image(contentsOf: entry.url), annotation: entry.annotation), entry.group))
            }
        case .semantic:
            let set = try SemanticDataset(contentsOf: c.dataset)
            classes = set.classes
            labelled = try set.entries.map { (try set.sample($0), nil) }
        }
        var train: [Sample] = [], heldOut: [Sample] = []
        for (i, item) in labelled.enumerated() {
            let held = c.heldOutGroups.isEmpty ? (i % c.heldOutEvery == c.heldOutEvery - 1) : c.heldOutGroups.contains(item.group ?? "")
            if held { heldOut.append(item.sample) } else { train.append(item.sample) }
        }
        guard !heldOut.isEmpty, train.count >= 2 else {
            throw DatasetError("replay needs >= 2 training and >= 1 held-out images; got \(train.count) and \(heldOut.count)")
        }
        self.train = c.maxImages.map { Array(train.prefix($0)) } ?? train
        self.heldOut = heldOut
    }

    /// Held-out quality of a model's predictions in the task's metric (`VisionTask.metric`): box or mask
    /// (AP, AP50), or (mIoU, foreground mIoU) for semantic segmentation.
    func score(_ predictions: [Prediction], task: VisionTask) -> (primary: Double, secondary: Double) {
        switch task {
        case .detection, .instance:
            let m = DetectionMetrics(images: zip(heldOut, predictions).map { .init(groundTruth: $0.annotation, prediction: $1) },
                                     iouType: task == .instance ? .mask : .box)
            return (m.ap ?? 0, m.ap50 ?? 0)
        case .semantic:
            let pairs = zip(heldOut, predictions).compactMap { s, p in s.annotation.labels.flatMap { t in p.labels.map { (t, $0) } } }
            let m = SemanticMetrics(pairs: pairs, classes: classes.count)
            return (m.meanIoU, m.foregroundIoU)
        }
    }
}
