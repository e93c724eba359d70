import Formats
import Vision

// A file's object (Formats) and a training object (Models) hold the same fields: the dataset readers,
// the store's records and the HTTP layer all convert through these two.

extension AnnotatedObject {
    public init(_ object: DatasetObject) {
        self.init(classIndex: object.classIndex, box: Box(x1: object.x1, y1: object.y1, x2: object.x2, y2: object.y2), mask: object.mask)
    }
}

extension DatasetObject {
    public init(_ object: AnnotatedObject) {
        self.init(
            classIndex: object.classIndex, x1: object.box.x1, y1: object.box.y1, x2: object.box.x2, y2: object.box.y2,
            mask: object.mask)
    }
}
