/// Parses and validates the header, metadata and tensor infos of a GGUF v2/v3 image.
enum GGUFParser {
    struct Parsed {
        var version: Int
        var metadata: GGUFMetadata
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    /// ggml tensors have at most four dimensions.
    static let maxDimensions = 4
    static let magic: [UInt8] = Array("GGUF".utf8)
    /// Arrays nest at most this deep; deeper nesting would only serve to exhaust the stack.
    static let maxArrayDepth = 16

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(GGUFError) -> Parsed {
        var reader = GGUFByteReader(bytes: bytes)
        try reader.require(4, "magic")
        let found = Array(bytes[0..<4])
        guard found == magic else { throw .badMagic(found: found) }
        try reader.skip(to: 4, "magic")
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }
        // Each tensor info takes at least its name length, dimension count, one dimension, type
        // and offset (32 bytes); each metadata entry a key length and a type tag (12).
        let tensorCount = try reader.readCount("tensor count", eachAtLeast: 32)
        let keyCount = try reader.readCount("metadata key count", eachAtLeast: 12)
        try reader.require(keyCount * 12 + tensorCount * 32, "\(keyCount) metadata entries and \(tensorCount) tensor infos")

        var metadata = GGUFMetadata()
        for index in 0..<keyCount {
            let entryOffset = reader.offset
            let key = try reader.readString("key of metadata entry \(index)")
            let value = try readValue(&reader, key: key)
            guard metadata.append(key, value) else { throw .duplicateKey(key, offset: entryOffset) }
        }

        let alignment = try readAlignment(metadata)
        try reader.require(tensorCount * 32, "\(tensorCount) tensor infos")
        var rawInfos: [(info: RawTensorInfo, infoOffset: Int)] = []
        rawInfos.reserveCapacity(tensorCount)
        var seen = Set<String>()
        for index in 0..<tensorCount {
            let infoOffset = reader.offset
            let info = try readTensorInfo(&reader, index: index)
            guard seen.insert(info.name).inserted else { throw .duplicateTensor(info.name, offset: infoOffset) }
            rawInfos.append((info, infoOffset))
        }

        // The data section starts at the next multiple of the alignment after the infos.
        let headerEnd = reader.offset
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        if tensorCount > 0 {
            try reader.skip(to: dataOffset, "padding before tensor data")
        }
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(tensorCount)
        for (raw, _) in rawInfos {
            guard raw.relativeOffset % alignment == 0 else {
                throw .misalignedTensor(tensor: raw.name, offset: raw.relativeOffset, alignment: alignment)
            }
            let (absolute, overflow) = dataOffset.addingReportingOverflow(raw.relativeOffset)
            guard !overflow, absolute <= bytes.count, raw.byteCount <= bytes.count - absolute else {
                throw .tensorOutOfBounds(tensor: raw.name, offset: overflow ? Int.max : absolute,
                                         byteCount: raw.byteCount, fileSize: bytes.count)
            }
            tensors.append(GGUFTensorInfo(name: raw.name, dimensions: raw.dimensions, type: raw.type,
                                          offset: absolute, byteCount: raw.byteCount))
        }
        return Parsed(version: Int(version), metadata: metadata, tensors: tensors,
                      alignment: alignment, dataOffset: dataOffset)
    }

    private static func readAlignment(_ metadata: GGUFMetadata) throws(GGUFError) -> Int {
        guard let value = metadata["general.alignment"] else { return GGUFFile.defaultAlignment }
        guard let alignment = value.int else {
            throw .keyTypeMismatch(key: "general.alignment", actual: value.typeDescription, expected: "integer")
        }
        guard alignment > 0, alignment & (alignment - 1) == 0 else { throw .invalidAlignment(alignment) }
        return alignment
    }

    private static func readValue(_ reader: inout GGUFByteReader, key: String) throws(GGUFError) -> GGUFValue {
        let typeOffset = reader.offset
        let raw = try reader.read(UInt32.self, "value type of '\(key)'")
        guard let type = GGUFValueType(rawValue: raw) else {
            throw .unknownValueType(raw: raw, key: key, offset: typeOffset)
        }
        return try readValue(&reader, type: type, key: key, depth: 0)
    }

