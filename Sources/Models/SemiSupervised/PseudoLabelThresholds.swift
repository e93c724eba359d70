import Vision

/// Which of a teacher's predictions become labels for the student (issue 12: semi-supervised live
/// training). Set per class from the live evaluation (`PseudoLabelCalibration` in LiveTraining), since a
/// detector's score scale is its own: a fixed 0.9 from a paper means nothing to another model.
public struct PseudoLabelThresholds: Sendable, Equatable {
    /// Per class index: the least score (detection, instance) or pixel probability (semantic) a
    /// prediction needs to become a label; nil for a class not yet reliable enough to pseudo-label.
    public var perClass: [Double?]
    /// Detections scoring at least this but not their class's threshold become ignored regions: likely
    /// objects the student must not learn to call background, nor learn as objects.
    public var ignoreAbove: Double

    public init(perClass: [Double?], ignoreAbove: Double) {
        self.perClass = perClass
        self.ignoreAbove = ignoreAbove
    }

    /// The threshold of class `c`; nil for unknown classes too.
    public subscript(_ c: Int) -> Double? { perClass.indices.contains(c) ? perClass[c] : nil }
}

extension Prediction {
    /// Objects and ignored regions for a pseudo-label under `thresholds` (masks kept for instance models).
    public func pseudoLabel(_ thresholds: PseudoLabelThresholds) -> (Annotation, ignored: [Box]) {
        var objects: [AnnotatedObject] = [], ignored: [Box] = []
        for object in self.objects {
            if let t = thresholds[object.classIndex], object.score >= t {
                objects.append(AnnotatedObject(classIndex: object.classIndex, box: object.box, mask: object.mask))
            } else if object.score >= thresholds.ignoreAbove {
                ignored.append(object.box)
            }
        }
        return (Annotation(objects: objects), ignored)
    }
}
