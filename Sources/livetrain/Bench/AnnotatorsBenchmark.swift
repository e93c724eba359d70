import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `livetrain bench annotators`: N simulated annotators on the demo project of a real `livetrain demo`
/// server (a child process, so its CPU is its own), each asking for the next image, opening it (the
/// pre-label wait) and submitting after a pause, while the trainer trains on what they submit.
struct BenchAnnotators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotators",
        abstract: "Pre-label wait (next + open) and server CPU with N annotators at once on one training project.")

    @Option(help: "Annotators working at once, each with its own API token.") var annotators = 8
    @Option(help: "Images each annotator labels in the measured phase.") var imagesPerAnnotator = 3
    @Option(help: "Mean seconds an annotator spends on an image between open and submit (uniform ±50 %).") var thinkSeconds = 3.0
    @Option(help: "Training steps the trainer must have taken before the measured phase starts.") var warmSteps = 3
    @Option(help: "Square model input side of the server.") var inputSize = 320
    @Option(help: "libtorch threads of the server.") var threads = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    @Option(help: "The livetrain binary to serve with (default: this one).") var binary: String?
    @Option(help: "Also write the table here (markdown).") var out: String?

    func run() async throws {
        guard (1...64).contains(annotators), (1...1_000).contains(imagesPerAnnotator), (0...600).contains(thinkSeconds),
            (0...10_000).contains(warmSteps)
        else { throw ValidationError("--annotators 1...64, --images-per-annotator 1...1000, --think-seconds 0...600, --warm-steps 0...10000") }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("livetrain-bench-annotators-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try ChildServer.start(
            binary: binary ?? Bundle.main.executablePath ?? CommandLine.arguments[0],
            arguments: ["demo", "--data", data.path, "--port", "0", "--input-size", "\(inputSize)", "--threads", "\(threads)"])
        defer { server.stop() }
        let admin = HTTPJSON(base: server.url, token: server.token)
        let projects = try await admin.call("GET", "/api/projects")["projects"] as? [[String: Any]] ?? []
        guard let project = projects.first?["id"] as? Int else { throw ValidationError("the demo project is missing") }
        let total = (try await admin.call("GET", "/api/projects/\(project)")["counts"] as? [String: Any])?["total"] as? Int ?? 0
        guard total >= 2 + annotators * imagesPerAnnotator else {
            throw ValidationError("the demo has \(total) images; at most \((total - 2) / annotators) per annotator")
        }
        var clients: [HTTPJSON] = []
        for k in 0..<annotators {
            // Each annotator is a person: an account, a member of the project, with a token of their own
            // (a token the admin makes for itself would make every annotator the admin).
            let name = "annotator-\(k)"
            let account = try await admin.call("POST", "/api/accounts", ["name": name, "password": "\(name)-password"])
            guard let accountID = account["id"] as? Int else { throw ValidationError("no account id in \(account)") }
            _ = try await admin.call("PUT", "/api/projects/\(project)/members", ["name": name, "role": "annotator"])
            let created = try await admin.call("POST", "/api/tokens", ["name": name, "account": accountID])
            guard let secret = created["token"] as? String else { throw ValidationError("no token in \(created)") }
            clients.append(HTTPJSON(base: server.url, token: secret))
        }
        // Two labelled images start the trainer; the measured phase begins once it has stepped.
        for _ in 0..<2 { _ = try await Annotator(http: clients[0], project: project).label(thinkSeconds: 0) }
        let warmStart = ContinuousClock.now
        var stepsBefore = 0
        while stepsBefore < warmSteps {
            guard ContinuousClock.now - warmStart < .seconds(900) else { throw ValidationError("the trainer did not reach \(warmSteps) steps") }
            try await Task.sleep(for: .milliseconds(500))
            stepsBefore = (try await admin.call("GET", "/api/projects/\(project)/status")["step"] as? Int) ?? 0
        }

        let cpuBefore = server.cpuSeconds()
        let started = ContinuousClock.now
        let (think, perAnnotator) = (thinkSeconds, imagesPerAnnotator)
        let results = try await withThrowingTaskGroup(of: [Annotator.Result].self) { group in
            for client in clients {
                group.addTask {
                    var done: [Annotator.Result] = []
                    let annotator = Annotator(http: client, project: project)
                    for _ in 0..<perAnnotator { done.append(try await annotator.label(thinkSeconds: think)) }
                    return done
                }
            }
            var all: [Annotator.Result] = []
            for try await done in group { all += done }
            return all
        }
        let wall = seconds(ContinuousClock.now - started)
        let cpu = server.cpuSeconds() - cpuBefore
        let status = try await admin.call("GET", "/api/projects/\(project)/status")
        let stepsAfter = status["step"] as? Int ?? 0
        let waits = results.map(\.waitSeconds)
        let distinct = Set(results.map(\.image)).count
        let shown = results.filter(\.prelabelShown).count
        let table = """
            | annotators | images labelled | distinct images | next+open p50 ms | next+open p95 ms | max ms | pre-labels shown | server CPU s | server CPU % of one core | trainer steps during |
            |---|---|---|---|---|---|---|---|---|---|
            | \(annotators) | \(results.count) | \(distinct) | \(ms(percentile(waits, 0.5))) | \(ms(percentile(waits, 0.95))) | \(ms(waits.max() ?? 0)) | \(shown) | \(String(format: "%.1f", cpu)) | \(String(format: "%.0f", 100 * cpu / max(wall, 1e-9))) | \(stepsAfter - stepsBefore) |

            measured phase \(String(format: "%.1f", wall)) s; each annotator: next + open (timed), \(thinkSeconds) s ± 50 % on the image, submit
            server: `livetrain demo` (child process; CPU from /proc/<pid>/stat), input \(inputSize), threads \(threads), \(ProcessInfo.processInfo.activeProcessorCount) cores
            command: livetrain bench annotators --annotators \(annotators) --images-per-annotator \(imagesPerAnnotator) --think-seconds \(thinkSeconds) --input-size \(inputSize) --threads \(threads)
            """
        print(table)
        if let out { try (table + "\n").write(toFile: out, atomically: true, encoding: .utf8) }
        guard distinct == results.count else { throw ValidationError("an image was handed to two annotators") }
    }

    func ms(_ s: Double) -> String { String(format: "%.0f", s * 1000) }
}

