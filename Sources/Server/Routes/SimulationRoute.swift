import Foundation
import Hummingbird
import Simulation

/// `GET /simulation`: the annotation-approach simulator as a page (table and four plots). Query
/// parameters override the seed project: images, manualSeconds, foundationSeconds, reviewSeconds,
/// hoursPerDay, annotators, retrainDays. Public like the UI: it shows no project data.
struct SimulationRoute {
    func add(to router: Router<AppRequestContext>) {
        router.get("simulation") { request, _ in
            let q = request.uri.queryParameters
            func number(_ name: String, _ fallback: Double) throws -> Double {
                guard let text = q[Substring(name)] else { return fallback }
                guard let value = Double(String(text)), value.isFinite, value > 0 else {
                    throw APIError(.badRequest, "\(name) must be a positive number, not '\(text)'")
                }
                return value
            }
            let seed = ProjectParameters.seed
            let parameters = ProjectParameters(
                images: Int(try number("images", Double(seed.images))), manualSeconds: try number("manualSeconds", seed.manualSeconds),
                foundationSeconds: try number("foundationSeconds", seed.foundationSeconds),
                reviewFloorSeconds: try number("reviewSeconds", seed.reviewFloorSeconds), retrainAt: seed.retrainAt,
                retrainDays: try number("retrainDays", seed.retrainDays), hoursPerDay: try number("hoursPerDay", seed.hoursPerDay),
                annotators: Int(try number("annotators", Double(seed.annotators))))
            let report: SimulationReport
            do { report = try SimulationReport.run(parameters: parameters) } catch {
                throw APIError(.unprocessableContent, "\(error)")
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: htmlReport(report))))
        }
    }
}
