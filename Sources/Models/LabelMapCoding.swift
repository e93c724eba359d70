import Vision

/// Label maps travel in JSON as row-major runs of (label, length): compact for the large uniform
/// regions of segmentation masks and exact.
extension LabelMap: Codable {
    private enum Keys: String, CodingKey { case width, height, runs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let width = try c.decode(Int.self, forKey: .width), height = try c.decode(Int.self, forKey: .height)
        let runs = try c.decode([[Int]].self, forKey: .runs)
        // Sizes and runs come from outside: checked (masks' bound) before any arithmetic or allocation.
        guard width > 0, height > 0, let pixels = try? COCORLE.pixelCount(width: width, height: height) else {
            throw DecodingError.dataCorruptedError(forKey: .width, in: c, debugDescription: "no label map is \(width)x\(height)")
        }
        var covered = 0
        for run in runs {
            guard run.count == 2, (0...Int(UInt16.max)).contains(run[0]), run[1] >= 0, run[1] <= pixels - covered else {
                throw DecodingError.dataCorruptedError(forKey: .runs, in: c, debugDescription: "bad run \(run)")
            }
            covered += run[1]
        }
        guard covered == pixels else {
            throw DecodingError.dataCorruptedError(forKey: .runs, in: c, debugDescription: "runs cover \(covered) of \(pixels) pixels")
        }
        var labels: [UInt16] = []
        labels.reserveCapacity(pixels)
        for run in runs { labels += repeatElement(UInt16(run[0]), count: run[1]) }
        self.init(width: width, height: height, labels: labels)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(runs, forKey: .runs)
    }

    /// Row-major runs of equal labels, `[label, length]`: the JSON shape, also how the store keeps maps.
    public var runs: [[Int]] {
        var runs: [[Int]] = []
        for l in labels {
            if let last = runs.last, last[0] == Int(l) { runs[runs.count - 1][1] += 1 } else { runs.append([Int(l), 1]) }
        }
        return runs
    }
}
