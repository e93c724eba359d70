import Vision

/// One labelled object as every dataset format here carries it: a class, a box in image pixels
/// ((x1, y1) inclusive, (x2, y2) exclusive) and, for instance segmentation, its mask.
///
/// `classIndex` is a position in the caller's class list: readers map the file's own numbering
/// (COCO category ids, YOLO class numbers) through a table the caller gives, writers number from it.
public struct DatasetObject: Codable, Sendable, Equatable {
    public var classIndex: Int
    public var x1: Double
    public var y1: Double
    public var x2: Double
    public var y2: Double
    public var mask: COCORLE?

    public init(classIndex: Int, x1: Double, y1: Double, x2: Double, y2: Double, mask: COCORLE? = nil) {
        self.classIndex = classIndex
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
        self.mask = mask
    }
}
