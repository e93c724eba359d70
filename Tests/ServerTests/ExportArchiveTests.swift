import Foundation
import Testing

@testable import Server

/// The export writer streams: packing images costs memory of the order of one read chunk, not of the
/// images. Measured as the process's peak resident memory (`VmHWM`, reset through `clear_refs`), so
/// it is not a timing test; it needs the suite run serially (`make test` runs `swift test --no-parallel`),
/// since other tests allocating at the same time would raise the same peak.
@Suite("export archive", .serialized)
struct ExportArchiveTests {
    @Test("packing 256 MiB of image files raises peak memory by less than 48 MiB, and stores them unchanged")
    func streamsFromDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // One 4 MiB file of noise (as incompressible as a JPEG), packed 64 times under different names:
        // each add reads it from disk again, as an export reads each image.
        var generator = SystemRandomNumberGenerator()
        let image = folder.appendingPathComponent("noise.jpg")
        try Data((0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: image)
        let archive = try ExportArchive(in: folder.appendingPathComponent("out"))
        guard let baseline = ProcessMemory.resetPeak() else {
            Issue.record("/proc/self/status or clear_refs unavailable: memory cannot be measured here")
            return
        }
        for i in 0..<64 { try archive.add("images/\(i).jpg", file: image) }
        try archive.add("labels.txt", Data(repeating: UInt8(ascii: "a"), count: 1000))
        try archive.finish()
        let peak = try #require(ProcessMemory.peak())
        let size = try #require(try FileManager.default.attributesOfItem(atPath: archive.url.path)[.size] as? NSNumber).intValue
        // Stored, not recompressed: the archive holds every byte of the 64 copies plus headers.
        #expect(size >= 64 << 22)
        #expect(peak - baseline < 48 << 20, "peak grew by \((peak - baseline) >> 20) MiB for a \(size >> 20) MiB archive")
    }

    @Test("a 10,000-image export (images and label files, 20,000 entries) raises peak memory by less than 48 MiB")
    func tenThousandImages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SystemRandomNumberGenerator()
        let image = folder.appendingPathComponent("tile.png")
        try Data((0..<(16 << 10)).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: image)
        let archive = try ExportArchive(in: folder.appendingPathComponent("out"))
        guard let baseline = ProcessMemory.resetPeak() else {
            Issue.record("/proc/self/status or clear_refs unavailable: memory cannot be measured here")
            return
        }
        for i in 0..<10_000 {
            try archive.add("images/2019_YELL_tile_\(i).png", file: image)
            try archive.add("labels/2019_YELL_tile_\(i).txt", Data("0 0.500000 0.500000 0.250000 0.250000\n".utf8))
        }
        try archive.finish()
        let peak = try #require(ProcessMemory.peak())
        let size = try #require(try FileManager.default.attributesOfItem(atPath: archive.url.path)[.size] as? NSNumber).intValue
        #expect(size >= 10_000 * (16 << 10))
        #expect(peak - baseline < 48 << 20, "peak grew by \((peak - baseline) >> 20) MiB for a \(size >> 20) MiB archive")
    }

    @Test("names in any script and every byte survive, as Python's zipfile reads them (CRCs checked)")
    func namesAndBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = folder.appendingPathComponent("photo.jpg")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) })
        try bytes.write(to: image)
        let archive = try ExportArchive(in: folder.appendingPathComponent("out"))
        try archive.add("labels/Zürich_木_1.txt", Data("0 0.5 0.5 0.25 0.25\n".utf8))
        try archive.add("images/Zürich_木_1.jpg", file: image)
        try archive.add("empty.txt", Data())
        try archive.finish()
        let data = try Data(contentsOf: archive.url)
        #expect(try ZipReading.names(data) == ["labels/Zürich_木_1.txt", "images/Zürich_木_1.jpg", "empty.txt"])
        let unpacked = folder.appendingPathComponent("unpacked")
        try ZipReading.extract(data, to: unpacked)
        #expect(try Data(contentsOf: unpacked.appendingPathComponent("images/Zürich_木_1.jpg")) == bytes)
        #expect(try String(contentsOf: unpacked.appendingPathComponent("labels/Zürich_木_1.txt"), encoding: .utf8) == "0 0.5 0.5 0.25 0.25\n")
        #expect(try Data(contentsOf: unpacked.appendingPathComponent("empty.txt")).isEmpty)
    }

    @Test("an unsafe path is refused before anything is written for it")
    func unsafePaths() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try ExportArchive(in: folder)
        for path in ["../x.txt", "/etc/x", "a/../../x", "a\\..\\x", "C:x", "", "a//b"] {
            #expect(throws: ExportArchive.UnsafePath.self) { try archive.add(path, Data("x".utf8)) }
        }
        archive.discard()
        #expect(!FileManager.default.fileExists(atPath: archive.url.path))
    }
}

/// This process's resident memory from `/proc/self/status` (Linux).
enum ProcessMemory {
    /// Resets the peak to the current resident size and returns that size in bytes.
    static func resetPeak() -> Int? {
        guard FileManager.default.isWritableFile(atPath: "/proc/self/clear_refs"),
            (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
        else { return nil }
        return field("VmRSS")
    }

    /// The peak resident size since the last reset, in bytes.
    static func peak() -> Int? { field("VmHWM") }

    private static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}
