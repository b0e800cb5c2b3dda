import Foundation
import JSON

/// Reads and validates a safetensors header: 8 bytes of little-endian header length, then that
/// many bytes of JSON, `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, ...,
/// "__metadata__": {string: string}}`, then the data section the offsets point into.
///
/// Every size is checked against the file before it is used: the header length against the
/// file size (so no more than the file is ever copied), each shape's element and byte counts for
/// overflow, each tensor's offsets against the data section and against the bytes its shape and
/// dtype take, and the tensors against each other: as the reference implementation (the
/// `safetensors` crate) requires, their data tiles the data section, each tensor starting where
/// the one before it ends and the last ending at the end of the file, with no overlap, no gap
/// and no trailing bytes. A name repeated in the header is refused, not resolved.
enum SafetensorsHeaderParser {
    /// Bytes of the header length field.
    static let lengthFieldBytes = 8
    /// The reference implementation (the `safetensors` crate) refuses headers over 100 MB; a
    /// length beyond that is a damaged file, not a header.
    static let maximumHeaderLength = 100_000_000
    /// The header key that holds free-form string metadata rather than a tensor.
    static let metadataKey = "__metadata__"

    struct Header {
        /// In data order (by offset).
        var tensors: [SafetensorsTensorInfo]
        var metadata: [String: String]
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(SafetensorsError) -> Header {
        guard bytes.count >= lengthFieldBytes else { throw .truncated(file: file, fileSize: bytes.count) }
        let rawLength = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard rawLength <= UInt64(min(maximumHeaderLength, bytes.count - lengthFieldBytes)) else {
            throw .headerTooLong(file: file, headerLength: rawLength, fileSize: bytes.count)
        }
        let headerLength = Int(rawLength)
        let dataStart = lengthFieldBytes + headerLength
        let dataSize = bytes.count - dataStart
        let json: JSONValue
        do {
            json = try JSONValue(parsing: Data(bytes[lengthFieldBytes..<dataStart]), rejectingDuplicateKeys: true)
        } catch {
            throw .invalidHeader(file: file, reason: error.description)
        }
        guard case .object(let entries) = json else {
            throw .invalidHeader(file: file, reason: "the header is \(json.kind), expected an object")
        }
        var tensors: [SafetensorsTensorInfo] = []
        tensors.reserveCapacity(entries.count)
        var metadata: [String: String] = [:]
        for (name, value) in entries.entries {
            if name == metadataKey {
                metadata = try readMetadata(value, file: file)
                continue
            }
            tensors.append(try readTensor(name, value, file: file, dataStart: dataStart, dataSize: dataSize))
        }
        tensors.sort { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        try checkTiling(tensors, file: file, dataStart: dataStart, fileSize: bytes.count)
        return Header(tensors: tensors, metadata: metadata)
    }

    private static func readMetadata(_ value: JSONValue, file: String) throws(SafetensorsError) -> [String: String] {
        guard case .object(let object) = value else {
            throw .invalidHeader(file: file, reason: "\(metadataKey) is \(value.kind), expected an object of strings")
        }
        var metadata: [String: String] = [:]
        for (key, entry) in object.entries {
            guard case .string(let text) = entry else {
                throw .invalidHeader(file: file, reason: "\(metadataKey).\(key) is \(entry.kind), expected a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func readTensor(
        _ name: String, _ value: JSONValue, file: String, dataStart: Int, dataSize: Int
    ) throws(SafetensorsError) -> SafetensorsTensorInfo {
        guard case .object(let object) = value else {
            throw .invalidTensorEntry(file: file, tensor: name, problem: "the entry is \(value.kind), expected an object")
        }
        let fields = JSONFields<SafetensorsError>(object) { error in
            .invalidTensorEntry(file: file, tensor: name, problem: error.description)
        }
        let dtypeName = try fields.string(required: "dtype")
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .unknownDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard let shape = try fields.ints("shape") else { throw fields.fail("shape", "is missing") }
        var elements = 1
        for (axis, dimension) in shape.enumerated() {
            guard dimension >= 0 else { throw fields.fail("shape[\(axis)]", "must not be negative, found \(dimension)") }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fields.fail("shape", "\(shape) has more elements than a 64-bit count holds") }
            elements = product
        }
        guard let offsets = try fields.ints("data_offsets") else { throw fields.fail("data_offsets", "is missing") }
        guard offsets.count == 2 else {
            throw fields.fail("data_offsets", "must be [begin, end], found \(offsets.count) numbers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw .offsetsOutOfBounds(file: file, tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        let (expected, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, expected == end - begin else {
            throw .byteCountMismatch(
                file: file, tensor: name, dtype: dtype, shape: shape, expected: overflow ? Int.max : expected, actual: end - begin)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, offset: dataStart + begin, byteCount: end - begin)
    }

    /// `tensors` sorted by offset: each must start where the one before it ends (the first at
    /// the start of the data section), and the last end at the end of the file.
    private static func checkTiling(
        _ tensors: [SafetensorsTensorInfo], file: String, dataStart: Int, fileSize: Int
    ) throws(SafetensorsError) {
        var end = dataStart
        var previous: SafetensorsTensorInfo?
        for tensor in tensors {
            if let previous, tensor.offset < end {
                throw .overlappingTensors(file: file, first: previous.name, second: tensor.name)
            }
            if tensor.offset > end {
                throw .uncoveredData(file: file, begin: end - dataStart, end: tensor.offset - dataStart, before: tensor.name)
            }
            end = tensor.offset + tensor.byteCount
            previous = tensor
        }
        if end < fileSize {
            throw .uncoveredData(file: file, begin: end - dataStart, end: fileSize - dataStart, before: nil)
        }
    }
}
