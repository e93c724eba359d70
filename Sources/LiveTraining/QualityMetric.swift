import Vision

/// What a task's pre-labels are scored with: the metric's name and the names of its two numbers.
///
/// Every live score, moving average, stored evaluation and replay point holds a `primary` and a
/// `secondary` value; this says what they are, so no field has to be named for one task's metric
/// (they were `ap`/`ap50`, which held mIoU for semantic tasks).
public struct QualityMetric: Sendable, Equatable {
    /// The metric as JSON names it (`metric` keys): "boxAP", "maskAP" or "mIoU".
    public let id: String
    /// Name of the primary value: COCO AP@[.5:.95] over boxes or masks; mean IoU over all classes,
    /// background included (semantic). Pre-labels are shown once its moving average is above zero.
    public let primary: String
    /// Name of the secondary value: AP at IoU 0.5 over boxes or masks; mean IoU over the foreground
    /// classes (semantic). The replay's annotation-time model and live curve use it.
    public let secondary: String
    /// What a per-class value is: AP@[.5:.95] of that class's boxes or masks, or its IoU.
    public let perClass: String
}

extension VisionTask {
    /// The metric the live evaluator scores this task's pre-labels with.
    public var metric: QualityMetric {
        switch self {
        case .detection: QualityMetric(id: "boxAP", primary: "box AP", secondary: "box AP50", perClass: "box AP")
        case .instance: QualityMetric(id: "maskAP", primary: "mask AP", secondary: "mask AP50", perClass: "mask AP")
        case .semantic: QualityMetric(id: "mIoU", primary: "mIoU", secondary: "foreground mIoU", perClass: "IoU")
        }
    }
}
