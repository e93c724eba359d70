import Formats
import Foundation
import Store

/// Labels as one COCO JSON file (`COCOFile`'s writer): category ids are class index + 1, instance masks
/// uncompressed RLE. `file_name` is the image's export name; with the images packed it is
/// `images/<name>`, relative to `annotations.json`, the folder the ZIP unpacks to.
enum COCOExport {
    /// The annotation file alone, `file_name`s without a folder.
    static func json(project: ProjectSummary, images: [LabelledImage]) -> Data {
        document(project: project, images: images, folder: "")
    }

    /// `annotations.json` and each image under `images/`.
    static func write(to archive: ExportArchive, project: ProjectSummary, images: [LabelledImage], files: ImageFiles) throws {
        try archive.add("annotations.json", document(project: project, images: images, folder: "images/"))
        for labelled in images {
            try archive.add("images/\(labelled.name)", file: files.url(of: labelled.image))
        }
    }

    private static func document(project: ProjectSummary, images: [LabelledImage], folder: String) -> Data {
        let labelled = images.map { labelled in
            let image = COCOFile.Image(
                id: labelled.image.id, fileName: folder + labelled.name, width: labelled.image.width,
                height: labelled.image.height, annotator: labelled.time?.annotator,
                labelledIndex: labelled.time?.labelledIndex, annotationSeconds: labelled.time?.seconds)
            return (image: image, objects: labelled.objects)
        }
        return COCOFile(classes: project.classes.map(\.name), images: labelled).json()
    }
}
