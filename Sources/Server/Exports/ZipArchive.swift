import Foundation

/// A ZIP file with its entries stored uncompressed (method 0), built in memory.
///
/// Stored entries keep the writer tiny and every unzip tool reads them; labels compress well but are
/// small, and images and safetensors barely compress at all.
struct ZipArchive {
    private var body = Data()
    private var central = Data()
    private var count = 0

    /// Appends a file; `path` uses forward slashes and is relative (no leading slash, no "..").
    mutating func add(_ path: String, _ contents: Data) {
        precondition(!path.hasPrefix("/") && !path.split(separator: "/").contains(".."), "unsafe zip path \(path)")
        let name = Data(path.utf8)
        let crc = CRC32.checksum(contents)
        let offset = UInt32(body.count)
        // Local file header.
        body.append(le32: 0x0403_4b50)
        body.append(le16: 20)  // version needed: 2.0
        body.append(le16: 0x0800)  // names are UTF-8
        body.append(le16: 0)  // stored
        body.append(le16: 0)  // time 00:00
        body.append(le16: 0x21)  // date 1980-01-01
        body.append(le32: crc)
        body.append(le32: UInt32(contents.count))
        body.append(le32: UInt32(contents.count))
        body.append(le16: UInt16(name.count))
        body.append(le16: 0)
        body.append(name)
        body.append(contents)
        // Central directory entry.
        central.append(le32: 0x0201_4b50)
        central.append(le16: 20)  // made by: 2.0
        central.append(le16: 20)
        central.append(le16: 0x0800)
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le16: 0x21)
        central.append(le32: crc)
        central.append(le32: UInt32(contents.count))
        central.append(le32: UInt32(contents.count))
        central.append(le16: UInt16(name.count))
        central.append(le16: 0)  // extra
        central.append(le16: 0)  // comment
        central.append(le16: 0)  // disk
        central.append(le16: 0)  // internal attributes
        central.append(le32: 0)  // external attributes
        central.append(le32: offset)
        central.append(name)
        count += 1
    }

    /// The whole archive: entries, central directory, end record.
    func data() -> Data {
        var out = body
        out.append(central)
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(count))
        out.append(le16: UInt16(count))
        out.append(le32: UInt32(central.count))
        out.append(le32: UInt32(body.count))
        out.append(le16: 0)
        return out
    }
}

/// CRC-32 as ZIP and PNG use it (polynomial 0xEDB88320, reflected).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    fileprivate mutating func append(le16 value: UInt16) {
        append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)])
    }

    fileprivate mutating func append(le32 value: UInt32) {
        append(contentsOf: (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
    }
}
