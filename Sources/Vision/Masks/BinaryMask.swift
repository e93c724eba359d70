/// A binary mask, one byte (0 or 1) per pixel, row-major: the lossless in-memory form of an instance
/// or class mask. Stored and exchanged as COCO RLE (`COCORLE`).
public struct BinaryMask: Sendable, Equatable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var bits: [UInt8]

    public init(width: Int, height: Int, bits: [UInt8]) {
        precondition(width >= 0 && height >= 0 && bits.count == width * height, "mask \(width)x\(height) needs \(width * height) bits")
        self.width = width
        self.height = height
        self.bits = bits.map { $0 == 0 ? 0 : 1 }
    }

    public init(width: Int, height: Int) {
        self.init(width: width, height: height, bits: [UInt8](repeating: 0, count: width * height))
    }

    public subscript(x: Int, y: Int) -> Bool {
        get { bits[y * width + x] != 0 }
        set { bits[y * width + x] = newValue ? 1 : 0 }
    }

    /// Pixels set.
    public var area: Int { bits.withUnsafeBufferPointer { Self.count($0, nil) } }

    /// Tight (x1, y1, x2, y2) around the set pixels (x2, y2 exclusive), nil when empty.
    public var bounds: (x1: Int, y1: Int, x2: Int, y2: Int)? {
        var x1 = width, y1 = height, x2 = -1, y2 = -1
        for y in 0..<height {
            for x in 0..<width where bits[y * width + x] != 0 {
                x1 = Swift.min(x1, x); x2 = Swift.max(x2, x)
                y1 = Swift.min(y1, y); y2 = Swift.max(y2, y)
            }
        }
        return x2 < 0 ? nil : (x1, y1, x2 + 1, y2 + 1)
    }

    /// Pixels set in both (over the shorter of the two when the sizes differ).
    public func intersection(_ o: BinaryMask) -> Int {
        bits.withUnsafeBufferPointer { a in o.bits.withUnsafeBufferPointer { b in Self.count(a, b) } }
    }

    /// Set bytes of `a` (and of `b` too, when given), eight at a time: every byte is 0 or 1, so a word's
    /// set bits are its set pixels. Live evaluation and calibration compare hundreds of full-image masks
    /// on every submit; a generic zip-and-reduce made that take minutes in debug builds under load.
    private static func count(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>?) -> Int {
        let n = Swift.min(a.count, b?.count ?? a.count)
        guard n > 0, let pa = a.baseAddress else { return 0 }
        let pb = b?.baseAddress
        let raw = UnsafeRawPointer(pa), rawB = pb.map(UnsafeRawPointer.init)
        var total = 0, i = 0
        while i + 8 <= n {
            var word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if let rawB { word &= rawB.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
            total &+= word.nonzeroBitCount
            i &+= 8
        }
        while i < n {
            total &+= Int(pb.map { pa[i] & $0[i] } ?? pa[i])
            i &+= 1
        }
        return total
    }

    public func iou(_ o: BinaryMask) -> Double {
        let inter = intersection(o)
        let union = area + o.area - inter
        return union > 0 ? Double(inter) / Double(union) : 0
    }
}
