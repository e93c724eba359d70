import Testing

@testable import Simulation

@Suite struct HTMLReportTests {
    @Test func pageHoldsTheTableNotesAndAllFourPlots() {
        let html = htmlReport(Fixtures.seedReportWithReplay)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
        for chart in SimulationChart.allCases { #expect(html.contains("id=\"\(chart.rawValue)\"")) }
        for result in Fixtures.seedReportWithReplay.results { #expect(html.contains("<td>\(result.name)</td>")) }
        #expect(html.contains("<td>583.3</td><td>97</td>"))
        #expect(html.contains("τ = 372.8 images"))
    }

    @Test func plotsOnOnePageDoNotShareClipPathIDs() {
        let html = htmlReport(Fixtures.seedReport)
        let ids = html.components(separatedBy: "<clipPath id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(ids.count == 4 && Set(ids).count == 4)
    }

    @Test func markdownTableHasTheSeedsRows() {
        let table = Fixtures.seedReport.markdownTable()
        #expect(table.contains("| manual | 583.3 | 97 |"))
        #expect(table.contains("| foundation model | 250.0 | 42 |"))
        #expect(table.contains("| human-in-the-loop | 144.8 | 24 |"))
        #expect(table.contains("| live training | 102.0 | 17 |"))
    }
}
