import Formats
import Foundation
import Store

/// An image with its current annotation and its file name in the export: what the exporters write.
struct LabelledImage: Sendable {
    var image: ImageRecord
    var annotation: AnnotationRecord
    /// The image's original name, cleaned and made unique among the export's images (`ExportNames`):
    /// what the packed image is called and what its label files are named after.
    var name: String
    /// The measured annotation time of the image (COCO exports write it on the image entry).
    var time: Time?

    /// What labelling this image took: who labelled it first, when in the project, and the active
    /// seconds summed over every timed version (edits and a reviewer's fixes included).
    struct Time: Sendable {
        var annotator: String
        var labelledIndex: Int
        var seconds: Double?

        /// From the image's own timed versions, oldest first; nil when it has none (imported labels).
        init?(_ mine: [AnnotationTime]) {
            guard let first = mine.first else { return nil }
            annotator = first.annotator
            labelledIndex = first.labelledIndex
            let measured = mine.compactMap(\.seconds)
            seconds = measured.isEmpty ? nil : measured.reduce(0, +)
        }
    }

    /// The name without its extension: YOLO's `labels/<stem>.txt`, VOC's `Annotations/<stem>.xml`.
    var stem: String { ExportNames.stem(of: name) }

    /// The objects as the format writers take them.
    var objects: [DatasetObject] { annotation.objects }

    /// The labelled images of `pairs` (unlabelled ones are left out), named in the order given.
    static func named(_ pairs: [(image: ImageRecord, annotation: AnnotationRecord?)]) -> [LabelledImage] {
        let labelled = pairs.compactMap { pair in pair.annotation.map { (pair.image, $0) } }
        let names = ExportNames.assign(labelled.map { ExportNames.Source(original: $0.0.originalName, stored: $0.0.fileName) })
        return zip(labelled, names).map { LabelledImage(image: $0.0.0, annotation: $0.0.1, name: $0.1) }
    }
}
