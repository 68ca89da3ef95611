import SentinelWire

extension FuzzTarget {
    /// The frame decoder (`FrameDecoder`, server side, with HTTP detection at the stream start).
    ///
    /// The first byte chooses how the rest arrives (in chunks of 1–16 bytes) and, with its high bit, a small payload
    /// limit. Checked: the stream decodes to the same frames and the same error whether it arrives whole or in
    /// chunks (written with `fill` instead of `append`); every payload has its declared length, within the limit;
    /// the buffered count is what was fed less what was consumed.
    static let frameDecoder = FuzzTarget(
        name: "frame-decoder",
        summary: "FrameDecoder: whole and chunked streams decode alike; payloads within the limit",
        seeds: FuzzSeeds.frames
    ) { input throws(FuzzFinding) in
        guard let control = input.first else { return }
        let stream = input.afterControlByte
        let limits =
            control & 0x80 != 0
            ? FrameLimits(maximumPayloadSize: Int(control & 0x70) * 4) : FrameLimits()
        let whole = try FrameStream.decode(stream, limits: limits, chunkSize: max(stream.count, 1))
        let chunked = try FrameStream.decode(stream, limits: limits, chunkSize: Int(control & 0x0F) + 1)
        guard whole == chunked else {
            throw FuzzFinding(
                "frame-decoder: whole stream gave \(whole), chunks of \((control & 0x0F) + 1) gave \(chunked)")
        }
    }
}

/// What a byte stream decodes to: its frames, then how it ended.
private struct FrameStream: Equatable, CustomStringConvertible {
    struct Frame: Equatable {
        var header: FrameHeader
        var payload: [UInt8]
    }

    var frames: [Frame] = []
    /// The error that ended decoding, or `truncatedFrame` from `finish()`, or nil for a clean end.
    var end: WireError.Code?

    var description: String {
        "\(frames.count) frames \(frames.map { "\($0.header.type) \($0.payload.count)B" }), end \(end.map { "\($0)" } ?? "clean")"
    }

    static func decode(_ stream: UnsafeRawBufferPointer, limits: FrameLimits, chunkSize: Int) throws(FuzzFinding)
        -> FrameStream
    {
        var decoder = FrameDecoder(limits: limits)
        var result = FrameStream()
        var fed = 0
        var consumed = 0
        while fed < stream.count || fed == 0 {
            let count = min(chunkSize, stream.count - fed)
            if chunkSize >= stream.count {
                decoder.append(stream)
            } else {
                let chunk = UnsafeRawBufferPointer(rebasing: stream[fed..<fed + count])
                decoder.fill(maximumCount: count) { target in
                    target.copyMemory(from: chunk)
                    return count
                }
            }
            fed += count
            do {
                while let header = try decoder.decodeFrame() {
                    let payload = decoder.withPayload { Array($0) }
                    guard payload.count == Int(header.payloadLength) else {
                        throw FuzzFinding(
                            "frame-decoder: header declares \(header.payloadLength) bytes, payload has \(payload.count)"
                        )
                    }
                    guard payload.count <= limits.maximumPayloadSize else {
                        throw FuzzFinding(
                            "frame-decoder: a \(payload.count)-byte payload passed a limit of \(limits.maximumPayloadSize)"
                        )
                    }
                    consumed += FrameHeader.size + payload.count
                    result.frames.append(Frame(header: header, payload: payload))
                }
            } catch let error as WireError {
                result.end = error.code
                return result
            } catch let finding as FuzzFinding {
                throw finding
            } catch {
                throw FuzzFinding("frame-decoder: unexpected error \(error)")
            }
            guard decoder.bufferedByteCount == fed - consumed else {
                throw FuzzFinding(
                    "frame-decoder: \(decoder.bufferedByteCount) bytes buffered, expected \(fed) fed − \(consumed) consumed"
                )
            }
            if stream.isEmpty { break }
        }
        do {
            try decoder.finish()
        } catch {
            result.end = error.code
        }
        return result
    }
}
