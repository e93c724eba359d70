extension SimulationReport {
    /// The results as a Markdown table: working hours and calendar days per approach, as in the seed.
    public func markdownTable() -> String {
        var lines = [
            "| " + Self.columnTitles.joined(separator: " | ") + " |",
            "|---" + String(repeating: "|---:", count: Self.columnTitles.count - 1) + "|",
        ]
        for result in results {
            let cells = [
                result.name,
                NumberText.fixed(result.workingHours, decimals: 1),
                String(result.calendarDays),
                NumberText.fixed(result.annotationHours, decimals: 1),
                NumberText.fixed(result.pausedHours, decimals: 0),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header cells of the results table, shared by the Markdown and HTML forms.
    static let columnTitles = [
        "Approach", "Working hours", "Calendar days", "Annotating (person-h)", "Waiting for retrains (h)",
    ]

    /// "10,000 images, 210 s manual, 30 s review, 1 annotator".
    static func summary(_ p: ProjectParameters) -> String {
        NumberText.count(p.images, "image") + ", \(NumberText.short(p.manualSeconds)) s manual, "
            + "\(NumberText.short(p.reviewFloorSeconds)) s review, " + NumberText.count(p.annotators, "annotator")
    }

    /// Plain sentences under the table: the project, the assumed curve and the mapping used.
    public func notes() -> [String] {
        let p = parameters
        var notes = [
            NumberText.count(p.images, "image") + ", " + NumberText.count(p.annotators, "annotator") + ", "
                + "\(NumberText.short(p.hoursPerDay)) working hours a day; calendar days are working days, "
                + "rounded to the nearest day.",
            "Seconds per image: manual \(NumberText.short(p.manualSeconds)) s, foundation model "
                + "\(NumberText.short(p.foundationSeconds)) s, review floor "
                + "\(NumberText.short(p.reviewFloorSeconds)) s; with a pre-label of quality q: "
                + "floor + (manual - floor) * (1 - q)^\(NumberText.short(timeModel.exponent)).",
            p.retrainAt.isEmpty
                ? "Human-in-the-loop: no retrain points, so manual throughout."
                : "Human-in-the-loop: manual until \(NumberText.fixed(Double(p.retrainAt[0]))), retrains at "
                    + p.retrainAt.map { NumberText.fixed(Double($0)) }.joined(separator: ", ") + " images, "
                    + NumberText.short(p.retrainDays) + (p.retrainDays == 1 ? " day" : " days")
                    + " each with annotation paused.",
        ]
        let curve =
            "Assumed curve: q(n) = \(NumberText.short(assumedCurve.maxQuality)) * (1 - exp(-n / τ)), "
            + "τ = \(NumberText.fixed(assumedCurve.imagesScale, decimals: 1)) images"
        switch assumedCurveOrigin {
        case .fitted(let hours, let reference):
            let project = reference == .seed ? "the seed's project" : "a project of " + Self.summary(reference)
            notes.append(curve + " (fitted so live training takes \(NumberText.short(hours)) h on \(project)).")
        case .given:
            notes.append(curve + " (given).")
        }
        if let replay, let measured {
            let last = replay.liveCurve.max { $0.imagesLabelled < $1.imagesLabelled }
            notes.append(
                "Measured curve: replay of \(replay.task), \(replay.liveCurve.count) points up to "
                    + "\(NumberText.fixed(Double(last?.imagesLabelled ?? 0))) images (quality held at the last point "
                    + "beyond it); projected \(NumberText.fixed(measured.workingHours, decimals: 1)) h / "
                    + "\(measured.calendarDays) d for \(NumberText.fixed(Double(p.images))) images.")
        }
        if let row = countedCorrections, let curve = correctionTimes, let first = curve.points.first, let last = curve.points.last {
            notes.append(
                "Counted corrections: the replay's \(curve.images) images priced edit by edit (docs/benchmarks/correction-cost.md), "
                    + "as shares of drawing by hand pooled over \(ReplayReport.correctionRun) images: "
                    + "\(NumberText.short(first.seconds)) s per image at first, \(NumberText.short(last.seconds)) s after "
                    + "\(NumberText.fixed(Double(last.imagesLabelled))) images (held beyond); projected "
                    + "\(NumberText.fixed(row.workingHours, decimals: 1)) h / \(row.calendarDays) d for \(NumberText.fixed(Double(p.images))) images.")
        }
        if let projectTimes, let row = measuredTimes, let first = projectTimes.points.first, let last = projectTimes.points.last {
            notes.append(
                "Measured times: \(projectTimes.images) timed images of a real project, averaged in "
                    + "\(projectTimes.points.count) runs: \(NumberText.short(first.seconds)) s per image at first, "
                    + "\(NumberText.short(last.seconds)) s after \(NumberText.fixed(Double(last.imagesLabelled))) images "
                    + "(held beyond); projected \(NumberText.fixed(row.workingHours, decimals: 1)) h / "
                    + "\(row.calendarDays) d for \(NumberText.fixed(Double(p.images))) images.")
        }
        return notes
    }
}