    private static func readValue(_ reader: inout GGUFByteReader, type: GGUFValueType, key: String,
                                  depth: Int) throws(GGUFError) -> GGUFValue {
        let what = "value of '\(key)'"
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, what))
        case .int8: return .int8(try reader.read(Int8.self, what))
        case .uint16: return .uint16(try reader.read(UInt16.self, what))
        case .int16: return .int16(try reader.read(Int16.self, what))
        case .uint32: return .uint32(try reader.read(UInt32.self, what))
        case .int32: return .int32(try reader.read(Int32.self, what))
        case .uint64: return .uint64(try reader.read(UInt64.self, what))
        case .int64: return .int64(try reader.read(Int64.self, what))
        case .float32: return .float32(try reader.readFloat(what))
        case .float64: return .float64(try reader.readDouble(what))
        case .bool:
            let start = reader.offset
            let byte = try reader.read(UInt8.self, what)
            guard byte <= 1 else {
                throw .invalidValue(key: key, reason: "bool at offset \(start) is \(byte), expected 0 or 1")
            }
            return .bool(byte == 1)
        case .string: return .string(try reader.readString(what))
        case .array:
            guard depth < maxArrayDepth else {
                throw .invalidValue(key: key, reason: "arrays nested deeper than \(maxArrayDepth) at offset \(reader.offset)")
            }
            let typeOffset = reader.offset
            let rawElement = try reader.read(UInt32.self, "element type of '\(key)'")
            guard let elementType = GGUFValueType(rawValue: rawElement) else {
                throw .unknownValueType(raw: rawElement, key: key, offset: typeOffset)
            }
            let count = try reader.readCount("element count of '\(key)' (\(elementType))",
                                             eachAtLeast: elementType.minimumByteCount)
            var elements: [GGUFValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                elements.append(try readValue(&reader, type: elementType, key: key, depth: depth + 1))
            }
            return .array(elements)
        }
    }

    struct RawTensorInfo {
        var name: String
        var dimensions: [Int]
        var type: GGMLType
        var relativeOffset: Int
        var byteCount: Int
    }

    private static func readTensorInfo(_ reader: inout GGUFByteReader, index: Int) throws(GGUFError) -> RawTensorInfo {
        let infoOffset = reader.offset
        let name = try reader.readString("name of tensor \(index)")
        let dimensionCount = try reader.read(UInt32.self, "dimension count of tensor '\(name)'")
        guard dimensionCount >= 1, dimensionCount <= maxDimensions else {
            throw .invalidTensorInfo(tensor: name, offset: infoOffset,
                                     reason: "\(dimensionCount) dimensions, expected 1...\(maxDimensions)")
        }
        var dimensions: [Int] = []
        var elements = 1
        for axis in 0..<Int(dimensionCount) {
            let raw = try reader.read(UInt64.self, "dimension \(axis) of tensor '\(name)'")
            guard raw >= 1, let dimension = Int(exactly: raw) else {
                throw .invalidTensorInfo(tensor: name, offset: infoOffset, reason: "dimension \(axis) is \(raw)")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw .invalidTensorInfo(tensor: name, offset: infoOffset, reason: "element count overflows")
            }
            elements = product
            dimensions.append(dimension)
        }
        let typeOffset = reader.offset
        let rawType = try reader.read(UInt32.self, "type of tensor '\(name)'")
        guard let type = GGMLType(ggmlID: rawType) else {
            throw .unknownTensorType(tensor: name, raw: rawType, offset: typeOffset)
        }
        let relativeOffset = try reader.readLength("data offset of tensor '\(name)'")
        guard let rowBytes = type.rowByteCount(elements: dimensions[0]) else {
            throw .invalidTensorInfo(tensor: name, offset: infoOffset,
                                     reason: "row length \(dimensions[0]) is not a multiple of the \(type) block size \(type.blockSize)")
        }
        let (byteCount, overflow) = rowBytes.multipliedReportingOverflow(by: elements / dimensions[0])
        guard !overflow else {
            throw .invalidTensorInfo(tensor: name, offset: infoOffset, reason: "byte size overflows")
        }
        return RawTensorInfo(name: name, dimensions: dimensions, type: type,
                             relativeOffset: relativeOffset, byteCount: byteCount)
    }
}