/// One simulated annotator: next, open (timed together), a pause, submit the pre-label or a box.
private struct Annotator: Sendable {
    struct Result: Sendable { var image: Int, waitSeconds: Double, prelabelShown: Bool }
    let http: HTTPJSON
    let project: Int

    func label(thinkSeconds: Double) async throws -> Result {
        let started = ContinuousClock.now
        let next = try await http.call("GET", "/api/projects/\(project)/images/next")
        guard let image = next["image"] as? [String: Any], let id = image["id"] as? Int,
            let width = image["width"] as? Int, let height = image["height"] as? Int
        else { throw ValidationError("no image left to label") }
        let opened = try await http.call("POST", "/api/projects/\(project)/images/\(id)/open")
        let wait = seconds(ContinuousClock.now - started)
        let version = opened["version"] as? Int ?? 0
        let prediction = (opened["prediction"] as? [String: Any])?["objects"] as? [[String: Any]] ?? []
        let think = thinkSeconds * Double.random(in: 0.5...1.5)
        if think > 0 { try await Task.sleep(for: .seconds(think)) }
        // Accepting the pre-label when one is shown, else one box in the middle: enough to train on.
        let objects: [[String: Any]] =
            prediction.isEmpty
            ? [["classIndex": 0, "box": ["x1": width / 4, "y1": height / 4, "x2": width / 2, "y2": height / 2]]]
            : prediction.map { ["classIndex": $0["classIndex"] ?? 0, "box": $0["box"] ?? [:]] }
        _ = try await http.call(
            "PUT", "/api/projects/\(project)/images/\(id)/annotation",
            ["objects": objects, "version": version, "activeSeconds": think,
             "source": prediction.isEmpty ? "drawn" : "prelabel-accepted"])
        return Result(image: id, waitSeconds: wait, prelabelShown: !prediction.isEmpty)
    }
}

/// JSON over HTTP with a bearer token, through URLSession; a non-2xx reply throws with its reason.
struct HTTPJSON: Sendable {
    let base: String
    let token: String

    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        guard let url = URL(string: base + path) else { throw ValidationError("bad URL \(base + path)") }
        var request = URLRequest(url: url, timeoutInterval: 300)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, status) = try await Self.send(request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard (200..<300).contains(status) else {
            throw ValidationError("\(method) \(path): \(status) \(object["error"] as? String ?? "")")
        }
        return object
    }

    private static func send(_ request: URLRequest) async throws -> (Data, Int) {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                continuation.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
            }.resume()
        }
    }
}

/// A `livetrain` server started as a child process; its login link gives the URL and admin token.
final class ChildServer: @unchecked Sendable {
    let process: Process
    let url: String
    let token: String

    private init(process: Process, url: String, token: String) {
        self.process = process
        self.url = url
        self.token = token
    }

    static func start(binary: String, arguments: [String], timeout: Duration = .seconds(600)) throws -> ChildServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let started = ContinuousClock.now
        var output = ""
        while ContinuousClock.now - started < timeout {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty {
                guard process.isRunning else { break }
                continue
            }
            output += String(decoding: chunk, as: UTF8.self)
            if let link = loginLink(in: output) {
                // Keep draining the pipe so the server never blocks on a full one.
                pipe.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
                return ChildServer(process: process, url: link.url, token: link.token)
            }
        }
        if process.isRunning { process.terminate() }
        throw ValidationError("no login link from `livetrain \(arguments.joined(separator: " "))`:\n\(output.suffix(2000))")
    }

    /// `http://127.0.0.1:PORT/#token=SECRET` as `livetrain serve` prints it, once a whole line has come.
    static func loginLink(in output: String) -> (url: String, token: String)? {
        guard let start = output.range(of: "http://127.0.0.1:"), let marker = output.range(of: "/#token=", range: start.upperBound..<output.endIndex)
        else { return nil }
        let token = output[marker.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !token.isEmpty, output[marker.upperBound...].dropFirst(token.count).first?.isNewline == true else { return nil }
        return (String(output[start.lowerBound..<marker.lowerBound]), String(token))
    }

    /// User + system CPU seconds the server has used so far, from /proc/<pid>/stat.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM (the server checkpoints and stops), then wait for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

private func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

private func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s[Swift.min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}
