import Foundation
import CTorch

/// Owns one bridge handle; freeing it drops this reference to the libtorch tensor.
final class TensorHandle: @unchecked Sendable {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { ct_free(raw) }
}

/// An n-dimensional array in libtorch. Operations return new tensors; the few in-place updates
/// (optimisers, state loading) are named as such. Copies of a `Tensor` share the same storage.
public struct Tensor: @unchecked Sendable {
    let handle: TensorHandle
    var raw: OpaquePointer { handle.raw }

    init(owning raw: OpaquePointer) { handle = TensorHandle(raw) }

    /// Wraps a bridge result, throwing libtorch's message when the call failed.
    static func wrap(_ raw: OpaquePointer?) throws -> Tensor {
        guard let raw else { throw TorchError.last() }
        return Tensor(owning: raw)
    }

    // MARK: creation

    public init<T: TensorElement>(_ values: [T], shape: [Int]? = nil, device: Device = .cpu) throws {
        let shape = shape ?? [values.count]
        let count = shape.reduce(1, *)
        guard count == values.count else {
            throw TorchError("\(values.count) values cannot fill shape \(shape)")
        }
        let dims = shape.map(Int64.init)
        self = try values.withUnsafeBytes { bytes in
            try Tensor.wrap(ct_from_data(bytes.baseAddress, dims, Int32(dims.count), T.dtype.rawValue, device.code))
        }
    }

    /// A tensor from raw little-endian bytes of `dtype` (safetensors, image buffers).
    public init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType, device: Device = .cpu) throws {
        let count = shape.reduce(1, *)
        guard count * dtype.byteSize == bytes.count else {
            throw TorchError("\(bytes.count) bytes cannot fill \(dtype) shape \(shape)")
        }
        let dims = shape.map(Int64.init)
        self = try Tensor.wrap(ct_from_data(bytes.baseAddress, dims, Int32(dims.count), dtype.rawValue, device.code))
    }

    public init(scalar value: Double, dtype: DType = .float32, device: Device = .cpu) throws {
        self = try Tensor.full([], value, dtype: dtype, device: device)
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(ct_full(dims, Int32(dims.count), value, dtype.rawValue, device.code))
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, 0, dtype: dtype, device: device)
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, 1, dtype: dtype, device: device)
    }

    /// Standard normal samples from libtorch's generator (seeded by `Torch.manualSeed`).
    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(ct_rand(dims, Int32(dims.count), 1, dtype.rawValue, device.code))
    }

    /// Uniform samples in [0, 1).
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try wrap(ct_rand(dims, Int32(dims.count), 0, dtype.rawValue, device.code))
    }

    /// Uniform samples in [low, high).
    public static func uniform(_ shape: [Int], low: Double, high: Double, device: Device = .cpu) throws -> Tensor {
        try rand(shape, device: device) * (high - low) + low
    }

    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .int64, device: Device = .cpu) throws -> Tensor {
        try wrap(ct_arange(start, end, step, dtype.rawValue, device.code))
    }

    // MARK: properties

    public var shape: [Int] {
        var dims = [Int64](repeating: 0, count: Int(ct_ndim(raw)))
        _ = ct_shape(raw, &dims)
        return dims.map(Int.init)
    }

    public var rank: Int { Int(ct_ndim(raw)) }
    public var count: Int { Int(ct_numel(raw)) }
    public var dtype: DType { DType(rawValue: ct_dtype_of(raw)) ?? .float32 }
    public var device: Device { Device(code: ct_device_of(raw)) }

    /// The size of dimension `dim` (negative counts from the end).
    public func size(_ dim: Int) -> Int {
        let s = shape
        return s[dim < 0 ? s.count + dim : dim]
    }

    // MARK: data out

    /// The elements in row-major order, copied to the host. `T` must match the dtype.
    public func array<T: TensorElement>(_: T.Type = T.self) throws -> [T] {
        guard T.dtype == dtype else { throw TorchError("array(\(T.self)) of a \(dtype) tensor: convert with to(_:) first") }
        var out = [T](repeating: T(), count: count)
        try out.withUnsafeMutableBytes { try check(ct_copy_out(raw, $0.baseAddress, $0.count)) }
        return out
    }

    /// The raw bytes in row-major order (for safetensors).
    public func bytes() throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count * dtype.byteSize)
        try out.withUnsafeMutableBytes { try check(ct_copy_out(raw, $0.baseAddress, $0.count)) }
        return out
    }

    /// The value of a one-element tensor.
    public func item() throws -> Double {
        var value = 0.0
        try check(ct_item(raw, &value))
        return value
    }

    public func floats() throws -> [Float] { try to(.float32).array(Float.self) }

    // MARK: conversion

    public func to(_ dtype: DType) throws -> Tensor { try Tensor.wrap(ct_to(raw, dtype.rawValue, device.code)) }
    public func to(_ device: Device) throws -> Tensor { try Tensor.wrap(ct_to(raw, dtype.rawValue, device.code)) }
    public func contiguous() throws -> Tensor { try Tensor.wrap(ct_contiguous(raw)) }
    public func clone() throws -> Tensor { try Tensor.wrap(ct_clone(raw)) }

    /// The same values cut off from the autograd graph.
    public func detached() throws -> Tensor { try Tensor.wrap(ct_detach(raw)) }

    /// Points this handle (and every copy of this `Tensor`) at `other`'s tensor: how modules move
    /// between devices and load state while optimisers keep their references.
    public func assign(_ other: Tensor) throws { try check(ct_assign(raw, other.raw)) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = (try? to(.float64).array(Double.self)) ?? []
        let shown = values.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape), \(dtype), \(device): [\(shown)\(values.count > 8 ? ", ..." : "")])"
    }
}
