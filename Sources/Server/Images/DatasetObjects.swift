import Formats
import Store

// The formats' neutral object and the store's are the same fields; the store's adds the rules it checks.

extension LabeledBox {
    init(_ object: DatasetObject) {
        self.init(classIndex: object.classIndex, x1: object.x1, y1: object.y1, x2: object.x2, y2: object.y2, mask: object.mask)
    }
}

extension DatasetObject {
    init(_ box: LabeledBox) {
        self.init(classIndex: box.classIndex, x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2, mask: box.mask)
    }
}
