/// COCO's run-length encoding: runs alternate 0s and 1s (starting with 0s) over the pixels in
/// column-major order; the compressed string form packs each run (as a difference from the run two
/// back, after the first two) into 5-bit groups, 6 bits per character offset by 48, like pycocotools.
public struct COCORLE: Sendable, Equatable, Codable {
    public var width: Int
    public var height: Int
    public var counts: [Int]

    public enum RLEError: Error, CustomStringConvertible, Equatable {
        case malformed(String)
        public var description: String {
            switch self { case .malformed(let why): "malformed RLE: \(why)" }
        }
    }

    /// Largest mask accepted (width x height): far above any image the server takes, small enough
    /// that decoding one can never exhaust memory or overflow a pixel index.
    public static let maxPixels = 1 << 28

    /// Counts and size come from outside (JSON, files): every sum is checked before it is used, so
    /// no input can trap on overflow.
    public init(width: Int, height: Int, counts: [Int]) throws(RLEError) {
        let pixels = try Self.pixelCount(width: width, height: height)
        var covered = 0
        for run in counts {
            guard run >= 0 else { throw .malformed("negative run length \(run)") }
            guard run <= pixels - covered else { throw .malformed("runs cover more than the \(pixels) pixels of \(width)x\(height)") }
            covered += run
        }
        guard covered == pixels else { throw .malformed("runs cover \(covered) pixels, the image has \(pixels)") }
        self.width = width
        self.height = height
        self.counts = counts
    }

    private enum Keys: String, CodingKey { case width, height, counts }

    /// Decoding validates like `init(width:height:counts:)`: runs must cover the image exactly.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let (width, height, counts) = try (c.decode(Int.self, forKey: .width), c.decode(Int.self, forKey: .height), c.decode([Int].self, forKey: .counts))
        do { try self.init(width: width, height: height, counts: counts) } catch {
            // A decoding error, so a bad mask in a request body reads like any other bad JSON, with its path.
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public init(_ mask: BinaryMask) {
        var counts: [Int] = [], current: UInt8 = 0, run = 0
        // Columns only when there are pixels: a mask with no rows may still be maxPixels columns wide.
        for x in 0..<(mask.height > 0 ? mask.width : 0) {
            for y in 0..<mask.height {
                let v = mask.bits[y * mask.width + x]
                if v != current {
                    counts.append(run)
                    run = 0
                    current = v
                }
                run += 1
            }
        }
        counts.append(run)
        width = mask.width
        height = mask.height
        self.counts = counts
    }

    public var mask: BinaryMask {
        var bits = [UInt8](repeating: 0, count: width * height)
        var i = 0, value: UInt8 = 0
        for run in counts {
            if value == 1 {
                for k in i..<(i + run) { bits[(k % height) * width + k / height] = 1 }
            }
            i += run
            value ^= 1
        }
        return BinaryMask(width: width, height: height, bits: bits)
    }

    /// width x height, or why that is no mask size.
    public static func pixelCount(width: Int, height: Int) throws(RLEError) -> Int {
        guard width >= 0, height >= 0 else { throw .malformed("negative size \(width)x\(height)") }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxPixels else { throw .malformed("size \(width)x\(height) exceeds \(maxPixels) pixels") }
        // An empty mask has 0 pixels at any size, but loops over its rows or columns (bounds, raster
        // scans) still run its sides' length: 0x2^62 must not pass.
        guard max(width, height) <= maxPixels else { throw .malformed("size \(width)x\(height) has a side over \(maxPixels)") }
        return pixels
    }

    /// The compressed `counts` string of COCO json.
    public var string: String {
        var out: [UInt8] = []
        for (i, count) in counts.enumerated() {
            var x = i > 2 ? count - counts[i - 2] : count
            var more = true
            while more {
                var c = x & 0x1f
                x >>= 5
                more = (c & 0x10) != 0 ? x != -1 : x != 0
                if more { c |= 0x20 }
                out.append(UInt8(c + 48))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes the compressed string form; `width`/`height` come from the json's `size` ([h, w]).
    public init(string: String, width: Int, height: Int) throws(RLEError) {
        let pixels = try Self.pixelCount(width: width, height: height)
        var counts: [Int] = []
        let bytes = Array(string.utf8)
        var p = 0
        while p < bytes.count {
            var x = 0, k = 0, more = true
            while more {
                guard p < bytes.count else { throw .malformed("string ends inside a run") }
                let c = Int(bytes[p]) - 48
                guard (0..<64).contains(c) else { throw .malformed("character '\(UnicodeScalar(bytes[p]))' outside the alphabet") }
                // 12 groups of 5 bits = 60 bits: a shift that cannot overflow 64-bit Int.
                guard k < 12 else { throw .malformed("run too long") }
                x |= (c & 0x1f) << (5 * k)
                more = (c & 0x20) != 0
                p += 1
                k += 1
                if !more && (c & 0x10) != 0 { x |= -1 << (5 * k) }
            }
            if counts.count > 2 {
                let (sum, overflow) = x.addingReportingOverflow(counts[counts.count - 2])
                guard !overflow else { throw .malformed("run length out of range") }
                x = sum
            }
            // Runs are checked in full below; stop early so a long string cannot grow `counts` past the image.
            guard x >= 0, x <= pixels else { throw .malformed("run length \(x) outside 0...\(pixels)") }
            counts.append(x)
        }
        try self.init(width: width, height: height, counts: counts)
    }
}
