import CImageCodecs
import Foundation

/// The shape shared by the C decoders in CImageCodecs.
typealias CDecoder = (
    UnsafePointer<UInt8>?, Int, UInt64, UnsafeMutablePointer<ic_image>?, UnsafeMutablePointer<CChar>?, Int
) -> ic_status

/// Runs one C decoder over `data`, lets `take` copy what it needs from the buffer, then frees it.
func decode<Decoded>(
    _ decoder: CDecoder, _ data: Data, name: String, format: ImageFormat, maxPixels: Int,
    take: (ic_image) -> Decoded
) throws(ImageError) -> Decoded {
    var decoded = ic_image()
    var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
    let status = data.withUnsafeBytes { raw in
        message.withUnsafeMutableBufferPointer { text in
            decoder(
                raw.bindMemory(to: UInt8.self).baseAddress, raw.count, UInt64(max(0, maxPixels)),
                &decoded, text.baseAddress, text.count)
        }
    }
    defer { ic_free(decoded.pixels) }
    let reason = text(of: message)
    let width = Int(decoded.width)
    let height = Int(decoded.height)
    switch status {
    case IC_OK:
        return take(decoded)
    case IC_ERR_TOO_LARGE:
        throw .tooLarge(name: name, width: width, height: height, limit: maxPixels)
    case IC_ERR_NO_MEMORY:
        throw .outOfMemory(name: name, width: width, height: height)
    case IC_ERR_UNSUPPORTED:
        throw .unsupportedFormat(name: name, reason: reason)
    default:
        throw .corrupt(name: name, format: format, reason: reason.isEmpty ? "unreadable data" : reason)
    }
}

/// Runs one C encoder and returns the file it wrote, without copying it.
func encode(
    _ format: ImageFormat,
    _ encoder: (
        UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>,
        UnsafeMutablePointer<CChar>, Int
    ) -> ic_status
) throws(ImageError) -> Data {
    var output: UnsafeMutablePointer<UInt8>? = nil
    var size = 0
    var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
    let status = message.withUnsafeMutableBufferPointer { text in
        encoder(&output, &size, text.baseAddress!, text.count)
    }
    guard status == IC_OK, let output else {
        ic_free(output)
        throw .encodingFailed(format: format, reason: text(of: message))
    }
    return Data(bytesNoCopy: output, count: size, deallocator: .custom { bytes, _ in ic_free(bytes) })
}

/// Reads a whole file for a decoder, mapping failures to `ImageError` named after the file.
func readImageFile(_ url: URL) throws(ImageError) -> Data {
    let name = url.lastPathComponent
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
        throw .unreadable(name: name, reason: "is a directory")
    }
    do {
        return try Data(contentsOf: url)
    } catch {
        throw .unreadable(name: name, reason: error.localizedDescription)
    }
}

private func text(of message: [CChar]) -> String {
    let bytes = message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
