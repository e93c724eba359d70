import Foundation
import TestSupport
import Testing
import Vision
@testable import LiveTraining
@testable import Models

/// Mask AP checked against pycocotools' "segm" evaluation on a real instance set with noisy masks.
@Suite("mask metrics")
struct MaskMetricsTests {
    struct Detection: Encodable {
        struct RLE: Encodable { var size: [Int]; var counts: String }
        var image_id: Int, category_id: Int
        var segmentation: RLE
        var bbox: [Double]
        var score: Double
    }

    /// Each true mask shifted by up to 3 px, 15 % dropped, plus masks of other images as false positives.
    static func noisy(_ set: COCODataset, seed: UInt64) -> [Detection] {
        var rng = SeededGenerator(seed: seed)
        var out: [Detection] = []
        for (k, entry) in set.entries.enumerated() {
            for object in entry.annotation.objects {
                guard Double.random(in: 0..<1, using: &rng) > 0.15, let truth = object.mask?.mask else { continue }
                let dx = Int.random(in: -3...3, using: &rng), dy = Int.random(in: -3...3, using: &rng)
                var moved = BinaryMask(width: truth.width, height: truth.height)
                for y in 0..<truth.height {
                    for x in 0..<truth.width where truth[x, y] {
                        let nx = x + dx, ny = y + dy
                        if (0..<truth.width).contains(nx) && (0..<truth.height).contains(ny) { moved[nx, ny] = true }
                    }
                }
                guard let b = moved.bounds else { continue }
                out.append(Detection(image_id: entry.id, category_id: 1, segmentation: .init(size: [truth.height, truth.width], counts: COCORLE(moved).string),
                                     bbox: [Double(b.x1), Double(b.y1), Double(b.x2 - b.x1), Double(b.y2 - b.y1)], score: Double.random(in: 0.3...1, using: &rng)))
            }
            let other = set.entries[(k + 1) % set.entries.count]
            for object in other.annotation.objects.prefix(5) where object.mask?.width == entry.width && object.mask?.height == entry.height {
                out.append(Detection(image_id: entry.id, category_id: 1, segmentation: .init(size: [entry.height, entry.width], counts: object.mask!.string),
                                     bbox: object.box.coco, score: Double.random(in: 0...0.6, using: &rng)))
            }
        }
        return out
    }

    @Test("mask AP and AP50 match pycocotools segm on stardist nuclei with noisy masks",
          .enabled(if: PackagePaths.datasetsAvailable, "needs ../shared/datasets next to the package root"))
    func matchesPycocotools() throws {
        let gtURL = PackagePaths.datasets.appendingPathComponent("stardist-nuclei/coco.json")
        let set = try COCODataset.instances(contentsOf: gtURL)
        let detections = Self.noisy(set, seed: 7)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dtURL = directory.url.appendingPathComponent("dt.json")
        try JSONEncoder().encode(detections).write(to: dtURL)
        let reference = try DetectionMetricsTests.pycocotools(groundTruth: gtURL, detections: dtURL,
                                                              output: directory.url.appendingPathComponent("reference.json"), extra: ["--segm"])
        let images = set.entries.map { entry in
            DetectionMetrics.ImageResult(groundTruth: entry.annotation, prediction: Prediction(objects: detections.filter { $0.image_id == entry.id }.map {
                Prediction.Object(classIndex: 0, box: Box(coco: $0.bbox), score: $0.score,
                                  mask: try! COCORLE(string: $0.segmentation.counts, width: entry.width, height: entry.height))
            }))
        }
        let ours = DetectionMetrics(images: images, iouType: .mask)
        print("mask AP ours \(ours.ap ?? -1) / \(ours.ap50 ?? -1), pycocotools \(reference.ap ?? -1) / \(reference.ap50 ?? -1)")
        #expect(abs((ours.ap ?? -1) - (reference.ap ?? -2)) < 1e-3)
        #expect(abs((ours.ap50 ?? -1) - (reference.ap50 ?? -2)) < 1e-3)
        #expect((ours.ap ?? 0) > 0.1 && (ours.ap ?? 1) < 0.95)  // the noise must bite, or the test proves little
    }

    @Test("semantic IoU counts intersection and union over all pixels; foreground mIoU ignores background")
    func semantic() {
        let truth = LabelMap(width: 4, height: 1, labels: [0, 1, 1, 0])
        let predicted = LabelMap(width: 4, height: 1, labels: [0, 1, 0, 0])
        let m = SemanticMetrics(pairs: [(truth, predicted)], classes: 2)
        #expect(m.perClassIoU[1] == 0.5)
        #expect(abs(m.perClassIoU[0]! - 2.0 / 3.0) < 1e-12)
        #expect(m.foregroundIoU == 0.5)
        #expect(m.pixelAccuracy == 0.75)
    }
}
