#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a GGUF v3 file from metadata and tensors; tests across the project use it to make
/// tiny models (and, by editing its output, broken files).
///
/// Tensors are laid out in the order added, each at the next multiple of the alignment.
public struct GGUFWriter: Sendable {
    public struct Tensor: Sendable {
        public var name: String
        /// ggml order: ne0 (row length) first.
        public var dimensions: [Int]
        public var type: GGMLType
        /// The encoded data (`type.rowByteCount(ne0) * rows` bytes).
        public var data: [UInt8]
    }

    public private(set) var metadata = GGUFMetadata()
    public private(set) var tensors: [Tensor] = []
    public let alignment: Int

    /// A writer whose files align tensor data to `alignment` bytes. A non-default alignment is
    /// recorded as `general.alignment` (uint32), as llama.cpp does.
    public init(alignment: Int = GGUFFile.defaultAlignment) throws(GGUFError) {
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= Int(UInt32.max) else {
            throw .invalidAlignment(alignment)
        }
        self.alignment = alignment
        if alignment != GGUFFile.defaultAlignment {
            metadata.append("general.alignment", .uint32(UInt32(alignment)))
        }
    }

    /// Adds a metadata pair; keys keep the order they are added in.
    public mutating func add(_ key: String, _ value: GGUFValue) throws(GGUFError) {
        try Self.checkEncodable(value, key: key)
        guard metadata.append(key, value) else { throw .duplicateKey(key, offset: -1) }
    }

    /// Adds a tensor from already encoded bytes, checking the byte count against the shape.
    public mutating func addTensor(_ name: String, dimensions: [Int], type: GGMLType, data: [UInt8]) throws(GGUFError) {
        guard !tensors.contains(where: { $0.name == name }) else { throw .duplicateTensor(name, offset: -1) }
        guard (1...GGUFParser.maxDimensions).contains(dimensions.count), dimensions.allSatisfy({ $0 >= 1 }) else {
            throw .invalidWriterInput("tensor '\(name)' has dimensions \(dimensions)")
        }
        guard let rowBytes = type.rowByteCount(elements: dimensions[0]) else {
            throw .invalidWriterInput("tensor '\(name)': row length \(dimensions[0]) is not a multiple of \(type.blockSize)")
        }
        let expected = rowBytes * dimensions.dropFirst().reduce(1, *)
        guard data.count == expected else {
            throw .invalidWriterInput("tensor '\(name)' has \(data.count) bytes, its shape needs \(expected)")
        }
        tensors.append(Tensor(name: name, dimensions: dimensions, type: type, data: data))
    }

    /// Adds an F32 tensor.
    public mutating func addTensor(_ name: String, dimensions: [Int], values: [Float]) throws(GGUFError) {
        var data: [UInt8] = []
        data.reserveCapacity(values.count * 4)
        for value in values { Self.append(value.bitPattern, to: &data) }
        try addTensor(name, dimensions: dimensions, type: .f32, data: data)
    }

    /// The complete file image.
    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: GGUFParser.magic)
        Self.append(UInt32(3), to: &out)
        Self.append(UInt64(tensors.count), to: &out)
        Self.append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata.entries {
            Self.appendString(key, to: &out)
            Self.append(value.valueType.rawValue, to: &out)
            Self.appendValue(value, to: &out)
        }
        var relativeOffsets: [Int] = []
        var cursor = 0
        for tensor in tensors {
            relativeOffsets.append(cursor)
            cursor = padded(cursor + tensor.data.count)
        }
        for (tensor, offset) in zip(tensors, relativeOffsets) {
            Self.appendString(tensor.name, to: &out)
            Self.append(UInt32(tensor.dimensions.count), to: &out)
            for dimension in tensor.dimensions { Self.append(UInt64(dimension), to: &out) }
            Self.append(tensor.type.rawValue, to: &out)
            Self.append(UInt64(offset), to: &out)
        }
        if !tensors.isEmpty {
            out.append(contentsOf: repeatElement(0, count: padded(out.count) - out.count))
            for tensor in tensors {
                out.append(contentsOf: tensor.data)
                out.append(contentsOf: repeatElement(0, count: padded(tensor.data.count) - tensor.data.count))
            }
        }
        return out
    }

    /// Writes the file image to `path` (replacing any file there).
    public func write(to path: String) throws(GGUFError) {
        let image = bytes()
        guard let file = fopen(path, "wb") else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        let written = image.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == image.count, closed == 0 else {
            throw .cannotOpen(path: path, reason: "short write (\(written) of \(image.count) bytes)")
        }
    }

    private func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    /// Arrays must be homogeneous: GGUF stores one element type per array.
    private static func checkEncodable(_ value: GGUFValue, key: String) throws(GGUFError) {
        guard case .array(let elements) = value, let first = elements.first else { return }
        for element in elements {
            guard element.valueType == first.valueType else { throw .mixedArray(key: key) }
            try checkEncodable(element, key: key)
        }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func appendString(_ string: String, to out: inout [UInt8]) {
        append(UInt64(string.utf8.count), to: &out)
        out.append(contentsOf: string.utf8)
    }

    private static func appendValue(_ value: GGUFValue, to out: inout [UInt8]) {
        switch value {
        case .uint8(let v): append(v, to: &out)
        case .int8(let v): append(v, to: &out)
        case .uint16(let v): append(v, to: &out)
        case .int16(let v): append(v, to: &out)
        case .uint32(let v): append(v, to: &out)
        case .int32(let v): append(v, to: &out)
        case .uint64(let v): append(v, to: &out)
        case .int64(let v): append(v, to: &out)
        case .float32(let v): append(v.bitPattern, to: &out)
        case .float64(let v): append(v.bitPattern, to: &out)
        case .bool(let v): append(UInt8(v ? 1 : 0), to: &out)
        case .string(let s): appendString(s, to: &out)
        case .array(let elements):
            // An empty array has no element to take a type from; uint8 is as good as any.
            append((elements.first?.valueType ?? .uint8).rawValue, to: &out)
            append(UInt64(elements.count), to: &out)
            for element in elements { appendValue(element, to: &out) }
        }
    }
}
