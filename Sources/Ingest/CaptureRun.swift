import Capture
import Foundation
import Frames
import OCPP

/// Progress of a long read: bytes of the file consumed out of its size.
public typealias ProgressReport = (_ done: Int64, _ total: Int64) -> Void

/// Reads one capture file through the decoding stack into a message sink.
public enum CaptureRun {
    /// Decodes every packet of `reader` into `sink`. Truncation and read
    /// errors are recorded as `pcap` decode issues and end the read; what was
    /// decoded before stays.
    public static func run(_ reader: PcapFileReader, into sink: MessageSink, options: CaptureOptions = CaptureOptions(),
                           redactor: Redactor? = nil, validate: Bool = false,
                           progress: ProgressReport? = nil) -> (SourceEndInfo, CaptureStats, Int) {
        let messages = MessageDecoder(sink: sink)
        messages.redactor = redactor
        messages.validate = validate
        // OCPP-J decoding and what follows on a second thread (FrameThread);
        // every call into `sink` from here on goes through it, so that the
        // order stays that of a single thread.
        let frames = FrameThread(target: messages)
        let decoder = CaptureDecoder(sink: frames, options: options)
        var lastReport = DispatchTime.now().uptimeNanoseconds
        let end = reader.forEach { data, wire, time, number in
            decoder.process(data, wireLength: wire, time: time, number: number, linkType: reader.linkType)
            if let progress, number & 0xFFF == 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                if now - lastReport > 200_000_000 {
                    lastReport = now
                    progress(reader.bytesConsumed, reader.fileSize)
                }
            }
        }
        var info = SourceEndInfo(state: "complete", detail: nil, packets: decoder.stats.packets)
        switch end {
        case .complete:
            break
        case .truncated(let after, let message):
            info = SourceEndInfo(state: "truncated", detail: "capture cut mid-record after packet \(after): \(message)", packets: decoder.stats.packets)
            frames.issue(DecodeIssue(layer: .pcap, reason: "truncated-file",
                                   detail: "the file ends in the middle of a record after packet \(after) (\(message)); everything before is kept",
                                   time: nil, frame: after))
        case .failed(let after, let message):
            info = SourceEndInfo(state: "failed", detail: "read error after packet \(after): \(message)", packets: decoder.stats.packets)
            frames.issue(DecodeIssue(layer: .pcap, reason: "read-error", detail: "\(message) after packet \(after); everything before is kept",
                                   time: nil, frame: after))
        }
        decoder.finish()
        frames.finish()
        if let a = decoder.stats.firstPacket, let b = decoder.stats.lastPacket { info.covers = (a.microseconds, b.microseconds) }
        progress?(reader.fileSize, reader.fileSize)
        return (info, decoder.stats, messages.secretsMasked)
    }
}

/// How the read of a source ended.
public struct SourceEndInfo: Sendable {
    public var state: String
    public var detail: String?
    public var packets: Int64
    /// First and last packet (or line) times: the span the source covers.
    public var covers: (from: Int64, to: Int64)?
}
