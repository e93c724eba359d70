import Formats
import Foundation
import Vision

/// COCO files as the server's importer and the dataset readers take them (`COCOFile.read`, then each
/// image's objects with their masks): any bytes read or throw a FormatError, never trap; what reads
/// writes back to JSON that reads as the same file; objects come at their image's size.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let coco = try? COCOFile.read(Data(bytes: data, count: size)) else { return 0 }
    let again = try? COCOFile.read(coco.json())
    check(again == coco, "a COCO file does not survive its own writer")

    let classIndex = Dictionary(uniqueKeysWithValues: coco.categories.enumerated().map { ($1.id, $0) })
    let byImage = coco.annotationIndices()
    for image in coco.images {
        // Masks are filled at the stated size when it is small: a big one costs time, not coverage.
        var (width, height) = (image.width ?? 16, image.height ?? 16)
        if !(0...64).contains(width) || !(0...64).contains(height) { (width, height) = (16, 16) }
        let indices = byImage[image.id] ?? []
        guard
            let objects = try? coco.objects(at: indices, width: width, height: height, classIndex: classIndex, masks: .optional)
        else { continue }
        check(objects.count <= indices.count, "\(objects.count) objects from \(indices.count) annotations")
        for object in objects {
            check(classIndex.values.contains(object.classIndex), "class \(object.classIndex) from no category")
            if let mask = object.mask {
                check(mask.width == width && mask.height == height, "a \(mask.width)x\(mask.height) mask on \(width)x\(height)")
            }
        }
    }
    return 0
}
