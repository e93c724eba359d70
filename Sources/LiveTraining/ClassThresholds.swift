import Foundation
import Models
import Vision

/// A min score per class (issue 12): classes learn at different speeds, so one threshold either hides a
/// slow class's right pre-labels or shows a fast class's wrong ones. Classes with too few scored
/// pre-labels to calibrate keep the single global threshold.
public struct ClassThresholds: Sendable, Equatable {
    /// The one threshold that cost least over all classes (`CorrectionCostModel.calibratedThreshold`).
    public var global: Double
    /// By class index, for the classes calibrated on their own.
    public var perClass: [Int: Double]

    public init(global: Double, perClass: [Int: Double] = [:]) {
        self.global = global
        self.perClass = perClass
    }

    public func threshold(for classIndex: Int) -> Double { perClass[classIndex] ?? global }

    /// Whether the annotator sees this pre-label (a NaN score never passes).
    public func shows(_ object: Prediction.Object) -> Bool { object.score >= threshold(for: object.classIndex) }
}

extension CorrectionCostModel {
    /// Scored pre-labels a class needs in the window to get a threshold of its own: with fewer, one
    /// lucky or unlucky box would set it.
    public static let minPrelabelsPerClass = 5
    /// Coordinate-descent passes at most; each pass lowers the cost or stops (see below), so this only
    /// bounds the time on pathological inputs.
    static let maxDescentPasses = 10

    /// Seconds for one image: the pre-label shown at each class's threshold corrected into `truth`.
    public func seconds(prediction: Prediction, truth: Annotation, thresholds: ClassThresholds) -> Double {
        let shown = Prediction(objects: prediction.objects.filter(thresholds.shows), labels: prediction.labels)
        return seconds(
            Corrections(shown: shown, truth: truth, rule: matching), objects: truth.objects.count,
            masks: truth.objects.contains { $0.mask != nil }, semantic: truth.labels != nil)
    }

    /// Per-class thresholds that cost least over these opened-and-submitted images. Nil without images.
    ///
    /// Classes interact only through matching (matching is class-blind, and the per-image cap at manual
    /// time), so the thresholds are found by coordinate descent: every class starts at the global
    /// optimum; each class in turn takes, with the others fixed, the candidate that costs least (the
    /// distinct scores of its pre-labels, 1.0 to show none, and its current value; ties go to the higher
    /// threshold, as in `calibratedThreshold`); passes repeat until none changes. The total never rises,
    /// so the result costs at most what the global threshold does on these images. Classes with fewer
    /// than `minPrelabels` scored pre-labels (scores in 0...1) keep the global threshold. Semantic
    /// images have no scored objects, so they only ever get the global threshold.
    public func calibratedClassThresholds(
        _ history: [(prediction: Prediction, truth: Annotation)], minPrelabels: Int = Self.minPrelabelsPerClass
    ) -> ClassThresholds? {
        calibratedClassThresholds(
            images: history.map { CalibrationImage(prediction: $0.prediction, truth: $0.truth, matchIoU: matching.matchIoU) },
            minPrelabels: minPrelabels)
    }

    /// The same over images whose overlaps were computed once (`CalibrationImage`).
    public func calibratedClassThresholds(images history: [CalibrationImage], minPrelabels: Int = Self.minPrelabelsPerClass) -> ClassThresholds? {
        guard let global = calibratedThreshold(images: history) else { return nil }
        // Only a score in 0...1 can be a threshold; others (never from a model) are still filtered by the rule.
        func usable(_ score: Double) -> Bool { score >= 0 && score <= 1 }
        var scores: [Int: [Double]] = [:]
        for item in history {
            for o in item.prediction.objects where usable(o.score) { scores[o.classIndex, default: []].append(o.score) }
        }
        let classes = scores.filter { $0.value.count >= Swift.max(1, minPrelabels) }.keys.sorted()
        var thresholds = ClassThresholds(global: global, perClass: Dictionary(uniqueKeysWithValues: classes.map { ($0, global) }))
        guard !classes.isEmpty else { return thresholds }

        // Each image's overlaps (mask IoUs included) serve every trial.
        let images = history.map { (prediction: $0.prediction, truth: $0.truth, overlaps: $0.overlaps(atLeast: matching.matchIoU)) }
        func cost(_ i: Int, showing: [Bool]) -> Double {
            let image = images[i]
            let c = Corrections(prediction: image.prediction, showing: showing, truth: image.truth, overlaps: image.overlaps, rule: matching)
            return seconds(c, objects: image.truth.objects.count, masks: image.truth.objects.contains { $0.mask != nil }, semantic: image.truth.labels != nil)
        }
        for _ in 0..<Self.maxDescentPasses {
            var changed = false
            for c in classes {
                // An image's cost moves with this class's threshold only where the threshold passes one of
                // its own class-c scores: price each of those states once, then sum per candidate.
                var tables: [(scores: [Double], seconds: [Double])] = []
                for i in images.indices {
                    let objects = images[i].prediction.objects
                    guard objects.contains(where: { $0.classIndex == c }) else { continue }
                    let own = Array(Set(objects.filter { $0.classIndex == c && usable($0.score) }.map(\.score))).sorted(by: >)
                    // State j shows the class's pre-labels scoring at least own[j - 1]; state 0 shows none of them.
                    let seconds = (0...own.count).map { j in
                        cost(i, showing: objects.map { o in
                            guard o.classIndex == c else { return thresholds.shows(o) }
                            return j == 0 ? o.score > 1 : o.score >= own[j - 1]
                        })
                    }
                    tables.append((own, seconds))
                }
                let current = thresholds.perClass[c] ?? global
                var best: (threshold: Double, seconds: Double)?
                var states = [Int](repeating: 0, count: tables.count)
                for t in Set(scores[c, default: []] + [1.0, current]).sorted(by: >) {
                    var total = 0.0
                    for k in tables.indices {
                        while states[k] < tables[k].scores.count && tables[k].scores[states[k]] >= t { states[k] += 1 }
                        total += tables[k].seconds[states[k]]
                    }
                    if best == nil || total < best!.seconds - 1e-9 { best = (t, total) }
                }
                if let best, best.threshold != current {
                    thresholds.perClass[c] = best.threshold
                    changed = true
                }
            }
            if !changed { break }
        }
        return thresholds
    }
}
