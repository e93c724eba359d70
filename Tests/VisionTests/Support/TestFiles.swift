import Foundation

/// Where the shared, read-only datasets live: `<package root>/../shared/datasets`.
enum SharedDatasets {
    static let root: URL = URL(fileURLWithPath: #filePath)  // Tests/VisionTests/Support/TestFiles.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/datasets").standardized

    static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func file(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }
}

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vision-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `data` as `name` inside the directory and returns its URL.
    func write(_ data: Data, as name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    /// Copies a file in (datasets are read-only; tests work on copies).
    func copy(_ source: URL) throws -> URL {
        let file = url.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: file)
        return file
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic pseudo-random bytes (SplitMix64), so a failing fuzz case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}
