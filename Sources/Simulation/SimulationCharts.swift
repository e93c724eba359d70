/// The four plots of a simulation report.
public enum SimulationChart: String, Sendable, CaseIterable {
    case progressVsDays = "progress-vs-days"
    case progressVsHours = "progress-vs-hours"
    case speedVsHours = "speed-vs-hours"
    case speedVsImages = "speed-vs-images"

    /// The file the CLI writes the chart to.
    public var fileName: String { rawValue + ".svg" }
}

extension SimulationReport {
    /// One of the four plots; every approach is a line, a measured curve dashed beside the assumed one.
    public func chart(_ kind: SimulationChart) -> SVGLineChart {
        let perDay = parameters.hoursPerDay
        let speedLabel =
            parameters.annotators == 1
            ? "Annotation speed (images / working hour)"
            : "Team annotation speed (images / working hour, \(parameters.annotators) annotators)"
        switch kind {
        case .progressVsDays:
            return SVGLineChart(
                title: "Progress vs calendar days",
                xLabel: "Calendar days (working days of \(NumberText.short(perDay)) h)",
                yLabel: "Images labelled",
                series: series { ChartPoint($0.workingHours / perDay, Double($0.imagesLabelled)) })
        case .progressVsHours:
            return SVGLineChart(
                title: "Progress vs working hours", xLabel: "Working hours (h)", yLabel: "Images labelled",
                series: series { ChartPoint($0.workingHours, Double($0.imagesLabelled)) })
        case .speedVsHours:
            return SVGLineChart(
                title: "Annotation speed vs working hours", xLabel: "Working hours (h)", yLabel: speedLabel,
                series: series { ChartPoint($0.workingHours, $0.imagesPerHour) })
        case .speedVsImages:
            // Pauses have no extent in images; leaving them out keeps the steps at retrain points clean.
            return SVGLineChart(
                title: "Annotation speed vs images labelled", xLabel: "Images labelled", yLabel: speedLabel,
                series: series(including: { !$0.paused }) { ChartPoint(Double($0.imagesLabelled), $0.imagesPerHour) })
        }
    }

    /// All four charts rendered, keyed by chart.
    public func renderedCharts() -> [(chart: SimulationChart, svg: String)] {
        SimulationChart.allCases.map { ($0, chart($0).render()) }
    }

    private func series(
        including keep: (TimelineSample) -> Bool = { _ in true }, _ point: (TimelineSample) -> ChartPoint
    ) -> [ChartSeries] {
        results.map { result in
            ChartSeries(
                name: result.name, points: result.timeline.filter(keep).map(point),
                color: Self.color(result), dashed: [.measured, .measuredTimes, .countedCorrections].contains(result.curveSource))
        }
    }

    /// Colour-blind-safe hues (Okabe-Ito); a measured curve gets its own hue as well as its dashes.
    static func color(_ result: ApproachResult) -> String {
        if result.curveSource == .measured { return "#CC79A7" }
        if result.curveSource == .measuredTimes { return "#D55E00" }
        if result.curveSource == .countedCorrections { return "#56B4E9" }
        switch result.kind {
        case .manual: return "#555555"
        case .foundationModel: return "#E69F00"
        case .humanInTheLoop: return "#0072B2"
        case .live: return "#009E73"
        }
    }
}
