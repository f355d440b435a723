import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator, so every fuzz
/// and property case can be replayed from its seed. Not for anything secret.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed of case `index` of a run started with `master`: each case replays on its own.
    public static func caseSeed(master: UInt64, index: Int) -> UInt64 {
        var generator = SeededRandom(seed: master ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    /// The master seed of a fuzz run: `$LIMS_FUZZ_SEED` (decimal or 0x-hex) to replay, else `fallback`.
    public static func masterSeed(fallback: UInt64) -> UInt64 {
        guard let text = ProcessInfo.processInfo.environment["LIMS_FUZZ_SEED"] else { return fallback }
        if text.hasPrefix("0x"), let value = UInt64(text.dropFirst(2), radix: 16) { return value }
        return UInt64(text) ?? fallback
    }

    /// How many cases to run: `$LIMS_FUZZ_CASES` overrides `default` (e.g. for a long night run).
    public static func caseCount(default count: Int) -> Int {
        ProcessInfo.processInfo.environment["LIMS_FUZZ_CASES"].flatMap(Int.init) ?? count
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }
    public mutating func bytes(count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}

/// Byte-level mutations of a valid input, as real files get damaged: flipped bits, bytes
/// inserted or deleted, chunks duplicated or cut, quotes and delimiters dropped in, truncation.
public enum Mutator {
    static let interesting: [[UInt8]] = [
        [0x22], [0x22, 0x22], [0x2C], [0x3B], [0x09], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xEF, 0xBB, 0xBF],
        [0xFF], [0xC3], [0xE2, 0x82], [0x80], Array("<0.01".utf8), Array("-".utf8), Array("1e308".utf8),
        Array("1e999".utf8), Array("NaN".utf8), Array("-0".utf8), Array(" ".utf8), Array("N/A".utf8),
        Array("\"\n\"".utf8), Array("9999999999999999999999".utf8),
    ]

    public static func mutate(_ input: [UInt8], using random: inout SeededRandom, rounds: Int? = nil) -> [UInt8] {
        var data = input
        for _ in 0..<(rounds ?? random.int(in: 1...6)) {
            let position = data.isEmpty ? 0 : random.int(in: 0...data.count)
            switch random.int(in: 0...7) {
            case 0 where !data.isEmpty: // flip a bit
                let i = min(position, data.count - 1)
                data[i] ^= UInt8(1 << random.int(in: 0...7))
            case 1: // insert a random byte
                data.insert(UInt8.random(in: 0...255, using: &random), at: position)
            case 2 where !data.isEmpty: // delete a run
                let end = min(data.count, position + random.int(in: 1...16))
                data.removeSubrange(min(position, data.count - 1)..<end)
            case 3 where !data.isEmpty: // duplicate a chunk
                let start = random.int(in: 0...(data.count - 1))
                let end = min(data.count, start + random.int(in: 1...64))
                data.insert(contentsOf: Array(data[start..<end]), at: position)
            case 4: // drop in a byte sequence that parsers find hard
                data.insert(contentsOf: random.pick(interesting), at: position)
            case 5 where !data.isEmpty: // truncate
                data.removeSubrange(position..<data.count)
            case 6 where !data.isEmpty: // overwrite with a hard sequence
                let piece = random.pick(interesting)
                for (k, byte) in piece.enumerated() where position + k < data.count { data[position + k] = byte }
            default: // swap two bytes
                if data.count > 1 {
                    let a = random.int(in: 0...(data.count - 1)), b = random.int(in: 0...(data.count - 1))
                    data.swapAt(a, b)
                }
            }
        }
        return data
    }

    /// A random "CSV-like" text: fields of digits, words and hard bytes, joined by delimiters and line ends.
    public static func csvLike(using random: inout SeededRandom, maxBytes: Int = 600) -> [UInt8] {
        let alphabet: [[UInt8]] = [
            Array("Sample".utf8), Array("La".utf8), Array("139".utf8), Array("1.5".utf8), Array("<0.000".utf8),
            Array("mg/kg".utf8), Array("N/A".utf8), Array("FAUX".utf8), Array("µg".utf8), [0xB5], [0x22], [0x22],
            [0x2C], [0x2C], [0x3B], [0x09], [0x0D, 0x0A], [0x0A], [0x0D], [0x20], Array("é".utf8), [0x00],
        ]
        var out: [UInt8] = []
        if random.chance(0.2) { out += [0xEF, 0xBB, 0xBF] }
        let length = random.int(in: 0...maxBytes)
        while out.count < length { out += random.pick(alphabet) }
        return out
    }
}
