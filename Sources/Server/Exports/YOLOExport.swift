import Formats
import Foundation
import Store

/// Labels in YOLO's layout (`YOLOLabels`' writer): `data.yaml` (Ultralytics' dataset file), `classes.txt`
/// and `labels/<stem>.txt` with boxes as `class cx cy w h` and instance masks as YOLO-seg outlines;
/// with `files`, each image as `images/<name>`, which is the layout Ultralytics trains on as it is.
enum YOLOExport {
    static func write(to archive: ExportArchive, project: ProjectSummary, images: [LabelledImage], files: ImageFiles?) throws {
        let names = project.classes.map(\.name)
        try archive.add("data.yaml", Data(YOLODataYAML.text(classNames: names).utf8))
        try archive.add("classes.txt", Data(YOLOLabels.classList(names).utf8))
        for labelled in images {
            let text = YOLOLabels.write(labelled.objects, width: labelled.image.width, height: labelled.image.height)
            try archive.add("labels/\(labelled.stem).txt", Data(text.utf8))
            if let files { try archive.add("images/\(labelled.name)", file: files.url(of: labelled.image)) }
        }
    }
}
