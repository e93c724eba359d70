import Foundation
import TestSupport
import Testing

@testable import Simulation

/// Where `rsvg-convert` (Debian: librsvg2-bin) is, if installed.
private let rsvgConvert: String? = [
    "/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert", "/opt/homebrew/bin/rsvg-convert",
]
.first { FileManager.default.isExecutableFile(atPath: $0) }

/// Writes the seed report (with a measured curve) and its plots as PNGs to artifacts/simulation/ for
/// checking by eye.
@Suite struct ChartRenderingTests {
    @Test(
        .enabled(
            if: rsvgConvert != nil, "rsvg-convert not installed (apt-get install librsvg2-bin); plots not rendered"))
    func rendersTheFourPlotsToPNG() throws {
        let directory = PackagePaths.root.appendingPathComponent("artifacts/simulation")
        let files = try SimulationOutput.write(Fixtures.seedReportWithReplay, to: directory)
        #expect(files.count == 7)
        for chart in SimulationChart.allCases {
            let svg = directory.appendingPathComponent(chart.fileName)
            let png = directory.appendingPathComponent(chart.rawValue + ".png")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(rsvgConvert))
            process.arguments = ["--format", "png", "--output", png.path, svg.path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "rsvg-convert failed on \(svg.lastPathComponent)")
            let size = (try FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(png.lastPathComponent) is suspiciously small (\(size) bytes)")
        }
    }
}
