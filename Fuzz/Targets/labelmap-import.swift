import Formats
import Foundation
import Vision

/// PNG label maps as the importer reads them (`LabelMapFiles.read`: decode, VOC void, size and class
/// checks) for any image size and class count: any bytes give a checked map or a FormatError, never a
/// trap; a map that reads has the image's size and only known classes, and survives PNG.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    // Past 255 classes VOC's void is a class of its own; the tag reaches both sides of that rule.
    let tag = input.byte()
    let classCount = tag == 0xFF ? 300 : Int(tag)
    let width = input.size()
    let height = input.size()
    let png = Data(input.rest())
    guard
        let map = try? LabelMapFiles.read(
            png, name: "fuzz.png", maxPixels: 1 << 20, width: width, height: height, classCount: classCount, owner: "fuzz")
    else { return 0 }
    check(map.width == width && map.height == height, "a \(map.width)x\(map.height) map for \(width)x\(height)")
    check(map.labels.allSatisfy { Int($0) < classCount }, "a label past \(classCount) classes")
    check(classCount > 255 || !map.labels.contains(LabelMapFiles.vocVoid), "VOC void kept with \(classCount) classes")
    if let written = try? map.pngData() {
        let back = try? LabelMapFiles.read(
            written, name: "again.png", maxPixels: 1 << 20, width: width, height: height, classCount: classCount, owner: "fuzz")
        check(back == map, "a \(width)x\(height) map does not survive PNG")
    }
    return 0
}
