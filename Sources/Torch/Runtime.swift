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
