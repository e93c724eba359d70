import Foundation
import Vision

/// Real encoded images made with Vision's encoders.
enum TestImages {
    static func png(width: Int = 64, height: Int = 48, fill: UInt8 = 120) throws -> Data {
        try Image(width: width, height: height, channels: 3, fill: fill).pngData()
    }

    static func jpeg(width: Int = 64, height: Int = 48, fill: UInt8 = 200) throws -> Data {
        try Image(width: width, height: height, channels: 3, fill: fill).jpegData(quality: 90)
    }
}
