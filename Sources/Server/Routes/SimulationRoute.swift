import Foundation
import Hummingbird
import Simulation

/// `GET /simulation`: the annotation-approach simulator as a page (table and four plots). Query
/// parameters override the seed project: images, manualSeconds, foundationSeconds, reviewSeconds,
/// hoursPerDay, annotators, retrainDays, each within the ranges `ProjectParameters` bounds (a bound on
/// the page's cost too). Public like the UI: it shows no project data.
struct SimulationRoute {
    func add(to router: Router<AppRequestContext>) {
        router.get("simulation") { request, _ in
            let q = request.uri.queryParameters
            // Bounded below too: a tiny positive time or day makes infinite hours and days.
            func number(_ name: String, _ fallback: Double, in range: ClosedRange<Double>, above zero: Bool = false) throws -> Double {
                guard let text = q[Substring(name)] else { return fallback }
                guard let value = Double(String(text)), range.contains(value), !zero || value > 0 else {
                    let bounds = zero ? "(0, \(range.upperBound)]" : "[\(range.lowerBound), \(range.upperBound)]"
                    throw APIError(.badRequest, "\(name) must be a number in \(bounds), not '\(text)'")
                }
                return value
            }
            // Checked against the range as text, before any conversion: `Int(1e300)` would trap.
            func integer(_ name: String, _ fallback: Int, in range: ClosedRange<Int>) throws -> Int {
                guard let text = q[Substring(name)] else { return fallback }
                guard let value = Int(String(text)), range.contains(value) else {
                    throw APIError(.badRequest, "\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
                }
                return value
            }
            let seed = ProjectParameters.seed
            let seconds = ProjectParameters.secondsPerImageRange
            let parameters = ProjectParameters(
                images: try integer("images", seed.images, in: ProjectParameters.imageRange),
                manualSeconds: try number("manualSeconds", seed.manualSeconds, in: seconds),
                foundationSeconds: try number("foundationSeconds", seed.foundationSeconds, in: seconds),
                reviewFloorSeconds: try number("reviewSeconds", seed.reviewFloorSeconds, in: seconds), retrainAt: seed.retrainAt,
                retrainDays: try number("retrainDays", seed.retrainDays, in: 0...ProjectParameters.maxRetrainDays, above: true),
                hoursPerDay: try number("hoursPerDay", seed.hoursPerDay, in: ProjectParameters.hoursPerDayRange),
                annotators: try integer("annotators", seed.annotators, in: ProjectParameters.annotatorRange))
            let report: SimulationReport
            do { report = try SimulationReport.run(parameters: parameters) } catch {
                throw APIError(.unprocessableContent, "\(error)")
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: htmlReport(report))))
        }
    }
}
