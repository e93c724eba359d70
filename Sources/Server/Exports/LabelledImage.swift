import Formats
import Store

/// An image with its current annotation: what the label exporters write.
struct LabelledImage: Sendable {
    var image: ImageRecord
    var annotation: AnnotationRecord

    /// The file name without its extension, the stem YOLO and VOC name their label files after.
    var stem: String {
        guard let dot = image.fileName.lastIndex(of: ".") else { return image.fileName }
        return String(image.fileName[..<dot])
    }

    /// The objects as the format writers take them.
    var objects: [DatasetObject] { annotation.objects.map(DatasetObject.init) }
}
