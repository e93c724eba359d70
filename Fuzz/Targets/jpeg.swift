import Foundation
import Vision

/// JPEG uploads (libjpeg-turbo through CImageCodecs, then the Swift EXIF reader and rotation): any
/// bytes must decode or throw an ImageError, never crash, longjmp out or exit.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = Data(bytes: data, count: size)
    // The EXIF walk is also reached on its own here: decoding reads it only once the pixels decode.
    let orientation = ExifOrientation(jpeg: file)
    guard let image = try? Image(decoding: file, name: "fuzz.jpg", maxPixels: 4_000_000) else { return 0 }
    check(image.channels == 1 || image.channels == 3, "a JPEG decoded to \(image.channels) channels")
    if image.width * image.height <= 1 << 16 {
        // Lossy, so only the shape must survive; our own file carries no EXIF, so it comes back upright.
        let back = (try? image.jpegData()).flatMap { try? Image(decoding: $0, name: "again.jpg") }
        check(
            back?.width == image.width && back?.height == image.height && back?.channels == image.channels,
            "\(image.width)x\(image.height)x\(image.channels) image (EXIF \(String(describing: orientation))) does not survive JPEG")
    }
    return 0
}
