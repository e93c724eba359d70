import Formats
import Foundation
import Vision

/// YOLO / YOLO-seg label files as the importer reads them (`YOLOLabels.read`), on images of any small
/// size, 0 wide included: any text reads or throws a FormatError, never traps; every object lies
/// inside its image with a known class and a mask of the image's size; what reads writes back as text
/// that reads or throws again, never traps.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let width = input.size()
    let height = input.size()
    let masks = input.byte() & 1 == 1
    let text = String(decoding: input.rest(), as: UTF8.self)
    // Only sizes an image can have: the importer reads labels for decoded images.
    guard (0...64).contains(width), (0...64).contains(height) else { return 0 }
    let classes = YOLOLabels.Classes(index: [0: 0, 1: 1, 7: 2], known: "0, 1 and 7")
    guard let objects = try? YOLOLabels.read(text, width: width, height: height, classes: classes, masks: masks) else { return 0 }
    let (w, h) = (Double(width), Double(height))
    for o in objects {
        check((0..<3).contains(o.classIndex), "class index \(o.classIndex)")
        check(0 <= o.x1 && o.x1 <= o.x2 && o.x2 <= w && 0 <= o.y1 && o.y1 <= o.y2 && o.y2 <= h, "box \(o) outside \(width)x\(height)")
        check(masks || o.mask == nil, "a mask when none was asked for")
        if let mask = o.mask {
            check(
                mask.width == width && mask.height == height && mask.mask.area > 0,
                "mask \(mask.width)x\(mask.height) on \(width)x\(height)")
        }
    }
    _ = try? YOLOLabels.read(
        YOLOLabels.write(objects, width: width, height: height), width: width, height: height, classes: classes, masks: masks)
    return 0
}
