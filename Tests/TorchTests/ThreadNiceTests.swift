import Foundation
import TestSupport
import Testing
import Torch

/// The premise of `Trainer.Configuration.threadNice`: a thread's nice covers the OpenMP workers that run
/// its libtorch kernels, and no other thread.
@Suite("thread priority", .serialized)
struct ThreadNiceTests {
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
                return (Torch.threadNice, threadNices().filter { $0 == nice }.count)
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
