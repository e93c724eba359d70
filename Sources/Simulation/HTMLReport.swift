/// The simulation as one self-contained HTML page (table, notes and the four SVG plots inline),
/// for the web UI to serve and for `livetrain simulate --out` to write as report.html.
public func htmlReport(_ report: SimulationReport, title: String = "Annotation approaches compared") -> String {
    var rows = ""
    for result in report.results {
        rows +=
            "<tr><td>\(Markup.escape(result.name))</td>"
            + "<td>\(NumberText.fixed(result.workingHours, decimals: 1))</td>"
            + "<td>\(result.calendarDays)</td>"
            + "<td>\(NumberText.fixed(result.annotationHours, decimals: 1))</td>"
            + "<td>\(NumberText.fixed(result.pausedHours, decimals: 0))</td></tr>\n"
    }
    let header = SimulationReport.columnTitles.map { "<th>\(Markup.escape($0))</th>" }.joined()
    let notes = report.notes().map { "<li>\(Markup.escape($0))</li>" }.joined(separator: "\n")
    let figures = report.renderedCharts().map { chart, svg in
        "<figure id=\"\(chart.rawValue)\">\n\(svg)</figure>"
    }.joined(separator: "\n")
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(Markup.escape(title))</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; }
        th { text-align: left; } td:not(:first-child), th:not(:first-child) { text-align: right; }
        figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; }
        li { margin: 0.3em 0; }
        </style>
        </head>
        <body>
        <h1>\(Markup.escape(title))</h1>
        <table>
        <thead><tr>\(header)</tr></thead>
        <tbody>
        \(rows)</tbody>
        </table>
        <ul>
        \(notes)
        </ul>
        \(figures)
        </body>
        </html>

        """
}
