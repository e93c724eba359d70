import Foundation
import Vision

/// PNG uploads and label maps (libpng through CImageCodecs): any bytes must decode or throw an
/// ImageError, never crash; what decodes must write back as PNG and read back unchanged.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = Data(bytes: data, count: size)
    // Small enough that a header claiming 20k x 20k is refused before any allocation, as in the server.
    let maxPixels = 4_000_000
    if let image = try? Image(decoding: file, name: "fuzz.png", maxPixels: maxPixels), image.width * image.height <= 1 << 16 {
        let back = (try? image.pngData()).flatMap { try? Image(decoding: $0, name: "again.png") }
        check(back == image, "\(image.width)x\(image.height)x\(image.channels) image does not survive PNG")
    }
    if let labels = try? LabelMap(decoding: file, name: "fuzz.png", maxPixels: maxPixels), labels.width * labels.height <= 1 << 16 {
        let back = (try? labels.pngData()).flatMap { try? LabelMap(decoding: $0, name: "again.png") }
        check(back == labels, "\(labels.width)x\(labels.height) label map does not survive PNG")
    }
    return 0
}
