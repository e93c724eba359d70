import Foundation
import HummingbirdTesting
import Testing

@Suite("metrics")
struct MetricsTests {
    @Test("/metrics has request latency by route, pre-label wait, and trainer gauges per project")
    func prometheus() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png(width: 64, height: 48)
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(png, project: project, token: token)
            _ = try await client.execute(uri: "/api/projects/\(project)/images/\(image)/open", method: .post, headers: headers(token))
            _ = try await client.submit(
                #"{"objects": [{"classIndex": 0, "box": {"x1": 4, "y1": 4, "x2": 30, "y2": 40}}]}"#,
                project: project, image: image, token: token)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            #expect(text.contains("# TYPE livetrain_http_request_duration_seconds histogram"))
            #expect(text.contains(#"route="/api/projects/{project}/images/{image}/annotation""#))
            #expect(text.contains("livetrain_prelabel_wait_seconds_count 1"))
            #expect(text.contains(#"livetrain_train_steps{project="\#(project)"} 10"#))
            #expect(text.contains(#"livetrain_train_samples{project="\#(project)"} 1"#))
        }
    }
}
