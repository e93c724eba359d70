import Foundation

/// A PNG writer written from the specification, independent of libpng, so the decoder is tested
/// against files it did not make: every colour type, bit depths 1 to 16, palettes, transparency and
/// Adam7 interlacing. Pixel data goes into zlib "stored" (uncompressed) blocks.
struct PNGWriter {
    enum ColorType: UInt8 {
        case grey = 0
        case rgb = 2
        case palette = 3
        case greyAlpha = 4
        case rgba = 6

        var samplesPerPixel: Int {
            switch self {
            case .grey, .palette: 1
            case .greyAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    var width: Int
    var height: Int
    var colorType: ColorType
    var bitDepth: Int
    /// Row-major interleaved samples, each below 2^bitDepth (palette indices for `.palette`).
    var samples: [UInt16]
    /// PLTE entries as RGB triples.
    var palette: [UInt8] = []
    /// The tRNS chunk's payload, as the specification lays it out for the colour type.
    var transparency: [UInt8]? = nil
    var interlaced = false

    func data() -> Data {
        precondition(samples.count == width * height * colorType.samplesPerPixel, "sample count")
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian32(width) + bigEndian32(height)
        header += [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
        file += chunk("IHDR", header)
        if !palette.isEmpty { file += chunk("PLTE", palette) }
        if let transparency { file += chunk("tRNS", transparency) }
        file += chunk("IDAT", zlibStored(scanlines()))
        file += chunk("IEND", [])
        return Data(file)
    }

    /// Filter type 0 (none) rows, pass by pass when interlaced.
    private func scanlines() -> [UInt8] {
        let passes: [(x: Int, y: Int, dx: Int, dy: Int)] =
            interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        var out: [UInt8] = []
        for pass in passes {
            let columns = Array(stride(from: pass.x, to: width, by: pass.dx))
            if columns.isEmpty { continue }
            for y in stride(from: pass.y, to: height, by: pass.dy) {
                out.append(0)
                out += packRow(
                    columns.flatMap { x in
                        let first = (y * width + x) * colorType.samplesPerPixel
                        return samples[first..<first + colorType.samplesPerPixel]
                    })
            }
        }
        return out
    }

    private func packRow(_ row: [UInt16]) -> [UInt8] {
        switch bitDepth {
        case 16:
            return row.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case 8:
            return row.map { UInt8($0) }
        default:  // 1, 2, 4: most significant bits first, last byte padded with zeros
            var bytes = [UInt8](repeating: 0, count: (row.count * bitDepth + 7) / 8)
            for (index, value) in row.enumerated() {
                let bit = index * bitDepth
                bytes[bit / 8] |= UInt8(value) << (8 - bitDepth - bit % 8)
            }
            return bytes
        }
    }
}

func bigEndian32(_ value: Int) -> [UInt8] {
    [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

/// A PNG chunk: length, type, payload, CRC-32 of type and payload.
func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + payload
    return bigEndian32(payload.count) + body + bigEndian32(Int(crc32(body)))
}

func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// A zlib stream of stored deflate blocks (at most 65535 bytes each) with its Adler-32.
func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var start = 0
    repeat {
        let count = min(65535, bytes.count - start)
        let final: UInt8 = start + count == bytes.count ? 1 : 0
        out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8(~count >> 8 & 0xFF)]
        out += bytes[start..<start + count]
        start += count
    } while start < bytes.count
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in bytes {
        a = (a + UInt32(byte)) % 65521
        b = (b + a) % 65521
    }
    return out + bigEndian32(Int(b << 16 | a))
}
