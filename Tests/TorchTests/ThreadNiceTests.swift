import Foundation
import Testing
import Torch

/// The premise of `Trainer.Configuration.threadNice`: a thread's nice covers the OpenMP workers that run
/// its libtorch kernels, and no other thread.
@Suite("thread priority", .serialized)
struct ThreadNiceTests {
    /// Nice values of this process's threads by thread id, from /proc (Linux).
    static func niceByThread() throws -> [Int: Int] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        var result: [Int: Int] = [:]
        for task in tasks {
            guard let tid = Int(task),
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm)" come the fields from the third on; nice is the 19th.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 16, let nice = Int(fields[16]) { result[tid] = nice }
        }
        return result
    }

    @Test("a thread's nice reaches the OpenMP workers its kernels start, and only them",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/task"), "reads /proc (Linux)"))
    func niceCoversKernelWorkers() throws {
        let callerNice = try #require(Torch.threadNice)
        let threads = Torch.threads
        Torch.threads = 2
        defer { Torch.threads = threads }
        let nice = 9  // no other test uses it
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<(own: Int?, niced: Int), Error>?
        let thread = Thread {
            outcome = Result {
                try Torch.setThreadNice(nice)
                // Big enough for libtorch to split it over its intra-op threads.
                let x = try Tensor.zeros([4_000_000])
                _ = try (x + 1).sum().item()
                return (Torch.threadNice, try Self.niceByThread().values.filter { $0 == nice }.count)
            }
            done.signal()
        }
        thread.start()
        done.wait()
        let (own, niced) = try #require(outcome).get()
        #expect(own == nice)
        #expect(niced >= 2, "the thread and at least one kernel worker: \(niced)")
        #expect(Torch.threadNice == callerNice, "the caller keeps its priority")
        #expect(throws: TorchError.self) { try Torch.setThreadNice(Int.max) }
    }
}
