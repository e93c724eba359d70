import CTorch

/// Element types a tensor can hold; raw values are the bridge's `ct_dtype` codes.
public enum DType: Int32, Sendable, CaseIterable {
    case float32 = 0, float64, float16, bfloat16, int64, int32, uint8, bool

    public var byteSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16: 2
        case .uint8, .bool: 1
        }
    }

    /// What an EMA can average (integer buffers such as counters are copied instead).
    public var isFloatingPoint: Bool { [.float32, .float64, .float16, .bfloat16].contains(self) }
}

/// Where a tensor lives. CUDA exists only in builds linked with torch_cuda on a machine with a GPU.
public enum Device: Equatable, Hashable, Sendable, CustomStringConvertible {
    case cpu
    case cuda(Int)

    var code: Int32 {
        switch self {
        case .cpu: Int32(CT_CPU)
        case .cuda(let index): Int32(index)
        }
    }

    init(code: Int32) { self = code < 0 ? .cpu : .cuda(Int(code)) }

    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let index): "cuda:\(index)"
        }
    }

    /// The first CUDA device when one is usable, else the CPU.
    public static var best: Device { Torch.cudaDeviceCount > 0 ? .cuda(0) : .cpu }
}

/// Swift scalar types that map one-to-one onto a tensor dtype.
public protocol TensorElement: Sendable {
    static var dtype: DType { get }
    init()
}

extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }
