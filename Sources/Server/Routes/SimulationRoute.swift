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
            func number(_ name: String, _ fallback: Double, max: Double) throws -> Double {
                guard let text = q[Substring(name)] else { return fallback }
                guard let value = Double(String(text)), value > 0, value <= max else {
                    throw APIError(.badRequest, "\(name) must be a number in (0, \(max)], not '\(text)'")
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
            let seconds = ProjectParameters.maxSecondsPerImage
            let parameters = ProjectParameters(
                images: try integer("images", seed.images, in: ProjectParameters.imageRange),
                manualSeconds: try number("manualSeconds", seed.manualSeconds, max: seconds),
                foundationSeconds: try number("foundationSeconds", seed.foundationSeconds, max: seconds),
                reviewFloorSeconds: try number("reviewSeconds", seed.reviewFloorSeconds, max: seconds), retrainAt: seed.retrainAt,
                retrainDays: try number("retrainDays", seed.retrainDays, max: ProjectParameters.maxRetrainDays),
                hoursPerDay: try number("hoursPerDay", seed.hoursPerDay, max: 24),
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
