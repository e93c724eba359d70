import Foundation
import Models
import TestSupport
import Testing

@testable import LiveTraining

@Suite("detection metrics")
struct DetectionMetricsTests {
    static func truth(_ boxes: [(Int, Box)]) -> Annotation {
        Annotation(objects: boxes.map { AnnotatedObject(classIndex: $0.0, box: $0.1) })
    }

    static func prediction(_ boxes: [(Int, Box, Double)]) -> Prediction {
        Prediction(objects: boxes.map { .init(classIndex: $0.0, box: $0.1, score: $0.2) })
    }

    /// Equal up to the 2e-16 pycocotools adds to every precision's denominator (`np.spacing(1)`).
    static func near(_ value: Double?, _ expected: Double) -> Bool { value.map { abs($0 - expected) < 1e-12 } ?? false }

    static let a = Box(x1: 10, y1: 10, x2: 50, y2: 50)
    static let b = Box(x1: 100, y1: 100, x2: 140, y2: 160)

    @Test("a perfect prediction scores 1, an empty one 0, and no ground truth is undefined")
    func extremes() {
        let gt = Self.truth([(0, Self.a), (1, Self.b)])
        let perfect = DetectionMetrics(
            groundTruth: gt, prediction: Self.prediction([(0, Self.a, 0.9), (1, Self.b, 0.8)]))
        #expect(Self.near(perfect.ap, 1) && Self.near(perfect.ap50, 1) && Self.near(perfect.ap75, 1))
        #expect(
            perfect.perClassAP.keys.sorted() == [0, 1] && perfect.perClassAP.values.allSatisfy { Self.near($0, 1) })
        let empty = DetectionMetrics(groundTruth: gt, prediction: Prediction(objects: []))
        #expect(empty.ap == 0 && empty.ap50 == 0)
        let none = DetectionMetrics(
            groundTruth: Annotation(objects: []), prediction: Self.prediction([(0, Self.a, 0.9)]))
        #expect(none.ap == nil && none.ap50 == nil)
    }

    @Test("a false positive ranked above the true one halves precision; IoU 0.72 counts at 5 of 10 thresholds")
    func handComputed() throws {
        let gt = Self.truth([(0, Self.a)])
        let ranked = DetectionMetrics(
            groundTruth: gt, prediction: Self.prediction([(0, Self.b, 0.9), (0, Self.a, 0.8)]))
        #expect(Self.near(ranked.ap, 0.5))  // precision 1/2 at every recall point, every threshold
        // Shifted right by 6.5 px on a 40 px box: intersection 33.5 x 40, union 46.5 x 40, IoU 0.7204.
        let shifted = Box(x1: 16.5, y1: 10, x2: 56.5, y2: 50)
        #expect(abs(shifted.iou(Self.a) - 33.5 / 46.5) < 1e-12)
        let loose = DetectionMetrics(groundTruth: gt, prediction: Self.prediction([(0, shifted, 0.9)]))
        #expect(Self.near(loose.ap50, 1) && loose.ap75 == 0)
        #expect(Self.near(loose.ap, 0.5))  // matched at 0.50, 0.55, 0.60, 0.65, 0.70
        // A prediction of a class absent from the ground truth costs nothing.
        let extra = DetectionMetrics(
            groundTruth: gt, prediction: Self.prediction([(0, Self.a, 0.5), (3, Self.b, 0.99)]))
        #expect(Self.near(extra.ap, 1) && extra.perClassAP.keys.sorted() == [0])
    }

    @Test("COCO thresholds are numpy's linspace values bit for bit")
    func thresholds() {
        #expect(DetectionMetrics.iouThresholds.count == 10 && DetectionMetrics.recallThresholds.count == 101)
        #expect(DetectionMetrics.iouThresholds[8] == 0.8999999999999999)  // as np.linspace(.5, .95, 10)[8]
        #expect(DetectionMetrics.recallThresholds[7] == 0.07 && DetectionMetrics.recallThresholds[100] == 1)
    }

    // MARK: against pycocotools on real data

    /// Reference output of scripts/reference/coco_eval.py.
    struct Reference: Decodable {
        struct Image: Decodable {
            var ap: Double?
            var ap50: Double?
        }
        var ap: Double?
        var ap50: Double?
        var ap75: Double?
        var per_class: [String: Double?]
        var per_image: [String: Image]
    }

    struct Detection: Codable {
        var image_id: Int
        var category_id: Int
        var bbox: [Double]
        var score: Double
    }

    /// Deterministic noisy detections of `file`'s images: each true box kept with probability 0.85,
    /// jittered by up to 15 % of its size, given a score that falls with the jitter, sometimes the wrong
    /// class or a duplicate; plus 0-3 false positives per image with lower scores.
    static func noisyDetections(_ file: COCOFile, seed: UInt64) -> [Detection] {
        var rng = SeededGenerator(seed: seed)
        func uniform(_ low: Double, _ high: Double) -> Double {
            low + (high - low) * Double(rng.next() >> 11) / 9_007_199_254_740_992
        }
        let categories = file.categories.map(\.id).sorted()
        var out: [Detection] = []
        for image in file.images {
            for object in file.annotations where object.image_id == image.id {
                guard uniform(0, 1) > 0.15 else { continue }
                let (x, y, w, h) = (object.bbox[0], object.bbox[1], object.bbox[2], object.bbox[3])
                let jitter = (0..<4).map { _ in uniform(-0.15, 0.15) }
                let box = [
                    x + jitter[0] * w, y + jitter[1] * h, max(1, w * (1 + jitter[2])), max(1, h * (1 + jitter[3])),
                ]
                let error = jitter.map(abs).reduce(0, +) / 0.6  // 0 (exact) ... 1 (worst)
                let score = min(1, max(0.01, 1 - 0.6 * error + uniform(-0.25, 0.25)))
                let category =
                    uniform(0, 1) < 0.1 ? categories[Int(uniform(0, Double(categories.count)))] : object.category_id
                out.append(Detection(image_id: image.id, category_id: category, bbox: box, score: score))
                if uniform(0, 1) < 0.1 {
                    let shifted = [box[0] + uniform(-3, 3), box[1] + uniform(-3, 3), box[2], box[3]]
                    out.append(
                        Detection(
                            image_id: image.id, category_id: category, bbox: shifted, score: score * uniform(0.3, 0.9)))
                }
            }
            for _ in 0..<Int(uniform(0, 4)) {
                let w = uniform(10, 150)
                let h = uniform(10, 150)
                let box = [uniform(0, Double(image.width) - w), uniform(0, Double(image.height) - h), w, h]
                out.append(
                    Detection(
                        image_id: image.id, category_id: categories[Int(uniform(0, Double(categories.count)))],
                        bbox: box, score: uniform(0.01, 0.7)))
            }
        }
        return out
    }

    /// Runs the reference script with the project's .venv python; a missing python or pycocotools is
    /// a failure with directions, never a silent pass.
    static func pycocotools(groundTruth: URL, detections: URL, output: URL, extra: [String] = []) throws -> Reference {
        let python = PackagePaths.root.appendingPathComponent(".venv/bin/python")
        let script = PackagePaths.root.appendingPathComponent("scripts/reference/coco_eval.py")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw ReferenceUnavailable(
                "no \(python.path): run `make setup` (it installs numpy and pycocotools into .venv)")
        }
        let errors = output.appendingPathExtension("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, groundTruth.path, detections.path, "--per-image"] + extra
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            if stderr.contains("No module named") {
                throw ReferenceUnavailable(
                    "pycocotools or numpy missing in .venv: run `make setup` (\(stderr.suffix(200)))")
            }
            throw ReferenceUnavailable("coco_eval.py failed (\(process.terminationStatus)): \(stderr.suffix(800))")
        }
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: output))
    }

    struct ReferenceUnavailable: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test(
        "AP, AP50, AP75, per class and per image match pycocotools on 40 BCCD images with noisy detections",
        .enabled(if: PackagePaths.datasetsAvailable, "needs ../shared/datasets next to the package root"))
    func matchesPycocotools() throws {
        let full = try COCOFile.read(PackagePaths.coco("bccd-blood-cells"))
        var file = full
        file.images = Array(full.images.sorted { $0.id < $1.id }.prefix(40))
        let ids = Set(file.images.map(\.id))
        file.annotations = full.annotations.filter { ids.contains($0.image_id) }
        let detections = Self.noisyDetections(file, seed: 2024)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let gtURL = directory.url.appendingPathComponent("gt.json")
        let dtURL = directory.url.appendingPathComponent("dt.json")
        try JSONEncoder().encode(file).write(to: gtURL)
        try JSONEncoder().encode(detections).write(to: dtURL)
        let reference = try Self.pycocotools(
            groundTruth: gtURL, detections: dtURL, output: directory.url.appendingPathComponent("reference.json"))

        let images = file.images.map { image in
            DetectionMetrics.ImageResult(
                groundTruth: file.annotation(ofImage: image.id),
                prediction: Prediction(
                    objects: detections.filter { $0.image_id == image.id }.map {
                        .init(
                            classIndex: file.classIndex(ofCategory: $0.category_id), box: Box(coco: $0.bbox),
                            score: $0.score)
                    }))
        }
        let ours = DetectionMetrics(images: images)
        func close(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case (let a?, let b?): abs(a - b) < 1e-3
            default: false
            }
        }
        print(
            "measured: \(images.count) BCCD images, \(file.annotations.count) boxes, \(detections.count) detections: "
                + "AP ours \(ours.ap ?? -1) pycocotools \(reference.ap ?? -1); AP50 \(ours.ap50 ?? -1) vs \(reference.ap50 ?? -1); "
                + "AP75 \(ours.ap75 ?? -1) vs \(reference.ap75 ?? -1)")
        #expect(close(ours.ap, reference.ap) && close(ours.ap50, reference.ap50) && close(ours.ap75, reference.ap75))
        for (category, ap) in reference.per_class {
            #expect(close(ours.perClassAP[file.classIndex(ofCategory: Int(category)!)], ap), "category \(category)")
        }
        var worst = 0.0
        for (image, result) in zip(file.images, images) {
            let mine = DetectionMetrics(images: [result])
            let theirs = try #require(reference.per_image["\(image.id)"])
            #expect(close(mine.ap, theirs.ap) && close(mine.ap50, theirs.ap50), "image \(image.id)")
            if let a = mine.ap, let b = theirs.ap { worst = max(worst, abs(a - b)) }
            if let a = mine.ap50, let b = theirs.ap50 { worst = max(worst, abs(a - b)) }
        }
        print("measured: per-image AP/AP50 largest |ours - pycocotools| over \(images.count) images: \(worst)")
    }
}
