import CompressNIO
import NIOCore

/// Raw deflate (RFC 1951) decompression by zlib, through compress-nio: the stream starting at
/// `start`, decoded until its final block ends. Returns the data and the offset just past the
/// stream (where a gzip trailer starts).
enum Inflate {
    static func decompress(_ bytes: [UInt8], start: Int = 0) throws(GzipError) -> (output: [UInt8], end: Int) {
        var input = ByteBuffer(bytes: bytes[start...])
        let total = input.readableBytes
        var output = ByteBuffer()
        output.reserveCapacity(max(4096, 4 * total))
        do {
            let inflater = try ZlibDecompressor(algorithm: .deflate)
            try inflate(inflater, &input, &output)
            // zlib returns normally both at the end of the stream and when it has used all the
            // input; asked once more with none, an ended stream says so again and an unfinished
            // one asks for input (`inputBufferOverflow`).
            if input.readableBytes == 0 { try inflate(inflater, &input, &output) }
        } catch let error as CompressNIOError where error == .inputBufferOverflow {
            throw .truncated(offset: bytes.count)
        } catch {
            throw .invalidDeflate(offset: start)
        }
        return (Array(output.readableBytesView), start + total - input.readableBytes)
    }

    /// Inflates until zlib stops, growing the output whenever it fills.
    private static func inflate(_ inflater: ZlibDecompressor, _ input: inout ByteBuffer, _ output: inout ByteBuffer) throws {
        while true {
            do {
                try inflater.inflate(from: &input, to: &output)
                return
            } catch let error as CompressNIOError where error == .bufferOverflow {
                output.reserveCapacity(max(4096, output.capacity * 2))
            }
        }
    }
}
