import ArgumentParser
import Foundation
import Server

/// `livetrain bench export`: the export ZIP writer alone, packing N images (stored) and N label files
/// (deflated) as a YOLO export with images does. Time per entry must stay flat as N grows: an archive
/// writer that rewrites its central directory per entry (ZIPFoundation, before) grows with N².
struct BenchExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Seconds to write an export ZIP of N images plus N label files, for several N.")

    @Option(help: "Comma-separated image counts (each gives 2 × N entries).") var images = "1000,5000,20000"
    @Option(help: "Bytes of each (random, incompressible) image file.") var imageBytes = 16 * 1024
    @Option(help: "Also write the table here (markdown).") var out: String?
    @Option(help: "Move the largest archive here instead of deleting it (to check it with another reader).") var keep: String?

    func run() async throws {
        let counts = images.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...1_000_000).contains($0) }), (1...(64 << 20)).contains(imageBytes) else {
            throw ValidationError("--images: counts in 1...1000000; --image-bytes in 1...67108864")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("livetrain-bench-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let largest = counts.max()!
        var generator = SystemRandomNumberGenerator()
        let image = folder.appendingPathComponent("tile.png")
        try Data((0..<imageBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: image)
        let label = Data("0 0.500000 0.500000 0.250000 0.250000\n1 0.250000 0.750000 0.125000 0.100000\n".utf8)

        var rows: [String] = []
        for count in counts {
            let archive = try ExportArchive(in: folder.appendingPathComponent("out"))
            let start = ContinuousClock.now
            for i in 0..<count {
                try archive.add("images/2019_YELL_tile_\(i).png", file: image)
                try archive.add("labels/2019_YELL_tile_\(i).txt", label)
            }
            try archive.finish()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let bytes = (try FileManager.default.attributesOfItem(atPath: archive.url.path)[.size] as? NSNumber)?.intValue ?? 0
            if let keep, count == largest, !FileManager.default.fileExists(atPath: keep) {
                try FileManager.default.moveItem(at: archive.url, to: URL(fileURLWithPath: keep))
            } else {
                try? FileManager.default.removeItem(at: archive.url)
            }
            let row = String(
                format: "| %d | %d | %.1f | %.2f | %.1f |", count, 2 * count, Double(bytes) / 1_048_576, seconds,
                seconds * 1e6 / Double(2 * count))
            print(row)
            rows.append(row)
        }
        let table = (["| images | entries | archive MiB | seconds | µs per entry |", "|---|---|---|---|---|"] + rows)
            .joined(separator: "\n")
            + "\n\nimage files of \(imageBytes) bytes (random), stored; label files deflated; written to \(FileManager.default.temporaryDirectory.path)"
        print(table)
        if let out { try (table + "\n").write(toFile: out, atomically: true, encoding: .utf8) }
    }
}
