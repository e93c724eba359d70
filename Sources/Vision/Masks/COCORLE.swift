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

    public init(width: Int, height: Int, counts: [Int]) throws(RLEError) {
        guard width >= 0, height >= 0 else { throw .malformed("negative size \(width)x\(height)") }
        guard counts.allSatisfy({ $0 >= 0 }) else { throw .malformed("negative run length") }
        guard counts.reduce(0, +) == width * height else {
            throw .malformed("runs cover \(counts.reduce(0, +)) pixels, the image has \(width * height)")
        }
        self.width = width
        self.height = height
        self.counts = counts
    }

    private enum Keys: String, CodingKey { case width, height, counts }

    /// Decoding validates like `init(width:height:counts:)`: runs must cover the image exactly.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        try self.init(width: c.decode(Int.self, forKey: .width), height: c.decode(Int.self, forKey: .height), counts: c.decode([Int].self, forKey: .counts))
    }

    public init(_ mask: BinaryMask) {
        var counts: [Int] = [], current: UInt8 = 0, run = 0
        for x in 0..<mask.width {
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
        var counts: [Int] = []
        let bytes = Array(string.utf8)
        var p = 0
        while p < bytes.count {
            var x = 0, k = 0, more = true
            while more {
                guard p < bytes.count else { throw .malformed("string ends inside a run") }
                let c = Int(bytes[p]) - 48
                guard (0..<64).contains(c) else { throw .malformed("character '\(UnicodeScalar(bytes[p]))' outside the alphabet") }
                x |= (c & 0x1f) << (5 * k)
                more = (c & 0x20) != 0
                p += 1
                k += 1
                if !more && (c & 0x10) != 0 { x |= -1 << (5 * k) }
                guard k < 13 else { throw .malformed("run too long") }
            }
            if counts.count > 2 { x += counts[counts.count - 2] }
            counts.append(x)
        }
        try self.init(width: width, height: height, counts: counts)
    }
}
