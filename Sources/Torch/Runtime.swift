import CTorch

/// Process-wide libtorch settings.
public enum Torch {
    public static var cudaDeviceCount: Int { Int(ct_cuda_device_count()) }

    public static func manualSeed(_ seed: UInt64) { ct_manual_seed(seed) }

    /// Intra-op threads of libtorch's CPU kernels.
    public static var threads: Int {
        get { Int(ct_get_num_threads()) }
        set { ct_set_num_threads(Int32(newValue)) }
    }

    /// The calling thread's nice value (Linux; nil where it cannot be read).
    public static var threadNice: Int? {
        let nice = ct_thread_nice()
        return nice == Int32.min ? nil : Int(nice)
    }

    /// Sets the calling thread's nice value. libtorch's CPU kernels run on OpenMP workers that this thread
    /// starts on its first parallel region and that inherit its nice, so a thread set before its first
    /// kernel has all its kernel work at that priority. Without privileges a thread can only lower its
    /// priority (raise nice, up to 19).
    public static func setThreadNice(_ nice: Int) throws {
        guard let value = Int32(exactly: nice) else { throw TorchError("nice \(nice) is out of range") }
        try check(ct_set_thread_nice(value))
    }

    public static var isGradEnabled: Bool { ct_is_grad_enabled() != 0 }

    /// Waits for queued kernels on a CUDA device (timings need it); no-op on the CPU.
    public static func synchronize(_ device: Device) throws {
        if case .cuda(let index) = device { try check(ct_cuda_synchronize(Int32(index))) }
    }
}

/// Runs `body` with autograd recording switched off on this thread (inference, optimiser updates).
/// Grad mode is thread-local in libtorch, so `body` is synchronous on purpose.
public func withNoGrad<T>(_ body: () throws -> T) rethrows -> T {
    let previous = ct_set_grad_enabled(0)
    defer { ct_set_grad_enabled(previous) }
    return try body()
}

/// Runs `body` with autograd recording switched on (e.g. a train step called from a no-grad scope).
public func withGrad<T>(_ body: () throws -> T) rethrows -> T {
    let previous = ct_set_grad_enabled(1)
    defer { ct_set_grad_enabled(previous) }
    return try body()
}

extension Torch {
    /// Tunes glibc's allocator for a process that frees and reallocates the same large activation
    /// buffers every step: one arena (libtorch's allocations from a worker thread otherwise land in a
    /// per-thread arena whose 64 MB heaps cannot hold big tensors, so each is a fresh mmap) and
    /// thresholds high enough that freed blocks are reused instead of unmapped and page-faulted back
    /// in (measured with `livetrain bench step`). Call once at start-up, before threads allocate.
    @discardableResult
    public static func tuneAllocatorForTraining() -> Bool { ct_tune_allocator() == 1 }
}
