/// Consecutive layers of one shape: how a model's layer list reads compressed
/// (`layers 0-5: attention 64/8 heads, ffn 28672`).
public struct LayerRun: Sendable, Equatable {
    public let layers: ClosedRange<Int>
    public let layer: LayerConfig

    /// `layers` cut where the shape changes.
    public static func runs(of layers: [LayerConfig]) -> [LayerRun] {
        var runs: [LayerRun] = []
        for (i, layer) in layers.enumerated() {
            if let last = runs.last, last.layer == layer, last.layers.upperBound == i - 1 {
                runs[runs.count - 1] = LayerRun(layers: last.layers.lowerBound...i, layer: layer)
            } else {
                runs.append(LayerRun(layers: i...i, layer: layer))
            }
        }
        return runs
    }
}

extension AttentionBlock: CustomStringConvertible {
    /// `attention 64/8 heads` (query / key-value heads), `linear attention`, `no attention`.
    public var description: String {
        switch self {
        case .none: "no attention"
        case .linear: "linear attention"
        case .multiHead(let heads, let kvHeads): "attention \(heads)/\(kvHeads) heads"
        }
    }
}

extension FeedForwardBlock: CustomStringConvertible {
    /// `ffn 28672` (the gated width), `linear ffn`, `no ffn`.
    public var description: String {
        switch self {
        case .none: "no ffn"
        case .linear: "linear ffn"
        case .gated(let width): "ffn \(width)"
        }
    }
}

extension LayerConfig: CustomStringConvertible {
    public var description: String { "\(attention), \(feedForward)" }
}
