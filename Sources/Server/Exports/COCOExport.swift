import Formats
import Foundation
import Store

/// Labels as one COCO JSON file (`COCOFile`'s writer): `file_name` is the server's file name, category
/// ids are class index + 1, instance masks uncompressed RLE.
enum COCOExport {
    static func json(project: ProjectSummary, images: [LabelledImage]) -> Data {
        let labelled = images.map { labelled in
            let image = COCOFile.Image(
                id: labelled.image.id, fileName: labelled.image.fileName, width: labelled.image.width,
                height: labelled.image.height)
            return (image: image, objects: labelled.objects)
        }
        return COCOFile(classes: project.classes.map(\.name), images: labelled).json()
    }
}
