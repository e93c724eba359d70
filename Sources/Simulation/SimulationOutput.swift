import Foundation

/// Writes a simulation report as files: table.md, results.json, the four SVG plots and report.html.
public enum SimulationOutput {
    /// Writes every file into `directory` (created if missing) and returns their paths.
    @discardableResult
    public static func write(_ report: SimulationReport, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var files: [(String, Data)] = [
            (
                "table.md",
                Data(
                    (report.markdownTable() + "\n" + report.notes().map { "- " + $0 }.joined(separator: "\n") + "\n")
                        .utf8)
            ),
            ("results.json", try encoder.encode(report)),
        ]
        files += report.renderedCharts().map { ($0.chart.fileName, Data($0.svg.utf8)) }
        files.append(("report.html", Data(htmlReport(report).utf8)))
        return try files.map { name, data in
            let url = directory.appendingPathComponent(name)
            try data.write(to: url, options: .atomic)
            return url
        }
    }
}
