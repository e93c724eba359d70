import Foundation
import Testing

@testable import Simulation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Counts elements and collects text while parsing, to check an SVG is well-formed XML.
private final class SVGInspector: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements[name, default: 0] += 1
        text = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(text) }
        text = ""
    }

    static func inspect(_ svg: String) -> SVGInspector? {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        return parser.parse() ? inspector : nil
    }
}

@Suite struct SVGLineChartTests {
    @Test func ticksAreRoundAndCoverTheData() {
        let hours = AxisTicks(covering: 0, 583.3)
        #expect(hours.step == 100 && hours.upper == 600 && hours.values.count == 7)
        let images = AxisTicks(covering: 0, 10_000)
        #expect(images.step == 2_000 && images.upper == 10_000)
        #expect(images.label(10_000) == "10,000")
        let fractions = AxisTicks(covering: 0, 0.87)
        #expect(fractions.step == 0.2 && fractions.upper == 1 && fractions.label(0.4) == "0.4")
    }

    @Test func chartIsWellFormedWithOneLinePerSeriesAndALegend() throws {
        let chart = SVGLineChart(
            title: "Speed <test> & more", xLabel: "Working hours (h)", yLabel: "Images labelled",
            series: [
                ChartSeries(name: "a", points: [ChartPoint(0, 0), ChartPoint(10, 5)], color: "#000000"),
                ChartSeries(
                    name: "b (measured)", points: [ChartPoint(0, 0), ChartPoint(7, 9)], color: "#ff0000", dashed: true),
            ])
        let inspector = try #require(SVGInspector.inspect(chart.render()))
        #expect(inspector.elements["polyline"] == 2)
        #expect(inspector.texts.contains("Speed <test> & more"))
        #expect(inspector.texts.contains("Working hours (h)") && inspector.texts.contains("Images labelled"))
        #expect(inspector.texts.contains("a") && inspector.texts.contains("b (measured)"))
        #expect(chart.render().contains("stroke-dasharray"))
    }

    @Test func everySimulationChartNamesItsUnitsAndEveryApproach() throws {
        let report = Fixtures.seedReportWithReplay
        for kind in SimulationChart.allCases {
            let chart = report.chart(kind)
            let inspector = try #require(SVGInspector.inspect(chart.render()), "\(kind) is not well-formed")
            #expect(inspector.elements["polyline"] == 5)
            let (x, y) = (chart.xLabel, chart.yLabel)
            switch kind {
            case .progressVsDays: #expect(x == "Calendar days (working days of 6 h)" && y == "Images labelled")
            case .progressVsHours: #expect(x == "Working hours (h)" && y == "Images labelled")
            case .speedVsHours: #expect(x == "Working hours (h)" && y == "Annotation speed (images / working hour)")
            case .speedVsImages: #expect(x == "Images labelled" && y == "Annotation speed (images / working hour)")
            }
            #expect(chart.series.map(\.name) == report.results.map(\.name))
            #expect(chart.series.filter(\.dashed).count == 1)
        }
    }

    @Test func progressChartsEndAtEveryApproachsTotals() throws {
        let report = Fixtures.seedReport
        let hours = report.chart(.progressVsHours)
        let days = report.chart(.progressVsDays)
        for (index, result) in report.results.enumerated() {
            let lastHour = try #require(hours.series[index].points.last)
            let lastDay = try #require(days.series[index].points.last)
            #expect(abs(lastHour.x - result.workingHours) < 1e-9 && lastHour.y == 10_000)
            #expect(abs(lastDay.x - result.workingDays) < 1e-9 && lastDay.y == 10_000)
        }
        #expect(hours.xTicks.upper == 600 && hours.yTicks.upper == 10_000)
    }

    @Test func speedChartsShowTheRetrainPausesAndTheLiveRise() throws {
        let report = Fixtures.seedReport
        let hitl = report.chart(.speedVsHours).series[2]
        // Each of the four pauses drops the speed to zero for 6 working hours.
        let zeros = hitl.points.filter { $0.y == 0 }
        #expect(zeros.count == 8)
        for pair in stride(from: 0, to: zeros.count, by: 2) {
            #expect(abs(zeros[pair + 1].x - zeros[pair].x - 6) < 1e-9)
        }
        let live = report.chart(.speedVsImages).series[3].points
        #expect(abs(try #require(live.first).y - 3600 / 210.0) < 1e-9)
        #expect(abs(try #require(live.last).y - 3600 / 30.0) < 0.01)
        #expect(zip(live, live.dropFirst()).allSatisfy { $0.y <= $1.y })
        let manual = report.chart(.speedVsImages).series[0].points
        #expect(manual.allSatisfy { abs($0.y - 3600 / 210.0) < 1e-9 })
    }
}
