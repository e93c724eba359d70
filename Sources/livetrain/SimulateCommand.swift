import ArgumentParser
import Foundation
import Simulation

/// `livetrain simulate`: compares manual, foundation-model, human-in-the-loop and live annotation.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Compare annotation approaches on a simulated project (hours, calendar days, plots).",
        discussion: """
            Per-image time follows the pre-label's quality q (0-1): floor + (manual - floor) * (1 - q)^exponent. \
            The assumed learning curve q(n) = max * (1 - exp(-n / tau)) is fitted so that live training takes \
            --fit-live-hours in the seed's project (102 h; the curve belongs to the model, not to the project) \
            unless --curve-images-scale gives tau.

            --replay-report adds a row and dashed plot lines from the live curve `livetrain replay` measured.

            --project-times adds a row played on a real project's measured seconds per image against images \
            labelled (GET /api/projects/{id}/annotation-times, or a COCO export with its annotation_seconds), \
            in place of the assumed manual and live times.
            """)

    @Option(help: "Images in the project.")
    var images = ProjectParameters.seed.images

    @Option(help: "Seconds per image annotated by hand.")
    var manualSeconds = ProjectParameters.seed.manualSeconds

    @Option(help: "Seconds per image with a promptable foundation model (no adaptation).")
    var foundationSeconds = ProjectParameters.seed.foundationSeconds

    @Option(help: "Seconds per image when the pre-label only needs review.")
    var reviewFloorSeconds = ProjectParameters.seed.reviewFloorSeconds

    @Option(help: "Human-in-the-loop retrain points, images labelled, comma-separated.")
    var retrainAt = ProjectParameters.seed.retrainAt.map(String.init).joined(separator: ",")

    @Option(help: "Days annotation pauses for each human-in-the-loop retrain.")
    var retrainDays = ProjectParameters.seed.retrainDays

    @Option(help: "Working hours per day.")
    var hoursPerDay = ProjectParameters.seed.hoursPerDay

    @Option(help: "Annotators working in parallel.")
    var annotators = ProjectParameters.seed.annotators

    @Option(
        help: """
            Working hours live training takes in the seed's project (10,000 images, 210 s manual, 30 s review, \
            1 annotator); the assumed curve's tau is fitted to it.
            """)
    var fitLiveHours = 102.0

    @Option(help: "Give the assumed curve's tau (images) instead of fitting it.")
    var curveImagesScale: Double?

    @Option(help: "Plateau quality of the assumed curve (0-1].")
    var curveMaxQuality = 1.0

    @Option(help: "Exponent of the quality-to-seconds mapping (1 = linear).")
    var qualityExponent = 1.0

    @Option(help: "report.json written by `livetrain replay`; adds its measured live curve.")
    var replayReport: String?

    @Option(help: "A project's measured times (annotation-times JSON or COCO export); adds a row played on them.")
    var projectTimes: String?

    @Option(help: "Folder for table.md, results.json, the four SVG plots and report.html.")
    var out: String?

    func run() throws {
        let retrainPoints = try retrainAt.split(separator: ",").map { text in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--retrain-at: '\(text)' is not a whole number of images")
            }
            return value
        }
        let parameters = ProjectParameters(
            images: images, manualSeconds: manualSeconds, foundationSeconds: foundationSeconds,
            reviewFloorSeconds: reviewFloorSeconds, retrainAt: retrainPoints, retrainDays: retrainDays,
            hoursPerDay: hoursPerDay, annotators: annotators)
        let report: SimulationReport
        do {
            report = try simulate(parameters)
        } catch {
            throw ValidationError(error.description)
        }
        print(report.markdownTable())
        for note in report.notes() { print("- " + note) }
        if let out {
            let files = try SimulationOutput.write(report, to: URL(fileURLWithPath: out, isDirectory: true))
            print("\nWrote " + files.map(\.path).joined(separator: ", "))
        }
    }

    private func simulate(_ parameters: ProjectParameters) throws(SimulationError) -> SimulationReport {
        var replay: ReplayReport?
        if let replayReport { replay = try ReplayReport.load(path: replayReport) }
        var times: ProjectTimes?
        if let projectTimes { times = try ProjectTimes.load(path: projectTimes) }
        return try SimulationReport.run(
            parameters: parameters, qualityExponent: qualityExponent,
            assumedCurve: curveImagesScale.map {
                ExponentialLearningCurve(imagesScale: $0, maxQuality: curveMaxQuality)
            },
            fitLiveHours: fitLiveHours, maxQuality: curveMaxQuality, replay: replay, projectTimes: times)
    }
}
