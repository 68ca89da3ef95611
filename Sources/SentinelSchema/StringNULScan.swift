import CProtobufC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds a string field whose wire bytes hold U+0000, which protobuf-c would silently cut short (it stores strings
/// NUL-terminated): `evil\0id` would decode as `evil`. The schema forbids U+0000 in strings; decoding refuses it.
///
/// Walks the wire format with the message's protobuf-c descriptor, into sub-messages, after protobuf-c has accepted
/// the bytes (so the framing is known to be valid). Only string payloads are searched, with `memchr`.
enum StringNULScan {
    /// The first string field holding a NUL byte, as `message.field`, or `nil`.
    /// - Parameters:
    ///   - bytes: A message's wire bytes, already accepted by protobuf-c.
    ///   - descriptor: The message's descriptor.
    static func firstField(
        in bytes: UnsafeRawBufferPointer, _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    ) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            guard let key = varint(bytes, &offset) else { return nil }
            switch key & 7 {
            case 0:
                guard varint(bytes, &offset) != nil else { return nil }
            case 1:
                offset += 8
            case 5:
                offset += 4
            case 2:
                guard let length = varint(bytes, &offset), length <= UInt64(bytes.count - offset) else { return nil }
                let count = Int(length)
                if let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(truncatingIfNeeded: key >> 3))
                {
                    let payload = UnsafeRawBufferPointer(start: base + offset, count: count)
                    switch field.pointee.type {
                    case PROTOBUF_C_TYPE_STRING where count > 0 && memchr(base + offset, 0, count) != nil:
                        return "\(String(cString: descriptor.pointee.name)).\(String(cString: field.pointee.name))"
                    case PROTOBUF_C_TYPE_MESSAGE:
                        let nested = field.pointee.descriptor.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                        if let found = firstField(in: payload, nested) { return found }
                    default:
                        break
                    }
                }
                offset += count
            default:
                return nil  // Groups: not in proto3, and protobuf-c accepted the bytes.
            }
        }
        return nil
    }

    /// Reads a base-128 varint at `offset`, advancing it; `nil` when the bytes end first or it runs past 10 bytes.
    private static func varint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count && shift < 70 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
