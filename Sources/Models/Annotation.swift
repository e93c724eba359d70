import Vision

/// An axis-aligned box in image pixels, (x1, y1) top-left inclusive, (x2, y2) bottom-right exclusive.
public struct Box: Codable, Sendable, Equatable, Hashable {
    public var x1: Double, y1: Double, x2: Double, y2: Double
    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
    }
    /// From COCO's [x, y, width, height].
    public init(coco b: [Double]) { self.init(x1: b[0], y1: b[1], x2: b[0] + b[2], y2: b[1] + b[3]) }
    public var coco: [Double] { [x1, y1, x2 - x1, y2 - y1] }
    public var width: Double { x2 - x1 }
    public var height: Double { y2 - y1 }
    public var area: Double { Swift.max(0, width) * Swift.max(0, height) }

    public func iou(_ o: Box) -> Double {
        let iw = Swift.max(0, Swift.min(x2, o.x2) - Swift.max(x1, o.x1))
        let ih = Swift.max(0, Swift.min(y2, o.y2) - Swift.max(y1, o.y1))
        let inter = iw * ih
        let union = area + o.area - inter
        return union > 0 ? inter / union : 0
    }
}

/// One labelled object: a class, a box and, for instance segmentation, its mask (in image pixels).
public struct AnnotatedObject: Codable, Sendable, Equatable {
    public var classIndex: Int
    public var box: Box
    public var mask: COCORLE?
    public init(classIndex: Int, box: Box, mask: COCORLE? = nil) {
        self.classIndex = classIndex
        self.box = box
        self.mask = mask
    }
}

/// The human's final labels for one image: objects (detection, instance segmentation) or a per-pixel
/// class map (semantic segmentation).
public struct Annotation: Codable, Sendable, Equatable {
    public var objects: [AnnotatedObject]
    public var labels: LabelMap?
    public init(objects: [AnnotatedObject] = [], labels: LabelMap? = nil) {
        self.objects = objects
        self.labels = labels
    }
}

/// A model's output for one image: objects with confidence scores, in the image's pixel coordinates.
public struct Prediction: Codable, Sendable, Equatable {
    public struct Object: Codable, Sendable, Equatable {
        public var classIndex: Int
        public var box: Box
        public var score: Double
        public var mask: COCORLE?
        public init(classIndex: Int, box: Box, score: Double, mask: COCORLE? = nil) {
            self.classIndex = classIndex
            self.box = box
            self.score = score
            self.mask = mask
        }
    }
    public var objects: [Object]
    /// Semantic segmentation: the class of every pixel.
    public var labels: LabelMap?
    public init(objects: [Object] = [], labels: LabelMap? = nil) {
        self.objects = objects
        self.labels = labels
    }
}
